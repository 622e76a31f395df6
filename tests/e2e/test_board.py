"""The pipeline board in Chromium: drag a card, see the move refused, use the keyboard."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import make_ticket
from tickets.models import Ticket
from workflows.models import Stage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BOARD = reverse("workspace:board", args=["seguros"])


@pytest.fixture
def patricia(page, login, staff_seguros, password):
    """Patricia (Seguros team) signed in, with the console watched for script and CSP
    errors (a refused move answers 400 on purpose: that "Failed to load resource" line
    is not an error of the page)."""
    errors = []
    page.on(
        "console",
        lambda message: (
            message.type == "error" and not message.text.startswith("Failed to load resource") and errors.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(page, staff_seguros.email, password)
    yield page
    assert not errors, errors


@pytest.fixture
def ticket(client_a):
    return make_ticket(requester=client_a, area="seguros", subject="Renovación de la flotilla")


def column(page, name):
    return page.locator(f".board-column[data-stage='{Stage.objects.get(area__slug='seguros', name=name).pk}']")


def test_dragging_a_card_moves_the_ticket_and_the_timeline_says_who(patricia, ticket):
    patricia.goto(BOARD)
    card = patricia.locator(f"#ticket-{ticket.pk}")
    expect(column(patricia, "Abierto").locator(f"#ticket-{ticket.pk}")).to_be_visible()

    card.drag_to(column(patricia, "Cotización"))

    expect(patricia.locator("#board-status")).to_contain_text(f"Ticket #{ticket.number} movido a «Cotización».")
    expect(column(patricia, "Cotización").locator(f"#ticket-{ticket.pk}")).to_be_visible()
    expect(column(patricia, "Cotización").locator(".board-count")).to_have_text("1")
    expect(column(patricia, "Abierto").locator(".board-count")).to_have_text("0")
    assert Ticket.objects.get(pk=ticket.pk).stage.name == "Cotización"

    patricia.goto(reverse("admin:tickets_ticket_change", args=[ticket.pk]))
    expect(patricia.locator("body")).to_contain_text("Patricia Mendoza movió el ticket de «Abierto» a «Cotización»")


def test_a_refused_move_puts_the_card_back_and_says_why(patricia, ticket, monkeypatch):
    def refuse(self, stage, **kwargs):
        raise ValidationError("Falta la póliza firmada.")

    monkeypatch.setattr(Ticket, "move_to", refuse)  # the live server runs in this process
    patricia.goto(BOARD)
    patricia.locator(f"#ticket-{ticket.pk}").drag_to(column(patricia, "Aprobación"))

    expect(patricia.locator("#board-status")).to_have_text("Falta la póliza firmada.")
    expect(column(patricia, "Abierto").locator(f"#ticket-{ticket.pk}")).to_be_visible()
    expect(column(patricia, "Aprobación").locator(".board-card")).to_have_count(0)


def test_the_card_menu_moves_a_ticket_with_the_keyboard(patricia, ticket):
    patricia.goto(BOARD)
    card = patricia.locator(f"#ticket-{ticket.pk}")
    card.locator("summary").focus()
    patricia.keyboard.press("Enter")
    card.locator("select[name=stage]").select_option(label="Aprobación")
    card.locator(".board-move-form button").focus()
    patricia.keyboard.press("Enter")

    expect(column(patricia, "Aprobación").locator(f"#ticket-{ticket.pk}")).to_be_visible()
    expect(patricia.locator(".messagelist")).to_contain_text("movido a «Aprobación»")
