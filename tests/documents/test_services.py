"""Sending and reviewing a stage's documents (documents.services)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from documents import services
from documents.models import TicketDocument, checklist
from emails.models import OutboundEmail
from tests.factories import StaffFactory
from tickets.models import TimelineEntry
from tickets.services import TicketClosedError

from .conftest import stage

Status = TicketDocument.Status
Kind = TimelineEntry.Kind


class TestUpload:
    def test_a_client_sends_a_document_and_it_waits_in_review(self, ticket, factura, client_a, send):
        document = send(ticket, factura, client_a, name="factura escaneada.pdf")
        assert document.status == Status.IN_REVIEW
        assert document.uploaded_by == client_a
        assert document.attachment.original_name == "factura escaneada.pdf"
        entry = document.attachment.entry
        assert entry.ticket == ticket and entry.kind == Kind.CLIENT_MESSAGE and entry.author == client_a
        assert "Factura" in entry.body

    def test_a_colleague_of_the_same_company_may_send_it(self, ticket, factura, colleague_a, send):
        assert send(ticket, factura, colleague_a).uploaded_by == colleague_a

    def test_another_companys_client_may_not(self, ticket, factura, client_b, send):
        with pytest.raises(PermissionDenied):
            send(ticket, factura, client_b)
        assert not TicketDocument.objects.exists()

    def test_staff_do_not_send_documents_for_the_client(self, ticket, factura, staff_gestorias, send):
        with pytest.raises(PermissionDenied):
            send(ticket, factura, staff_gestorias)

    def test_a_closed_ticket_refuses_documents(self, ticket, factura, client_a, staff_gestorias, send):
        ticket.move_to(stage("Cerrado"), by=staff_gestorias, override_reason="El cliente canceló el trámite.")
        with pytest.raises(TicketClosedError):
            send(ticket, factura, client_a)
        assert not TicketDocument.objects.exists()

    def test_a_document_of_another_stage_is_refused(self, ticket, client_a, staff_gestorias, send):
        siniestros_poliza = stage("Solicitud trámite", area="siniestros").required_documents.get(name="Póliza")
        with pytest.raises(ValidationError, match="ya no se solicita"):
            send(ticket, siniestros_poliza, client_a)

    def test_a_document_in_review_is_not_sent_twice(self, ticket, factura, client_a, send):
        send(ticket, factura, client_a)
        with pytest.raises(ValidationError, match="en revisión"):
            send(ticket, factura, client_a)
        assert ticket.entries.filter(kind=Kind.CLIENT_MESSAGE).count() == 2  # the request and one upload

    def test_a_rejected_document_may_be_sent_again(self, ticket, factura, client_a, staff_gestorias, send):
        first = send(ticket, factura, client_a)
        services.document_review(document=first, accept=False, reason="Ilegible.", by=staff_gestorias)
        second = send(ticket, factura, client_a, name="factura-nueva.pdf")
        assert second.pk == first.pk  # one current row per document
        assert second.status == Status.IN_REVIEW and second.reason == "" and second.reviewed_by is None
        assert second.attachment.original_name == "factura-nueva.pdf"
        # Both files stay on the timeline.
        assert ticket.entries.filter(attachments__isnull=False).count() == 2


class TestReview:
    def test_staff_accept_a_document(self, ticket, factura, client_a, staff_gestorias, send):
        document = services.document_review(document=send(ticket, factura, client_a), accept=True, by=staff_gestorias)
        assert document.status == Status.ACCEPTED
        assert document.reviewed_by == staff_gestorias and document.reviewed_at is not None
        notice = ticket.entries.get(kind=Kind.SYSTEM)
        assert notice.author == staff_gestorias and "Documento aceptado: Factura." in notice.body

    def test_a_rejection_needs_a_reason(self, ticket, factura, client_a, staff_gestorias, send):
        document = send(ticket, factura, client_a)
        with pytest.raises(ValidationError, match="motivo"):
            services.document_review(document=document, accept=False, reason="  ", by=staff_gestorias)
        document.refresh_from_db()
        assert document.status == Status.IN_REVIEW

    def test_a_rejection_records_and_mails_the_reason(
        self, ticket, factura, client_a, colleague_a, staff_gestorias, send, django_capture_on_commit_callbacks
    ):
        document = send(ticket, factura, colleague_a)
        with django_capture_on_commit_callbacks(execute=True):
            services.document_review(
                document=document, accept=False, reason="La factura no corresponde a la unidad.", by=staff_gestorias
            )
        document.refresh_from_db()
        assert document.status == Status.REJECTED and document.reason == "La factura no corresponde a la unidad."
        notice = ticket.entries.get(kind=Kind.SYSTEM)
        assert "Documento rechazado: Factura." in notice.body and "no corresponde a la unidad" in notice.body
        mail = OutboundEmail.objects.get(template="document_reviewed")
        # The requester, and the colleague who sent the file.
        assert mail.to == [client_a.email, colleague_a.email]
        assert mail.ticket == ticket
        assert "Factura" in mail.subject
        assert "La factura no corresponde a la unidad." in mail.text
        assert "La factura no corresponde a la unidad." in mail.html

    def test_accepting_mails_only_when_the_stage_is_complete(
        self, ticket, requirements, client_a, staff_gestorias, send, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            for requirement in requirements:
                services.document_review(document=send(ticket, requirement, client_a), accept=True, by=staff_gestorias)
        mail = OutboundEmail.objects.get(template="document_reviewed")
        assert "Integración expediente" in mail.subject
        assert "Aceptamos todos los documentos" in mail.text

    def test_staff_of_another_area_may_not_review(self, ticket, factura, client_a, staff_seguros, send):
        document = send(ticket, factura, client_a)
        with pytest.raises(PermissionDenied):
            services.document_review(document=document, accept=True, by=staff_seguros)

    def test_a_verdict_is_not_given_twice(self, ticket, factura, client_a, staff_gestorias, send):
        document = services.document_review(document=send(ticket, factura, client_a), accept=True, by=staff_gestorias)
        with pytest.raises(ValidationError, match="ya estaba aceptado"):
            services.document_review(document=document, accept=True, by=staff_gestorias)


class TestChecklist:
    def test_it_lists_the_stage_documents_with_their_state(self, ticket, requirements, client_a, staff_gestorias, send):
        services.document_review(document=send(ticket, requirements[0], client_a), accept=True, by=staff_gestorias)
        services.document_review(
            document=send(ticket, requirements[1], client_a), accept=False, reason="Vencida.", by=staff_gestorias
        )
        items = checklist(ticket)
        assert [(i.name, i.status) for i in items] == [
            ("Factura", "accepted"),
            ("Tarjeta de circulación", "rejected"),
            ("Identificación oficial", "pending"),
        ]
        assert items[1].reason == "Vencida." and items[1].accepts_upload
        assert not items[0].accepts_upload and items[2].accepts_upload
        assert [d.name for d in services.missing_documents(ticket)] == ["Tarjeta de circulación", "Identificación oficial"]

    def test_another_tickets_documents_do_not_count(self, ticket, factura, client_a, staff_gestorias, send):
        from tests.factories import make_ticket

        other = make_ticket(requester=client_a, area="gestorias", subject="Otro trámite")
        other.move_to(ticket.stage, by=staff_gestorias)
        services.document_review(document=send(other, factura, client_a), accept=True, by=staff_gestorias)
        assert checklist(ticket)[0].status == "pending"
        assert len(services.missing_documents(ticket)) == 3

    def test_a_stage_without_documents_has_an_empty_checklist(self, ticket_a):
        assert checklist(ticket_a) == []


def test_superusers_review_any_area(ticket, factura, client_a, send, db):
    boss = StaffFactory(email="jefa@jhl.mx", is_superuser=True)
    assert services.document_review(document=send(ticket, factura, client_a), accept=True, by=boss).status == Status.ACCEPTED


def test_the_demo_shows_a_stage_with_documents_under_way(db):
    from tickets.demo import seed_demo

    seed_demo()
    ticket = TicketDocument.objects.get(requirement__name="Tarjeta de circulación", status=Status.REJECTED).ticket
    assert ticket.stage.name == "Integración expediente"
    assert [(i.name, i.status) for i in checklist(ticket)] == [
        ("Factura", "accepted"),
        ("Tarjeta de circulación", "rejected"),
        ("Identificación oficial", "pending"),
    ]
    # Every demo ticket that went past a stage with documents has them all accepted.
    for document in TicketDocument.objects.exclude(ticket=ticket).select_related("ticket__stage", "requirement__stage"):
        if document.ticket.stage.position > document.requirement.stage.position:
            assert document.status == Status.ACCEPTED
