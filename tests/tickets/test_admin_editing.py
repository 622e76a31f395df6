"""Issue 8, point 7: staff corrections of a ticket go through a service and leave a
timeline row saying who changed what; nothing in admin writes a Ticket directly."""

import pytest
from django.urls import reverse

from tests.admin_pages import save_ticket_page
from tickets import services
from tickets.models import Ticket, TimelineEntry

Kind = TimelineEntry.Kind
pytestmark = pytest.mark.django_db


@pytest.fixture
def seguros_client(client, staff_seguros):
    client.force_login(staff_seguros)
    return client


def edits_of(ticket):
    return list(ticket.entries.filter(kind=Kind.TICKET_EDIT))


class TestTicketUpdateService:
    def test_it_saves_the_change_and_records_who_changed_what(self, ticket_a, staff_seguros):
        entry = services.ticket_update(
            ticket=ticket_a, by=staff_seguros, changes={"subject": "Renovación de póliza 2027", "vehicle_plates": "ABC1234"}
        )
        stored = Ticket.objects.get(pk=ticket_a.pk)
        assert (stored.subject, stored.vehicle_plates) == ("Renovación de póliza 2027", "ABC1234")
        assert stored.subject_search == "renovacion de poliza 2027"  # the search follows the subject
        assert entry.author == staff_seguros and entry.kind == Kind.TICKET_EDIT
        assert "Asunto: «Renovación de póliza de flotilla» → «Renovación de póliza 2027»" in entry.body
        assert "Placas: «—» → «ABC1234»" in entry.body

    def test_it_records_nothing_when_nothing_changed(self, ticket_a, staff_seguros):
        assert services.ticket_update(ticket=ticket_a, by=staff_seguros, changes={"subject": ticket_a.subject}) is None
        assert edits_of(ticket_a) == []

    def test_it_refuses_fields_that_are_history(self, ticket_a, staff_seguros, client_b):
        with pytest.raises(ValueError):
            services.ticket_update(ticket=ticket_a, by=staff_seguros, changes={"requester": client_b})

    def test_the_edit_row_is_kept_from_clients(self, ticket_a, staff_seguros):
        entry = services.ticket_update(ticket=ticket_a, by=staff_seguros, changes={"description": "Otra descripción"})
        assert not ticket_a.entries.visible_to_clients().filter(pk=entry.pk).exists()

    def test_the_client_never_sees_the_edit_on_the_portal(self, client, client_a, ticket_a, staff_seguros):
        services.ticket_update(ticket=ticket_a, by=staff_seguros, changes={"vehicle_color": "Rojo secreto"})
        client.force_login(client_a)
        page = client.get(reverse("portal:ticket_detail", kwargs={"number": ticket_a.number})).content.decode()
        assert "Rojo secreto" in page  # the vehicle block shows the corrected value…
        assert "Edición del ticket" not in page  # …but not the team's housekeeping row


class TestAdminTicketPage:
    def test_an_edit_in_admin_leaves_a_timeline_row(self, seguros_client, ticket_a, staff_seguros):
        ticket_a.subject = "Renovación corregida"
        ticket_a.vehicle_brand = "Nissan"
        response = save_ticket_page(seguros_client, ticket_a)
        assert response.status_code == 302
        [edit] = edits_of(ticket_a)
        assert edit.author == staff_seguros
        assert "«Renovación de póliza de flotilla» → «Renovación corregida»" in edit.body
        assert "Marca: «—» → «Nissan»" in edit.body

    def test_saving_the_page_unchanged_records_nothing(self, seguros_client, ticket_a):
        assert save_ticket_page(seguros_client, ticket_a).status_code == 302
        assert edits_of(ticket_a) == []

    def test_the_admin_goes_through_the_service(self, seguros_client, ticket_a, monkeypatch):
        calls = []
        original = services.ticket_update

        def spy(**kwargs):
            calls.append(kwargs["changes"])
            return original(**kwargs)

        monkeypatch.setattr(services, "ticket_update", spy)
        ticket_a.description = "Nueva descripción"
        save_ticket_page(seguros_client, ticket_a)
        assert calls == [{"description": "Nueva descripción"}]
