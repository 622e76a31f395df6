"""The new-ticket form's duplicate step in a real browser (issue 8.1): the PDF chosen
before the "Ya tiene tickets abiertos en esta área" confirmation reaches the ticket."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import make_ticket
from tests.files import PDF_BYTES
from tickets.models import Attachment, HeldUpload, Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ana(page, login, client_a, password):
    make_ticket(requester=client_a, area="gestorias", subject="Trámite de gestoría vehicular")
    login(page, client_a.email, password)
    return page


def test_the_pdf_survives_the_duplicate_confirmation(ana):
    ana.goto(reverse("portal:ticket_new"))
    ana.get_by_role("radio", name=re.compile("^Gestorías")).check()
    ana.get_by_label("Asunto").fill("Verificación de la Frontier")
    ana.get_by_label("Descripción").fill("Necesitamos agendar la verificación del segundo semestre.")
    ana.get_by_label("Cargar un archivo").set_input_files(
        [{"name": "tarjeta de circulación.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    # She sends without reading the notice: the server asks her to confirm.
    ana.get_by_role("button", name="Enviar", exact=True).click()
    duplicates = ana.locator("#duplicates")
    expect(duplicates).to_contain_text("Su solicitud aún no se ha enviado.")
    expect(duplicates).to_contain_text("Trámite de gestoría vehicular")
    # The file input is empty (browsers never keep a file), and says where the file is.
    held = ana.locator("#held-file")
    expect(held).to_contain_text("Conservamos su archivo tarjeta de circulación.pdf")
    expect(ana.get_by_label("Cargar un archivo")).to_have_accessible_description(re.compile("Conservamos su archivo"))
    assert not Ticket.objects.filter(subject="Verificación de la Frontier").exists()

    ana.get_by_label("Sí, es una solicitud distinta").check()
    ana.get_by_role("button", name="Enviar", exact=True).click()
    expect(ana.locator(".message-success")).to_contain_text("Recibimos su solicitud")
    ticket = Ticket.objects.get(subject="Verificación de la Frontier")
    expect(ana).to_have_url(re.compile(reverse("portal:ticket_detail", kwargs={"number": ticket.number}) + "$"))
    with ana.expect_download() as download:
        ana.locator("ol.timeline").get_by_role("link", name="tarjeta de circulación.pdf").click()
    assert download.value.suggested_filename == "tarjeta de circulación.pdf"
    assert Attachment.objects.get(entry__ticket=ticket).size == len(PDF_BYTES)
    assert not HeldUpload.objects.exists()
