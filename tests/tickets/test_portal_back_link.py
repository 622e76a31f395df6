"""'← Volver' leads back to the list the client came from, with its filters (issue 8.4),
and never anywhere else."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from tickets.models import TimelineEntry

pytestmark = pytest.mark.django_db

LIST_URL = reverse("portal:ticket_list")


def detail_url(ticket) -> str:
    return reverse("portal:ticket_detail", kwargs={"number": ticket.number})


def back_link(text: str) -> tuple[str, str]:
    """(href, text) of the page's "← Volver" link."""
    match = re.search(r'<p class="breadcrumb"><a href="([^"]*)">← ([^<]*)</a>', text)
    return unescape(match[1]), match[2]


def test_the_lists_links_carry_its_filters(logged_in, ticket_a):
    text = logged_in.get(LIST_URL, {"ver": "organizacion", "estado": "abierto", "q": "póliza", "utm": "x"}).text
    href = unescape(re.search(rf'href="({re.escape(detail_url(ticket_a))}[^"]*)" class="ticket-number"', text)[1])
    carried = parse_qs(urlsplit(href).query)["volver"]
    assert parse_qs(carried[0]) == {"ver": ["organizacion"], "estado": ["abierto"], "q": ["póliza"]}


def test_an_unfiltered_list_links_plainly(logged_in, ticket_a):
    assert f'href="{detail_url(ticket_a)}" class="ticket-number"' in logged_in.get(LIST_URL).text


def test_volver_returns_to_the_organizations_filtered_list(logged_in, ticket_a):
    query = "ver=organizacion&estado=abierto&q=robo&pagina=2"
    href, label = back_link(logged_in.get(detail_url(ticket_a), {"volver": query}).text)
    assert label == "Volver a los tickets de la organización"
    assert href == f"{LIST_URL}?q=robo&ver=organizacion&estado=abierto&pagina=2"


def test_volver_returns_to_my_tickets_by_default(logged_in, ticket_a):
    assert back_link(logged_in.get(detail_url(ticket_a)).text) == (LIST_URL, "Volver a mis tickets")
    href, label = back_link(logged_in.get(detail_url(ticket_a), {"volver": "estado=cerrado"}).text)
    assert (href, label) == (f"{LIST_URL}?estado=cerrado", "Volver a mis tickets")


@pytest.mark.parametrize(
    "hostile",
    [
        "//evil.example/",
        "https://evil.example/?ver=mis",
        "next=https://evil.example/&ver=organizacion",
        'q="><script>alert(1)</script>',
        "ver=organizacion&ver=mis&\x00=1&" + "a=" + "x" * 5000,
    ],
)
def test_volver_only_ever_leads_to_the_list(logged_in, ticket_a, hostile):
    text = logged_in.get(detail_url(ticket_a), {"volver": hostile}).text
    href, _label = back_link(text)
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc, parts.path) == ("", "", LIST_URL)
    assert set(parse_qs(parts.query)) <= {"q", "ver", "estado", "area", "etapa", "orden", "pagina"}
    assert "evil.example/" not in parse_qs(parts.query).get("next", [""])[0]
    assert "<script>" not in text
    assert len(href) < 1200


def test_a_reply_keeps_the_way_back_and_lands_on_the_new_message(logged_in, ticket_a):
    volver = {"volver": "ver=organizacion&estado=abierto"}
    response = logged_in.get(detail_url(ticket_a), volver)
    action = unescape(re.search(r'<form method="post" action="([^"]*/responder/[^"]*)"', response.text)[1])
    assert parse_qs(urlsplit(action).query)["volver"] == ["ver=organizacion&estado=abierto"]

    sent = logged_in.post(action, {"body": "Adjunto lo que pidieron."})
    entry = TimelineEntry.objects.filter(ticket=ticket_a).last()
    location = urlsplit(sent["Location"])
    assert location.path == detail_url(ticket_a)
    assert parse_qs(location.query)["volver"] == ["ver=organizacion&estado=abierto"]
    assert location.fragment == f"entrada-{entry.pk}"
    href, label = back_link(logged_in.get(sent["Location"]).text)
    assert (href, label) == (f"{LIST_URL}?ver=organizacion&estado=abierto", "Volver a los tickets de la organización")
