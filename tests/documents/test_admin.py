"""Staff review documents on the ticket's admin page; stage changes there, with
"Mover a etapa…" and on the board say why a move is refused and take an override."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from documents.models import TicketDocument
from emails.models import OutboundEmail
from tests.admin_pages import ticket_page_data
from tickets.models import TimelineEntry

from .conftest import stage

Status = TicketDocument.Status
Kind = TimelineEntry.Kind


@pytest.fixture
def jorge(client, staff_gestorias):
    client.force_login(staff_gestorias)
    return client


def change_url(ticket) -> str:
    return reverse("admin:tickets_ticket_change", args=[ticket.pk])


def save_with_reviews(client, ticket, reviews: dict, **extra):
    """Post the ticket's page with a verdict per document: {document: (decision, reason)}."""
    data = ticket_page_data(ticket, **extra)
    documents = list(ticket.documents.order_by("requirement__stage__position", "requirement__position", "pk"))
    data |= {"documents-TOTAL_FORMS": str(len(documents)), "documents-INITIAL_FORMS": str(len(documents))}
    for n, document in enumerate(documents):
        decision, reason = reviews.get(document, ("", ""))
        data |= {
            f"documents-{n}-id": document.pk,
            f"documents-{n}-ticket": ticket.pk,
            f"documents-{n}-decision": decision,
            f"documents-{n}-reason": reason,
        }
    return client.post(change_url(ticket), data)


class TestReviewInAdmin:
    def test_the_page_lists_the_documents_and_what_is_pending(self, jorge, ticket, factura, client_a, send):
        send(ticket, factura, client_a, name="factura-unidad.pdf")
        page = jorge.get(change_url(ticket)).content.decode()
        assert "Documentos requeridos" in page
        assert "factura-unidad.pdf" in page and "En revisión" in page
        assert "aún sin aceptar: Factura, Tarjeta de circulación, Identificación oficial" in page
        assert "Motivo para avanzar sin documentos" in page

    def test_staff_accept_a_document(self, jorge, ticket, factura, client_a, staff_gestorias, send):
        document = send(ticket, factura, client_a)
        response = save_with_reviews(jorge, ticket, {document: ("accept", "")})
        assert response.status_code == 302
        document.refresh_from_db()
        assert document.status == Status.ACCEPTED and document.reviewed_by == staff_gestorias

    def test_staff_reject_with_a_reason_the_client_is_mailed(
        self, jorge, ticket, factura, client_a, send, django_capture_on_commit_callbacks
    ):
        document = send(ticket, factura, client_a)
        with django_capture_on_commit_callbacks(execute=True):
            response = save_with_reviews(jorge, ticket, {document: ("reject", "Falta la segunda hoja.")})
        assert response.status_code == 302
        document.refresh_from_db()
        assert document.status == Status.REJECTED and document.reason == "Falta la segunda hoja."
        assert "Falta la segunda hoja." in OutboundEmail.objects.get(template="document_reviewed").text

    def test_a_rejection_without_reason_is_an_error_on_the_page(self, jorge, ticket, factura, client_a, send):
        document = send(ticket, factura, client_a)
        response = save_with_reviews(jorge, ticket, {document: ("reject", "")})
        assert response.status_code == 200
        assert "Indique el motivo del rechazo" in response.content.decode()
        document.refresh_from_db()
        assert document.status == Status.IN_REVIEW

    def test_staff_of_another_area_do_not_see_the_ticket(self, client, staff_seguros, ticket):
        client.force_login(staff_seguros)
        assert client.get(change_url(ticket)).status_code == 302  # admin: "not found" → to the list

    def test_a_ticket_without_documents_has_no_section(self, client, staff_seguros, ticket_a):
        client.force_login(staff_seguros)
        assert "Documentos requeridos" not in client.get(change_url(ticket_a)).content.decode()


def test_the_add_page_has_neither_documents_nor_override(client, superuser):
    client.force_login(superuser)
    page = client.get(reverse("admin:tickets_ticket_add")).content.decode()
    assert "documents-group" not in page
    assert "Motivo para avanzar sin documentos" not in page


class TestStageChangeInAdmin:
    def test_a_refused_move_is_an_error_at_the_stage(self, jorge, ticket):
        response = save_with_reviews(jorge, ticket, {}, stage=stage("Pago pendiente"))
        assert response.status_code == 200
        assert "requiere documentos aceptados que faltan" in response.content.decode()
        ticket.refresh_from_db()
        assert ticket.stage.name == "Integración expediente"

    def test_a_reason_overrides_and_is_recorded(self, jorge, ticket, staff_gestorias):
        data_reason = {"override_reason": "Originales recibidos en ventanilla."}
        data = ticket_page_data(ticket, stage=stage("Pago pendiente")) | data_reason
        assert jorge.post(change_url(ticket), data).status_code == 302
        ticket.refresh_from_db()
        assert ticket.stage.name == "Pago pendiente"
        note = ticket.entries.get(kind=Kind.INTERNAL_NOTE)
        assert note.author == staff_gestorias and "Originales recibidos en ventanilla." in note.body

    def test_accepting_the_last_documents_lets_it_move(self, jorge, all_accepted):
        assert save_with_reviews(jorge, all_accepted, {}, stage=stage("Pago pendiente")).status_code == 302
        all_accepted.refresh_from_db()
        assert all_accepted.stage.name == "Pago pendiente"


class TestMoveToStageAction:
    def post_action(self, client, tickets, **extra):
        data = {"action": "move_to_stage", ACTION_CHECKBOX_NAME: [t.pk for t in tickets], **extra}
        return client.post(reverse("admin:tickets_ticket_changelist"), data, follow=True)

    def test_it_says_why_a_ticket_was_not_moved(self, jorge, ticket):
        page = self.post_action(jorge, [ticket], apply="1", stage=stage("Pago pendiente").pk).content.decode()
        assert "no se pudo mover" in page and "Factura" in page
        ticket.refresh_from_db()
        assert ticket.stage.name == "Integración expediente"

    def test_the_form_offers_the_override(self, jorge, ticket, staff_gestorias):
        assert "Motivo para avanzar sin documentos" in self.post_action(jorge, [ticket]).content.decode()
        self.post_action(jorge, [ticket], apply="1", stage=stage("Pago pendiente").pk, override_reason="Urgente.")
        ticket.refresh_from_db()
        assert ticket.stage.name == "Pago pendiente"
        assert "Urgente." in ticket.entries.get(kind=Kind.INTERNAL_NOTE).body


class TestBoard:
    def test_the_board_shows_the_refusal(self, jorge, ticket):
        response = jorge.post(
            reverse("workspace:board_move", args=["gestorias"]),
            {"ticket": ticket.pk, "stage": stage("Pago pendiente").pk},
            HTTP_ACCEPT="application/json",
        )
        assert response.status_code == 400
        assert not response.json()["ok"]
        assert "Factura, Tarjeta de circulación, Identificación oficial" in response.json()["message"]


class TestStageAdmin:
    def test_a_stage_page_lists_its_documents(self, client, superuser, expediente):
        client.force_login(superuser)
        page = client.get(reverse("admin:workflows_stage_change", args=[expediente.pk])).content.decode()
        assert "Documentos requeridos" in page
        assert "Tarjeta de circulación" in page
