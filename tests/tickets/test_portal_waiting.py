"""Tickets that wait on the client stand out (issue 8.3): those are the ones the
client must act on. Which stages wait is data (Stage.waits_on_client), never a name."""

import pytest
from django.urls import reverse

from tests.factories import make_ticket
from workflows.models import Stage

pytestmark = pytest.mark.django_db

HINT = "Necesitamos información de usted"
LIST_URL = reverse("portal:ticket_list")


def detail_url(ticket) -> str:
    return reverse("portal:ticket_detail", kwargs={"number": ticket.number})


@pytest.fixture
def waiting(client_a):
    ticket = make_ticket(requester=client_a, area="seguros", subject="Póliza: faltan documentos")
    ticket.move_to(Stage.objects.get(area=ticket.area, name="Esperando información cliente"), by=None)
    return ticket


@pytest.fixture
def in_progress(client_a):
    ticket = make_ticket(requester=client_a, area="seguros", subject="Cotización en curso")
    ticket.move_to(Stage.objects.get(area=ticket.area, name="Cotización"), by=None)
    return ticket


def row_of(text: str, subject: str) -> str:
    """The list's table row that holds `subject`."""
    start = text.rindex("<tr", 0, text.index(subject))
    return text[start : text.index("</tr>", start)]


def test_the_list_marks_the_tickets_that_wait_on_the_client(logged_in, waiting, in_progress):
    text = logged_in.get(LIST_URL).text
    waiting_row = row_of(text, waiting.subject)
    assert "badge-waiting" in waiting_row
    assert HINT in waiting_row
    other_row = row_of(text, in_progress.subject)
    assert "badge-waiting" not in other_row
    assert HINT not in other_row


def test_the_tickets_page_asks_for_the_clients_information(logged_in, waiting, in_progress):
    text = logged_in.get(detail_url(waiting)).text
    assert 'class="badge badge-open badge-waiting badge-large"' in text
    assert HINT in text
    assert '<a href="#responder">' in text
    assert HINT not in logged_in.get(detail_url(in_progress)).text


def test_it_follows_the_stage_flag_not_the_stage_name(logged_in, waiting, in_progress):
    Stage.objects.filter(pk=waiting.stage_id).update(waits_on_client=False)
    Stage.objects.filter(pk=in_progress.stage_id).update(waits_on_client=True)
    text = logged_in.get(LIST_URL).text
    assert HINT not in row_of(text, waiting.subject)
    assert HINT in row_of(text, in_progress.subject)
    assert HINT in logged_in.get(detail_url(in_progress)).text
