"""Issue 11.3 in a real browser: a client sends a stage's required document from the
ticket's page, on the demo data (Ana's Gestorías ticket in «Integración expediente»)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from documents.models import RequiredDocument, TicketDocument
from tests.files import PDF_BYTES
from tickets.demo import DEMO_PASSWORD, seed_demo
from tickets.models import Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_ticket(pipelines):
    seed_demo()
    return Ticket.objects.get(requester__email="ana.garcia@transportesdelnorte.mx", stage__name="Integración expediente")


def slot(page, name: str):
    requirement = RequiredDocument.objects.get(stage__name="Integración expediente", name=name)
    return page.locator(f"#documento-{requirement.pk}")


def test_a_client_sends_a_pending_document_and_sees_it_in_review(page, login, demo_ticket):
    login(page, "ana.garcia@transportesdelnorte.mx", DEMO_PASSWORD)
    page.goto(reverse("portal:ticket_detail", kwargs={"number": demo_ticket.number}))
    card = page.locator("#documentos")
    expect(card).to_contain_text("1 de 3 aceptados")
    expect(slot(page, "Factura")).to_contain_text("Aceptado")
    expect(slot(page, "Tarjeta de circulación")).to_contain_text("Rechazado")
    expect(slot(page, "Tarjeta de circulación")).to_contain_text("Motivo del rechazo:")
    pending = slot(page, "Identificación oficial")
    expect(pending).to_contain_text("Pendiente")

    # Not a PDF, whatever its name says: refused at its slot, nothing stored.
    pending.locator("input[type=file]").set_input_files(
        {"name": "ine.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00 not a pdf"}
    )
    pending.get_by_role("button", name="Enviar documento").click()
    pending = slot(page, "Identificación oficial")
    expect(pending.locator(".errorlist")).to_contain_text("no es un archivo PDF, JPG, PNG válido")
    assert not TicketDocument.objects.filter(ticket=demo_ticket, requirement__name="Identificación oficial").exists()

    pending.locator("input[type=file]").set_input_files({"name": "ine.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES})
    pending.get_by_role("button", name="Enviar documento").click()
    expect(page.locator(".messages, [role=status]").first).to_contain_text("Recibimos «Identificación oficial»")
    sent = slot(page, "Identificación oficial")
    expect(sent).to_contain_text("En revisión")
    expect(sent.get_by_role("link", name="ine.pdf")).to_be_visible()
    expect(sent.locator("input[type=file]")).to_have_count(0)
    document = TicketDocument.objects.get(ticket=demo_ticket, requirement__name="Identificación oficial")
    assert document.status == TicketDocument.Status.IN_REVIEW
