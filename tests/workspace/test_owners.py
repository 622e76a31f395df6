"""Owners ("Responsable"): assigned in admin, recorded on the timeline, unseen by clients,
told when a client writes, counted on the admin index."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.admin_pages import save_ticket_page, ticket_page_data
from tests.factories import make_ticket
from tickets import services
from tickets.models import Channel, Ticket, TimelineEntry

Kind = TimelineEntry.Kind
CHANGELIST = reverse("admin:tickets_ticket_changelist")


class TestAssignTo:
    def test_it_records_who_gave_the_ticket_to_whom(self, ticket_a, staff_seguros, teammate_seguros):
        entry = ticket_a.assign_to(teammate_seguros, by=staff_seguros)

        ticket_a.refresh_from_db()
        assert ticket_a.owner == teammate_seguros
        assert (entry.kind, entry.author, entry.from_owner, entry.to_owner) == (
            Kind.OWNER_CHANGE,
            staff_seguros,
            None,
            teammate_seguros,
        )
        second = ticket_a.assign_to(None, by=teammate_seguros)
        assert (second.from_owner, second.to_owner) == (teammate_seguros, None)
        assert Ticket.objects.get(pk=ticket_a.pk).owner is None

    def test_giving_it_to_the_same_owner_records_nothing(self, ticket_a, staff_seguros):
        ticket_a.assign_to(staff_seguros, by=staff_seguros)
        assert ticket_a.assign_to(staff_seguros, by=staff_seguros) is None
        assert ticket_a.entries.filter(kind=Kind.OWNER_CHANGE).count() == 1

    def test_the_owner_must_be_on_the_areas_team(self, ticket_a, staff_seguros, staff_gestorias, client_a):
        for outsider in (staff_gestorias, client_a):
            with pytest.raises(ValidationError):
                ticket_a.assign_to(outsider, by=staff_seguros)
        staff_seguros.is_active = False
        staff_seguros.save()
        with pytest.raises(ValidationError):
            ticket_a.assign_to(staff_seguros, by=staff_seguros)
        assert Ticket.objects.get(pk=ticket_a.pk).owner is None
        assert not ticket_a.entries.filter(kind=Kind.OWNER_CHANGE).exists()

    def test_clients_see_the_team_not_the_owner(self, client, client_a, ticket_a, staff_seguros):
        ticket_a.assign_to(staff_seguros, by=staff_seguros)
        assert not TimelineEntry.objects.filter(ticket=ticket_a).visible_to_clients().filter(kind=Kind.OWNER_CHANGE)
        client.force_login(client_a)
        page = client.get(reverse("portal:ticket_detail", args=[ticket_a.number])).content.decode()
        assert "Patricia" not in page and "responsable" not in page.lower()


class TestTicketPage:
    def test_staff_set_the_owner_on_the_ticket_page(self, seguros_admin, ticket_a, staff_seguros, teammate_seguros):
        page = seguros_admin.get(reverse("admin:tickets_ticket_change", args=[ticket_a.pk])).content.decode()
        assert "Rosa Téllez" in page

        response = seguros_admin.post(
            reverse("admin:tickets_ticket_change", args=[ticket_a.pk]),
            ticket_page_data(ticket_a) | {"owner": teammate_seguros.pk},
        )
        assert response.status_code == 302
        entry = ticket_a.entries.get(kind=Kind.OWNER_CHANGE)
        assert (entry.author, entry.to_owner) == (staff_seguros, teammate_seguros)
        history = seguros_admin.get(reverse("admin:tickets_ticket_change", args=[ticket_a.pk])).content.decode()
        assert "Patricia Mendoza cambió el responsable de «Sin responsable» a «Rosa Téllez»" in history

    def test_saving_without_touching_the_owner_records_no_change(self, seguros_admin, ticket_a, staff_seguros):
        ticket_a.assign_to(staff_seguros, by=staff_seguros)
        data = ticket_page_data(ticket_a) | {"owner": staff_seguros.pk}
        assert seguros_admin.post(reverse("admin:tickets_ticket_change", args=[ticket_a.pk]), data).status_code == 302
        assert ticket_a.entries.filter(kind=Kind.OWNER_CHANGE).count() == 1

    def test_someone_of_another_area_cannot_be_made_owner(self, seguros_admin, ticket_a, staff_gestorias):
        page = seguros_admin.get(reverse("admin:tickets_ticket_change", args=[ticket_a.pk])).content.decode()
        assert "Jorge Ramírez" not in page
        data = ticket_page_data(ticket_a) | {"owner": staff_gestorias.pk}
        response = seguros_admin.post(reverse("admin:tickets_ticket_change", args=[ticket_a.pk]), data)
        assert response.status_code == 200  # the form again, with the error
        assert Ticket.objects.get(pk=ticket_a.pk).owner is None

    def test_the_plain_save_still_works_without_an_owner_field(self, seguros_admin, ticket_a):
        assert save_ticket_page(seguros_admin, ticket_a).status_code == 302
        assert Ticket.objects.get(pk=ticket_a.pk).owner is None


class TestBulkAction:
    def post(self, client, tickets, **extra):
        data = {"action": "assign_owner", ACTION_CHECKBOX_NAME: [t.pk for t in tickets], **extra}
        return client.post(CHANGELIST, data)

    def test_it_asks_for_the_owner_then_assigns_each_ticket(
        self, seguros_admin, ticket_a, ticket_b, teammate_seguros, staff_gestorias
    ):
        page = self.post(seguros_admin, [ticket_a, ticket_b]).content.decode()
        assert "Rosa Téllez" in page and "Jorge Ramírez" not in page

        response = self.post(seguros_admin, [ticket_a, ticket_b], apply="1", owner=teammate_seguros.pk)
        assert response.status_code == 302
        assert set(Ticket.objects.values_list("owner", flat=True)) == {teammate_seguros.pk}
        assert TimelineEntry.objects.filter(kind=Kind.OWNER_CHANGE).count() == 2

    def test_an_empty_choice_leaves_the_tickets_without_owner(self, seguros_admin, ticket_a, staff_seguros):
        ticket_a.assign_to(staff_seguros, by=staff_seguros)
        self.post(seguros_admin, [ticket_a], apply="1", owner="")
        assert Ticket.objects.get(pk=ticket_a.pk).owner is None

    def test_tickets_of_two_areas_are_refused(self, client, superuser, ticket_a, gestoria_ticket, staff_seguros):
        client.force_login(superuser)
        self.post(client, [ticket_a, gestoria_ticket], apply="1", owner=staff_seguros.pk)
        assert not Ticket.objects.filter(owner__isnull=False).exists()

    def test_a_seguros_member_cannot_assign_a_gestorias_ticket(self, seguros_admin, gestoria_ticket, staff_seguros):
        self.post(seguros_admin, [gestoria_ticket], apply="1", owner=staff_seguros.pk)
        assert Ticket.objects.get(pk=gestoria_ticket.pk).owner is None


class TestFiltersAndCounts:
    @pytest.fixture
    def tickets(self, client_a, staff_seguros, teammate_seguros, gestoria_ticket):
        mine = make_ticket(requester=client_a, subject="Mío abierto")
        mine.assign_to(staff_seguros, by=staff_seguros)
        waiting = make_ticket(requester=client_a, subject="Mío esperando")
        waiting.assign_to(staff_seguros, by=staff_seguros)
        waiting.move_to(waiting.area.stages.get(waits_on_client=True), by=staff_seguros)
        theirs = make_ticket(requester=client_a, subject="De Rosa")
        theirs.assign_to(teammate_seguros, by=teammate_seguros)
        make_ticket(requester=client_a, subject="Nadie lo tiene")
        closed = make_ticket(requester=client_a, subject="Mío cerrado")
        closed.assign_to(staff_seguros, by=staff_seguros)
        closed.move_to(closed.area.stages.get(name="Cerrado"), by=staff_seguros)

    def subjects(self, client, **params):
        response = client.get(CHANGELIST, params)
        return {ticket.subject for ticket in response.context["cl"].result_list}

    def test_mis_tickets_and_sin_responsable(self, seguros_admin, tickets):
        assert self.subjects(seguros_admin, responsable="mios") == {"Mío abierto", "Mío esperando", "Mío cerrado"}
        assert self.subjects(seguros_admin, responsable="mios-esperando") == {"Mío esperando"}
        # The Gestorías ticket has no owner either, but it is not this team's.
        assert self.subjects(seguros_admin, responsable="nadie") == {"Nadie lo tiene"}

    def test_the_index_shows_each_staff_member_their_counts(self, seguros_admin, tickets, django_assert_num_queries):
        seguros_admin.get(reverse("admin:index"))
        # Session, user, permissions (2), the counts (1), the areas (1), recent actions,
        # the session's refresh (3): none per ticket.
        with django_assert_num_queries(10):
            response = seguros_admin.get(reverse("admin:index"))
        counts = response.context["counts"]
        assert counts == {"mine": 2, "mine_waiting": 1, "unassigned": 1}
        assert "mis tickets abiertos" in response.content.decode()


class TestClientMessageMail:
    def write(self, committed, ticket, author):
        committed(
            services.entry_add,
            ticket=ticket,
            kind=Kind.CLIENT_MESSAGE,
            author=author,
            body="¿Cómo va mi trámite?",
            channel=Channel.PORTAL,
        )

    def test_the_owner_is_told_when_a_client_writes(
        self, ticket_a, client_a, staff_seguros, teammate_seguros, committed, deliver
    ):
        ticket_a.assign_to(teammate_seguros, by=staff_seguros)
        self.write(committed, ticket_a, client_a)
        [mail] = deliver()
        assert mail.to == ["rosa@jhl.mx"]
        assert "¿Cómo va mi trámite?" in mail.body

    def test_without_a_current_owner_the_team_is_told(
        self, ticket_a, client_a, staff_seguros, teammate_seguros, committed, deliver
    ):
        ticket_a.assign_to(teammate_seguros, by=staff_seguros)
        teammate_seguros.is_active = False
        teammate_seguros.save()
        self.write(committed, ticket_a, client_a)
        [mail] = deliver()
        assert mail.to == ["patricia@jhl.mx"]
