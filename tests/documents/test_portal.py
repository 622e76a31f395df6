"""The "Documentos requeridos" checklist on a ticket's page, and its upload slots."""

import pytest
from django.urls import reverse

from documents import services
from documents.models import TicketDocument
from tests.files import fake_pdf, pdf, png
from tickets import page_cache
from tickets.models import Attachment, TimelineEntry

from .conftest import stage

Status = TicketDocument.Status


def detail_url(ticket) -> str:
    return reverse("portal:ticket_detail", kwargs={"number": ticket.number})


def upload_url(ticket, requirement) -> str:
    return reverse("portal:document_upload", kwargs={"number": ticket.number, "requirement_id": requirement.pk})


@pytest.fixture
def ana(client, client_a):
    client.force_login(client_a)
    return client


class TestChecklist:
    def test_the_page_lists_the_stage_documents_with_an_upload_slot_each(self, ana, ticket, requirements):
        page = ana.get(detail_url(ticket)).content.decode()
        assert "Documentos requeridos" in page
        assert "0 de 3 aceptados" in page
        for requirement in requirements:
            assert requirement.name in page
            assert upload_url(ticket, requirement) in page
        assert page.count("Pendiente") >= 3

    def test_it_shows_each_state_and_the_rejection_reason(self, ana, ticket, requirements, client_a, staff_gestorias, send):
        services.document_review(document=send(ticket, requirements[0], client_a), accept=True, by=staff_gestorias)
        services.document_review(
            document=send(ticket, requirements[1], client_a), accept=False, reason="Está vencida.", by=staff_gestorias
        )
        page = ana.get(detail_url(ticket)).content.decode()
        assert "1 de 3 aceptados" in page
        assert "badge-document-accepted" in page and "badge-document-rejected" in page
        assert "Motivo del rechazo:" in page and "Está vencida." in page
        # An accepted document has no slot; a rejected one may be sent again.
        assert upload_url(ticket, requirements[0]) not in page
        assert upload_url(ticket, requirements[1]) in page and "Enviar de nuevo" in page

    def test_a_stage_without_documents_shows_no_card(self, ana, ticket_a):
        assert "Documentos requeridos" not in ana.get(detail_url(ticket_a)).content.decode()

    def test_the_card_follows_the_current_stage(self, ana, ticket, requirements, staff_gestorias):
        ticket.move_to(stage("Esperando información cliente"), by=staff_gestorias)
        page = ana.get(detail_url(ticket)).content.decode()
        assert "Documentos requeridos" not in page
        assert upload_url(ticket, requirements[0]) not in page


class TestUpload:
    def test_a_client_uploads_a_document_and_sees_it_in_review(self, ana, ticket, factura, client_a):
        response = ana.post(upload_url(ticket, factura), {"file": pdf("factura.pdf")})
        assert response.status_code == 302
        assert response["Location"] == detail_url(ticket) + "#documentos"
        document = TicketDocument.objects.get(ticket=ticket, requirement=factura)
        assert document.status == Status.IN_REVIEW and document.uploaded_by == client_a
        page = ana.get(response["Location"]).content.decode()
        assert "Recibimos «Factura»" in page
        assert "En revisión" in page
        # The file downloads through the portal's access-checked attachment view.
        download = reverse("portal:attachment_download", args=[document.attachment_id])
        assert download in page
        assert ana.get(download).status_code == 200

    def test_a_bad_file_is_refused_at_its_slot_and_nothing_is_stored(self, ana, ticket, factura):
        entries = ticket.entries.count()
        response = ana.post(upload_url(ticket, factura), {"file": fake_pdf("factura.pdf")})
        assert response.status_code == 400
        page = response.content.decode()
        assert "no es un archivo PDF, JPG, PNG válido" in page
        assert 'id="documento-' in page and "field-invalid" in page
        assert not TicketDocument.objects.exists()
        assert not Attachment.objects.filter(entry__ticket=ticket).exists()
        assert ticket.entries.count() == entries

    def test_no_file_is_an_error_in_spanish(self, ana, ticket, factura):
        response = ana.post(upload_url(ticket, factura), {})
        assert response.status_code == 400
        assert "Elija el archivo del documento." in response.content.decode()

    def test_a_photo_is_accepted(self, ana, ticket, factura):
        ana.post(upload_url(ticket, factura), {"file": png("factura.jpeg")})
        assert TicketDocument.objects.get().attachment.original_name == "factura.png"

    def test_another_companys_client_gets_404(self, client, client_b, ticket, factura):
        client.force_login(client_b)
        assert client.get(detail_url(ticket)).status_code == 404
        assert client.post(upload_url(ticket, factura), {"file": pdf()}).status_code == 404
        assert not TicketDocument.objects.exists()

    def test_a_requirement_of_another_area_is_404(self, ana, ticket):
        poliza = stage("Solicitud trámite", area="siniestros").required_documents.get(name="Póliza")
        assert ana.post(upload_url(ticket, poliza), {"file": pdf()}).status_code == 404

    def test_a_closed_ticket_refuses_the_upload(self, ana, ticket, factura, staff_gestorias):
        ticket.move_to(stage("Cerrado"), by=staff_gestorias, override_reason="Cancelado por el cliente.")
        response = ana.post(upload_url(ticket, factura), {"file": pdf()}, follow=True)
        assert "Este ticket está cerrado" in response.content.decode()
        assert not TicketDocument.objects.exists()

    def test_a_document_already_in_review_is_not_replaced(self, ana, ticket, factura, client_a, send):
        send(ticket, factura, client_a, name="primera.pdf")
        response = ana.post(upload_url(ticket, factura), {"file": pdf("segunda.pdf")}, follow=True)
        assert "ya se envió y está en revisión" in response.content.decode()
        assert TicketDocument.objects.get().attachment.original_name == "primera.pdf"

    def test_staff_are_sent_to_admin(self, client, staff_gestorias, ticket, factura):
        client.force_login(staff_gestorias)
        assert client.post(upload_url(ticket, factura), {"file": pdf()})["Location"] == reverse("admin:index")

    def test_the_team_hears_of_the_upload_as_of_a_client_message(self, ana, ticket, factura):
        ana.post(upload_url(ticket, factura), {"file": pdf()})
        assert ticket.entries.filter(kind=TimelineEntry.Kind.CLIENT_MESSAGE, attachments__isnull=False).count() == 1


@pytest.mark.parametrize("sent", [0, 3])
def test_the_detail_runs_a_constant_number_of_queries(ana, ticket, requirements, client_a, send, sent, django_assert_num_queries):
    for requirement in requirements[:sent]:
        send(ticket, requirement, client_a)
    ana.get(detail_url(ticket))
    page_cache.bump()  # the page is rendered again, not served from the cache
    # As tests/tickets/test_portal_detail.py: the checklist is one query however many
    # documents the stage asks for and the client sent.
    with django_assert_num_queries(10):
        ana.get(detail_url(ticket))
