"""What the client reads of the service clock on a ticket's page (issue 11.2)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.factories import make_ticket
from workflows.models import Stage

MX = ZoneInfo("America/Mexico_City")
DUE = "Próxima actualización a más tardar:"
PAUSED = "El plazo de atención está en pausa mientras esperamos su información."


def detail(client, ticket) -> str:
    return client.get(reverse("portal:ticket_detail", kwargs={"number": ticket.number})).content.decode()


@pytest.fixture
def ticket(client_a):
    # Opened Friday 4 Dec 2026 at 17:00: Abierto's 1 business day ends Monday 17:00.
    return make_ticket(requester=client_a, area="seguros", created_at=datetime(2026, 12, 4, 17, tzinfo=MX))


def test_it_tells_the_client_when_the_next_update_is_due(logged_in, ticket):
    text = detail(logged_in, ticket)
    assert DUE in text
    # Mexico City time, the portal's format, machine-readable in <time>.
    assert '<time datetime="2026-12-07T17:00-06:00">7 dic 2026, 17:00</time>' in text
    assert PAUSED not in text


def test_while_waiting_on_the_client_it_says_the_clock_is_paused(logged_in, ticket, staff_seguros):
    ticket.move_to(Stage.objects.get(area__slug="seguros", name="Cotización"), by=staff_seguros)
    ticket.move_to(Stage.objects.get(area__slug="seguros", name="Esperando información cliente"), by=staff_seguros)
    text = detail(logged_in, ticket)
    assert PAUSED in text
    assert DUE not in text
    # The waiting hint is said once, by the status pill, not repeated by the clock.
    assert text.count("Necesitamos información de usted") == 1


def test_a_stage_without_target_or_a_closed_ticket_promises_nothing(logged_in, ticket, staff_seguros):
    ticket.move_to(Stage.objects.get(area__slug="seguros", name="Aprobación"), by=staff_seguros)
    assert DUE not in detail(logged_in, ticket)
    ticket.move_to(Stage.objects.get(area__slug="seguros", name="Cerrado"), by=staff_seguros)
    text = detail(logged_in, ticket)
    assert DUE not in text and PAUSED not in text


def test_it_reads_in_english_too(logged_in, ticket, settings):
    logged_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = detail(logged_in, ticket)
    assert "Next update by:" in text
