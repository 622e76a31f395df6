"""Access: a client reaches their own and their organization's tickets, nothing else.

Issue 5: every portal URL of a Constructora Sol ticket, tried by a user of Transportes
del Norte, answers 404 (like a ticket that does not exist) and stores nothing.
"""

import pytest
from django.urls import reverse

from tests.files import pdf
from tickets import services
from tickets.models import Attachment, Channel, Ticket, TimelineEntry
from tickets.uploads import validate_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def sol_attachment(ticket_b, client_b):
    entry = services.entry_add(
        ticket=ticket_b,
        kind=TimelineEntry.Kind.CLIENT_MESSAGE,
        author=client_b,
        body="Adjunto",
        channel=Channel.PORTAL,
        attachments=[validate_upload(pdf("sol.pdf"))],
    )
    return entry.attachments.get()


def portal_urls(ticket, attachment) -> list[str]:
    return [
        reverse("portal:ticket_detail", kwargs={"number": ticket.number}),
        reverse("portal:ticket_reply", kwargs={"number": ticket.number}),
        reverse("portal:attachment_download", kwargs={"pk": attachment.pk}),
    ]


def test_every_portal_url_of_another_company_is_404(client, client_a, ticket_b, sol_attachment, org_b):
    assert ticket_b.organization == org_b and org_b.name == "Constructora Sol"
    assert client_a.organization.name == "Transportes del Norte"
    counts = (Ticket.objects.count(), TimelineEntry.objects.count(), Attachment.objects.count())
    client.force_login(client_a)
    for url in portal_urls(ticket_b, sol_attachment):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"body": "Intruso", "files": [pdf()]}).status_code == 404, url
    assert (Ticket.objects.count(), TimelineEntry.objects.count(), Attachment.objects.count()) == counts
    ticket_b.refresh_from_db()
    assert "Intruso" not in ticket_b.entries.values_list("body", flat=True)


def test_the_same_urls_work_for_the_owner(client, client_b, ticket_b, sol_attachment):
    client.force_login(client_b)
    detail, reply, download = portal_urls(ticket_b, sol_attachment)
    assert client.get(detail).status_code == 200
    assert client.get(download).status_code == 200
    assert client.post(reply, {"body": "Seguimos"}).status_code == 302


def test_a_ticket_that_does_not_exist_looks_the_same(client, client_a):
    client.force_login(client_a)
    assert client.get(reverse("portal:ticket_detail", kwargs={"number": 424242})).status_code == 404
    assert client.get(reverse("portal:attachment_download", kwargs={"pk": 424242})).status_code == 404


@pytest.mark.parametrize("name", ["ticket_list", "ticket_new"])
def test_anonymous_visitors_are_sent_to_login(client, name):
    response = client.get(reverse(f"portal:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_staff_are_sent_to_admin_and_store_nothing(client, staff_seguros, ticket_a):
    client.force_login(staff_seguros)
    for url in (
        reverse("portal:ticket_list"),
        reverse("portal:ticket_new"),
        reverse("portal:ticket_detail", kwargs={"number": ticket_a.number}),
    ):
        assert client.get(url)["Location"] == reverse("admin:index")
    response = client.post(reverse("portal:ticket_reply", kwargs={"number": ticket_a.number}), {"body": "Desde el portal"})
    assert response["Location"] == reverse("admin:index")
    assert ticket_a.entries.count() == 1


def test_portal_pages_are_never_cached(client, client_a, ticket_a):
    client.force_login(client_a)
    for url in (reverse("portal:ticket_list"), reverse("portal:ticket_detail", args=[ticket_a.number])):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url
