"""Finding the way in the portal (issue 8.4): "← Volver" returns to the list the client
came from, with its filters; after a reply the focus lands on the new message."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import make_ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIST_URL = reverse("portal:ticket_list")


@pytest.fixture
def ana(page, login, client_a, colleague_a, password):
    make_ticket(requester=client_a, area="siniestros", subject="Robo de espejo lateral")
    make_ticket(requester=colleague_a, area="siniestros", subject="Robo de batería en la noche")
    make_ticket(requester=client_a, area="seguros", subject="Renovación de póliza de flotilla")
    login(page, client_a.email, password)
    return page


def test_volver_returns_to_the_filtered_organization_list_even_after_a_reply(ana):
    ana.goto(f"{LIST_URL}?ver=organizacion&estado=abierto&q=robo")
    expect(ana.locator("table.ticket-table tbody tr")).to_have_count(2)
    ana.get_by_role("link", name="Robo de batería en la noche").click()
    expect(ana.get_by_role("heading", level=1)).to_have_text("Robo de batería en la noche")

    ana.get_by_label("Su mensaje").fill("La batería era nueva; adjuntamos la factura después.")
    ana.get_by_role("button", name="Enviar mensaje").click()
    expect(ana.locator(".message-success")).to_contain_text("Mensaje enviado")
    # The focus is on the message just sent, not at the top of the page.
    new_message = ana.locator("ol.timeline li.entry").last
    expect(new_message).to_contain_text("La batería era nueva")
    expect(new_message).to_be_focused()

    ana.get_by_role("link", name="← Volver a los tickets de la organización").click()
    expect(ana).to_have_url(re.compile(re.escape(LIST_URL) + r"\?q=robo&ver=organizacion&estado=abierto$"))
    expect(ana.get_by_role("heading", level=1)).to_have_text("Tickets de la organización")
    expect(ana.get_by_label("Buscar por asunto o número")).to_have_value("robo")
    expect(ana.locator("table.ticket-table tbody tr")).to_have_count(2)


def test_volver_returns_to_my_tickets_with_their_search(ana):
    ana.goto(f"{LIST_URL}?q=poliza")
    ana.get_by_role("link", name="Renovación de póliza de flotilla").click()
    ana.get_by_role("link", name="← Volver a mis tickets").click()
    expect(ana).to_have_url(re.compile(re.escape(LIST_URL) + r"\?q=poliza$"))
    expect(ana.locator("table.ticket-table tbody tr")).to_have_count(1)
