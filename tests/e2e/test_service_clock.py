"""The service clock from the client's side, in a real browser (issue 11.2): the page
says by when the next update comes, and that the clock waits while the team waits on
the client."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.factories import make_ticket
from workflows.models import Stage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MX = ZoneInfo("America/Mexico_City")


def seguros(name):
    return Stage.objects.get(area__slug="seguros", name=name)


def test_a_client_follows_the_deadline_through_a_pause(page, login, client_a, password, staff_seguros):
    ticket = make_ticket(requester=client_a, area="seguros", subject="Cotización de la Saveiro")
    # Cotización (2 business days) from Thursday 24 Dec 2026 at 17:00: 1 h that day,
    # Christmas and the weekend skipped, 9 h on Monday 28, 8 h on Tuesday 29.
    ticket.move_to(seguros("Cotización"), by=staff_seguros, at=datetime(2026, 12, 24, 17, tzinfo=MX))

    login(page, client_a.email, password)
    page.get_by_role("link", name="Cotización de la Saveiro").click()
    due = page.locator(".ticket-head .ticket-due")
    expect(due).to_have_text("Próxima actualización a más tardar: 29 dic 2026, 17:00")

    # The team asks for a document on Monday 28 at 10:00: the clock pauses with 16 h left.
    ticket.move_to(seguros("Esperando información cliente"), by=staff_seguros, at=datetime(2026, 12, 28, 10, tzinfo=MX))
    page.reload()
    expect(due).to_have_text("El plazo de atención está en pausa mientras esperamos su información.")
    expect(page.locator(".ticket-head")).to_contain_text("Necesitamos información de usted")
    page.get_by_role("link", name="Responder").click()
    page.get_by_label("Su mensaje").fill("Les envío la tarjeta de circulación.")
    page.get_by_role("button", name="Enviar mensaje").click()
    expect(page.locator(".message-success")).to_contain_text("Mensaje enviado")

    # Back to Cotización on Wednesday 30 at 9:00: the 16 h left end on New Year's Eve
    # at 16:00 (9 h on the 30th, 7 h on the 31st).
    ticket.move_to(seguros("Cotización"), by=staff_seguros, at=datetime(2026, 12, 30, 9, tzinfo=MX))
    page.reload()
    expect(due).to_have_text("Próxima actualización a más tardar: 31 dic 2026, 16:00")
