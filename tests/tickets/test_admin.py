"""Staff work in Django admin: the ticket list, the stage action, the timeline form."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from tests.admin_pages import save_ticket_page
from tests.factories import make_ticket
from tests.files import fake_pdf, pdf
from tickets.models import Ticket, TimelineEntry
from workflows.models import Stage

Kind = TimelineEntry.Kind
CHANGELIST = reverse("admin:tickets_ticket_changelist")


def change_url(ticket):
    return reverse("admin:tickets_ticket_change", args=[ticket.pk])


@pytest.fixture
def seguros_client(client, staff_seguros):
    client.force_login(staff_seguros)
    return client


class TestChangelist:
    def test_it_lists_tickets_with_their_status(self, seguros_client, ticket_a):
        content = seguros_client.get(CHANGELIST).content.decode()
        assert ticket_a.subject in content
        assert "Transportes del Norte" in content

    def test_a_seguros_member_does_not_see_a_gestorias_ticket(self, seguros_client, client_a, ticket_a):
        gestoria = make_ticket(requester=client_a, area="gestorias", subject="Pago de tenencia oculto")
        content = seguros_client.get(CHANGELIST).content.decode()
        assert "Pago de tenencia oculto" not in content
        # Django admin's answer for an ID that does not exist: back to the index, so a
        # ticket of another area is indistinguishable from one never created.
        missing = reverse("admin:tickets_ticket_change", args=[gestoria.pk + 1000])
        for response in (
            seguros_client.get(change_url(gestoria)),
            seguros_client.post(change_url(gestoria), {"subject": "cambiado"}),
            seguros_client.get(missing),
        ):
            assert (response.status_code, response["Location"]) == (302, reverse("admin:index"))
        assert Ticket.objects.get(pk=gestoria.pk).subject == "Pago de tenencia oculto"

    def test_it_searches_by_number_subject_and_requester_email(self, seguros_client, ticket_a, ticket_b):
        by_number = seguros_client.get(CHANGELIST, {"q": str(ticket_b.pk)}).content.decode()
        assert ticket_b.subject in by_number and ticket_a.subject not in by_number
        by_email = seguros_client.get(CHANGELIST, {"q": "ana@transportes"}).content.decode()
        assert ticket_a.subject in by_email and ticket_b.subject not in by_email
        by_subject = seguros_client.get(CHANGELIST, {"q": "cotización"}).content.decode()
        assert ticket_b.subject in by_subject and ticket_a.subject not in by_subject

    def test_it_filters_by_state(self, seguros_client, ticket_a, ticket_b, staff_seguros):
        ticket_b.move_to(Stage.objects.get(area__slug="seguros", name="Cerrado"), by=staff_seguros)
        closed = seguros_client.get(CHANGELIST, {"state": "closed"}).content.decode()
        assert ticket_b.subject in closed and ticket_a.subject not in closed

    @pytest.mark.parametrize("rows", [10, 200])
    def test_it_runs_a_constant_number_of_queries(self, client, superuser, client_a, django_assert_num_queries, rows):
        from django.db import connection

        for i in range(rows):
            make_ticket(requester=client_a, subject=f"Ticket {i}")
        client.force_login(superuser)
        client.get(CHANGELIST)  # warm the session and the content types cache
        # session, user, the filters' areas, stages and organizations, the count, the page's
        # tickets, the overdue / due-today counts per area (issue 11.2), the session's save
        # (3: in a savepoint); PostgreSQL also asks the planner for its estimate before
        # counting (admin_paginator).
        with django_assert_num_queries(11 + (connection.vendor == "postgresql")):
            assert client.get(CHANGELIST).status_code == 200


class TestMoveToStageAction:
    def post_action(self, client, tickets, **extra):
        data = {"action": "move_to_stage", ACTION_CHECKBOX_NAME: [t.pk for t in tickets], **extra}
        return client.post(CHANGELIST, data)

    def test_it_offers_only_the_stages_of_the_tickets_area(self, seguros_client, ticket_a):
        content = self.post_action(seguros_client, [ticket_a]).content.decode()
        assert "Abierto-Cotización" in content
        assert "Verificaciones" not in content  # a Gestorías stage

    def test_it_moves_and_records_who_did_it(self, seguros_client, ticket_a, staff_seguros):
        cotizacion = Stage.objects.get(area__slug="seguros", name="Cotización")
        self.post_action(seguros_client, [ticket_a], apply="1", stage=cotizacion.pk)
        ticket_a.refresh_from_db()
        assert ticket_a.stage == cotizacion
        change = ticket_a.entries.get(kind=Kind.STAGE_CHANGE)
        assert change.author == staff_seguros

    def test_it_refuses_a_stage_of_another_area(self, seguros_client, ticket_a):
        verificaciones = Stage.objects.get(area__slug="gestorias", name="Verificaciones")
        self.post_action(seguros_client, [ticket_a], apply="1", stage=verificaciones.pk)
        ticket_a.refresh_from_db()
        assert ticket_a.stage.name == "Abierto"

    def test_it_refuses_tickets_of_several_areas(self, client, superuser, client_a, ticket_a):
        gestoria = make_ticket(requester=client_a, area="gestorias")
        client.force_login(superuser)
        response = self.post_action(client, [ticket_a, gestoria], apply="1")
        assert response.status_code == 302
        assert not TimelineEntry.objects.filter(kind=Kind.STAGE_CHANGE).exists()

    def test_it_cannot_move_tickets_outside_the_staff_members_areas(self, seguros_client, client_a):
        gestoria = make_ticket(requester=client_a, area="gestorias")
        verificaciones = Stage.objects.get(area__slug="gestorias", name="Verificaciones")
        self.post_action(seguros_client, [gestoria], apply="1", stage=verificaciones.pk)
        gestoria.refresh_from_db()
        assert gestoria.stage.name == "Abierto"


class TestTicketPage:
    def test_it_shows_the_timeline(self, seguros_client, ticket_a):
        content = seguros_client.get(change_url(ticket_a)).content.decode()
        assert "Mensaje del cliente" in content

    def test_staff_add_a_reply_that_is_recorded_as_theirs(self, seguros_client, ticket_a, staff_seguros):
        response = save_ticket_page(seguros_client, ticket_a, kind=Kind.STAFF_REPLY, body="Ya lo revisamos")
        assert response.status_code == 302
        reply = ticket_a.entries.get(kind=Kind.STAFF_REPLY)
        assert (reply.author, reply.body) == (staff_seguros, "Ya lo revisamos")

    def test_staff_add_an_internal_note_hidden_from_clients(self, seguros_client, ticket_a):
        save_ticket_page(seguros_client, ticket_a, kind=Kind.INTERNAL_NOTE, body="Solo equipo")
        note = ticket_a.entries.get(kind=Kind.INTERNAL_NOTE)
        assert note.channel == "internal"
        assert not ticket_a.entries.visible_to_clients().filter(pk=note.pk).exists()

    def test_staff_log_a_whatsapp_conversation_with_a_pdf(self, seguros_client, ticket_a):
        save_ticket_page(
            seguros_client,
            ticket_a,
            upload=pdf("poliza.pdf"),
            kind=Kind.CONVERSATION,
            conversation_channel="whatsapp",
            body="Llamó por WhatsApp",
        )
        entry = ticket_a.entries.get(kind=Kind.CONVERSATION)
        assert entry.channel == "whatsapp"
        assert entry.attachments.get().content_type == "application/pdf"

    def test_a_fake_pdf_is_refused(self, seguros_client, ticket_a):
        fake = fake_pdf("poliza.pdf")
        response = save_ticket_page(seguros_client, ticket_a, upload=fake, kind=Kind.STAFF_REPLY, body="Adjunto")
        assert response.status_code == 200
        assert "no es un archivo" in response.content.decode()
        assert not ticket_a.entries.filter(kind=Kind.STAFF_REPLY).exists()

    def test_changing_the_stage_on_the_page_goes_through_move_to(self, seguros_client, ticket_a, staff_seguros):
        emision = Stage.objects.get(area__slug="seguros", name="Emisión")
        save_ticket_page(seguros_client, ticket_a, stage=emision)
        change = ticket_a.entries.get(kind=Kind.STAGE_CHANGE)
        assert (change.to_stage, change.author) == (emision, staff_seguros)

    def test_saving_only_a_new_stage_adds_no_entry_and_needs_no_message(self, seguros_client, ticket_a):
        cotizacion = Stage.objects.get(area__slug="seguros", name="Cotización")
        response = save_ticket_page(seguros_client, ticket_a, stage=cotizacion)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert Ticket.objects.get(pk=ticket_a.pk).stage == cotizacion
        assert list(ticket_a.entries.values_list("kind", flat=True)) == [Kind.CLIENT_MESSAGE, Kind.STAGE_CHANGE]

    def test_the_stage_field_offers_only_the_tickets_area(self, seguros_client, ticket_a):
        content = seguros_client.get(change_url(ticket_a)).content.decode()
        assert "Abierto-Cotización" in content
        assert "Abierto-Verificaciones" not in content

    def test_staff_download_attachments_of_their_areas_only(self, client, seguros_client, staff_gestorias, client_a):
        from tickets.uploads import validate_upload

        ticket = make_ticket(requester=client_a, attachments=[validate_upload(pdf("f.pdf"))])
        attachment = ticket.entries.get().attachments.get()
        url = reverse("admin:tickets_attachment_download", args=[attachment.pk])
        response = seguros_client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        client.force_login(staff_gestorias)
        assert client.get(url).status_code == 404


def test_a_large_list_is_counted_by_the_planner_estimate_on_postgresql(client, superuser, client_a, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tickets import admin_paginator

    for i in range(3):
        make_ticket(requester=client_a, subject=f"Ticket {i}")
    monkeypatch.setattr(admin_paginator, "EXACT_COUNT_LIMIT", 0)
    client.force_login(superuser)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(CHANGELIST).status_code == 200
    sql = [q["sql"] for q in captured.captured_queries]
    counts = [s for s in sql if "COUNT(*)" in s and "tickets_ticket" in s]
    if connection.vendor == "postgresql":
        assert any(s.startswith("EXPLAIN") for s in sql)
        assert counts == []
    else:
        # No planner estimate to read elsewhere: the paginator counts exactly.
        assert not any(s.startswith("EXPLAIN") for s in sql)
        assert len(counts) == 1


def test_the_admin_speaks_spanish_even_where_django_does_not_yet(seguros_client, ticket_a):
    content = seguros_client.get(CHANGELIST).text
    assert ">Ejecutar<" in content and "- Seleccione una opción -" in content
    assert ">Run<" not in content


def test_timeline_times_are_shown_in_mexico_city_time(seguros_client, client_a):
    import datetime

    opened = datetime.datetime(2026, 11, 24, 16, 35, tzinfo=datetime.UTC)  # 10:35 in Mexico City
    ticket = make_ticket(requester=client_a, created_at=opened)
    content = seguros_client.get(change_url(ticket)).text
    assert "10:35" in content
    assert "16:35" not in content


def test_the_admin_ticket_page_has_no_inline_style_the_csp_would_block(seguros_client, ticket_a):
    content = seguros_client.get(change_url(ticket_a)).text
    assert "style=" not in content.split("<body", 1)[1].replace('<link rel="stylesheet"', "")
    assert "css/admin.css" in content
    assert "class='timeline-body'" in content
