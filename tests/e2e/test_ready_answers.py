"""Ready answers in Chromium: pick one on a ticket's page, edit it, send it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import make_ticket
from tickets.models import TimelineEntry
from workflows.models import Area
from workspace.models import ReadyAnswer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_ready_answer_is_inserted_filled_and_editable(page, login, staff_seguros, password, client_a):
    ticket = make_ticket(requester=client_a, area="seguros", subject="Renovación")
    ReadyAnswer.objects.create(
        area=Area.objects.get(slug="seguros"), title="Pedir póliza", body="Hola {nombre}, sobre {ticket} ({etapa}) {otro}"
    )
    login(page, staff_seguros.email, password)
    page.goto(reverse("admin:tickets_ticket_change", args=[ticket.pk]))

    box = page.locator("textarea[name='entries-2-0-body']")
    box.fill("Buen día. ")
    page.locator("#ready-answer-choice").select_option(label="Pedir póliza")
    page.locator("#ready-answer-insert").click()
    expect(box).to_have_value(f"Buen día. Hola Ana García, sobre #{ticket.number} (Abierto) {{otro}}")
    box.press("End")
    box.type(" Gracias.")
    page.locator("input[name='_continue']").click()

    expect(page.locator(".messagelist")).to_be_visible()
    reply = TimelineEntry.objects.get(ticket=ticket, kind=TimelineEntry.Kind.STAFF_REPLY)
    assert reply.body == f"Buen día. Hola Ana García, sobre #{ticket.number} (Abierto) {{otro}} Gracias."
