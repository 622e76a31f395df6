"""Hostile or unusual text in the ticket searches (issue 8, point 8): the portal list and
the admin list answer normally for any digits, and refuse invisible characters with a
message instead of a 500 or a silently unfiltered list."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.factories import make_ticket
from tickets.models import Ticket, ticket_number

pytestmark = pytest.mark.django_db

LIST_URL = reverse("portal:ticket_list")
CHANGELIST = reverse("admin:tickets_ticket_changelist")
INVISIBLE_ERROR = "La búsqueda contiene caracteres invisibles o de control"


def arabic_indic(number: int) -> str:
    """`number` written in Arabic-Indic digits (٠-٩): digits, but not ASCII ones."""
    return "".join(chr(0x0660 + int(digit)) for digit in str(number))


def fullwidth(number: int) -> str:
    return "".join(chr(0xFF10 + int(digit)) for digit in str(number))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12", 12),
        ("#12", 12),
        (" # 12 ", 12),
        ("²", None),
        ("٣", None),
        ("１２", None),
        ("#²", None),
        ("1²", None),
        ("12a", None),
        ("9" * 19, None),
        ("", None),
    ],
)
def test_only_ascii_digits_are_a_ticket_number(text, expected):
    assert ticket_number(text) == expected


class TestPortalList:
    @pytest.mark.parametrize("query", ["²", "٣", "１２", "#²", "١٢٣", "⑫", "𝟙𝟚"])
    def test_any_unicode_digit_answers_normally(self, client, client_a, query):
        make_ticket(requester=client_a, subject="Renovación de póliza")
        client.force_login(client_a)
        response = client.get(LIST_URL, {"q": query})
        assert response.status_code == 200
        assert INVISIBLE_ERROR not in response.text

    def test_a_number_in_other_digits_is_text_not_that_ticket(self, client, client_a):
        ticket = make_ticket(requester=client_a, subject="Renovación de póliza")
        client.force_login(client_a)
        for query in (arabic_indic(ticket.number), fullwidth(ticket.number)):
            assert list(client.get(LIST_URL, {"q": query}).context["tickets"]) == []
        assert list(client.get(LIST_URL, {"q": str(ticket.number)}).context["tickets"]) == [ticket]

    @pytest.mark.parametrize("query", ["poliza\x00", "\x00", "pol\x1b[31miza", "póliza\u202e", "a\tb"])
    def test_an_invisible_character_gets_a_message_and_no_tickets(self, client, client_a, query):
        make_ticket(requester=client_a, subject="Renovación de póliza")
        client.force_login(client_a)
        response = client.get(LIST_URL, {"q": query})
        assert response.status_code == 200
        assert list(response.context["tickets"]) == []
        assert INVISIBLE_ERROR in response.text
        assert 'aria-invalid="true"' in response.text
        # Offered the way back rather than the "no tickets yet" welcome.
        assert "Ningún ticket coincide con la búsqueda" in response.text


class TestAdminList:
    @pytest.fixture
    def seguros_client(self, client, staff_seguros):
        client.force_login(staff_seguros)
        return client

    @pytest.mark.parametrize("query", ["²", "٣", "１２", "#²", "#١٢"])
    def test_any_unicode_digit_answers_normally(self, seguros_client, ticket_a, query):
        response = seguros_client.get(CHANGELIST, {"q": query})
        assert response.status_code == 200

    def test_a_number_in_other_digits_is_not_that_ticket(self, seguros_client, ticket_a):
        response = seguros_client.get(CHANGELIST, {"q": arabic_indic(ticket_a.number)})
        assert list(response.context["cl"].result_list) == []
        response = seguros_client.get(CHANGELIST, {"q": f"#{ticket_a.number}"})
        assert list(response.context["cl"].result_list) == [ticket_a]

    @pytest.mark.parametrize("query", ["póliza\x00", "pol\x1b[31miza", "\u202eazilop"])
    def test_an_invisible_character_gets_a_message(self, seguros_client, ticket_a, query):
        response = seguros_client.get(CHANGELIST, {"q": query})
        assert response.status_code == 200
        assert any(INVISIBLE_ERROR in str(message) for message in get_messages(response.wsgi_request))


def test_the_queryset_search_never_crashes_on_digits(client_a):
    ticket = make_ticket(requester=client_a, subject="Pago de 2ª tenencia")
    for query in ("²", "٣", "１２", "#²", arabic_indic(ticket.number)):
        list(Ticket.objects.search(query))
