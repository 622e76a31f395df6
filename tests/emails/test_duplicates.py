"""Issue 9, point 5: a message dropped as a duplicate Message-ID is counted and listed
for staff; another sender's different message under that Message-ID is not dropped."""

import pytest
from django.urls import reverse

from emails.inbound import ingest
from emails.models import InboundDuplicate, InboundEmail
from tests.emails.conftest import load_eml
from tickets.models import Ticket

pytestmark = pytest.mark.django_db
Outcome = InboundEmail.Outcome
NEW_REQUEST = "07_new_request_encoded_subject.eml"


def relayed_again(raw: bytes) -> bytes:
    """The same message as a second relay hands it over: one more Received header."""
    return b"Received: from relay2.example by mx.jhl.mx; Tue, 24 Nov 2026 12:05:00 -0600\n" + raw


def test_a_repeat_is_counted_and_listed_with_its_date_and_sender(committed, client_a, client, superuser):
    original, _ = committed(ingest, load_eml(NEW_REQUEST), source="imap")
    again, created = committed(ingest, relayed_again(load_eml(NEW_REQUEST)), source="webhook:mailgun")

    assert not created and again.pk == original.pk
    assert Ticket.objects.count() == 1
    [duplicate] = InboundDuplicate.objects.all()
    assert duplicate.original == original and duplicate.same_body and duplicate.kept_as is None
    assert (duplicate.from_address, duplicate.source) == ("ana@transportesdelnorte.mx", "webhook:mailgun")

    client.force_login(superuser)
    listing = client.get(reverse("admin:emails_inboundemail_changelist"), {"duplicados": "si"})
    assert listing.context["cl"].result_count == 1
    assert '<td class="field-duplicate_count">1</td>' in listing.text
    page = client.get(reverse("admin:emails_inboundemail_change", args=[original.pk])).text
    assert "ana@transportesdelnorte.mx · webhook:mailgun · mismo contenido" in page


def test_another_senders_different_message_under_a_reused_message_id_is_ingested(committed, client_a, client_b, deliver):
    original, _ = committed(ingest, load_eml(NEW_REQUEST), source="imap")
    reused = (
        load_eml(NEW_REQUEST)
        .replace(b"=?UTF-8?B?QW5hIEdhcmPDrWE=?= <ana@transportesdelnorte.mx>", b"Maria Lopez <maria@constructorasol.mx>")
        .replace(b"Compramos un cami\xc3\xb3n Isuzu", b"Rentamos una gr\xc3\xbaa Genie")
    )

    kept, created = committed(ingest, reused, source="imap")

    assert created and kept.pk != original.pk
    assert kept.message_id.startswith("<reused-")
    assert kept.outcome == Outcome.TICKET_CREATED and kept.ticket.requester == client_b
    assert "Rentamos una grúa Genie" in kept.ticket.description
    [duplicate] = original.duplicates.all()
    assert duplicate.kept_as == kept and not duplicate.same_body
    assert duplicate.from_address == "maria@constructorasol.mx"
    assert any(m.to == ["maria@constructorasol.mx"] for m in deliver())
    # The same reused message once more is a plain repeat of the row it became.
    again, created_again = committed(ingest, reused, source="imap")
    assert not created_again and again.pk == kept.pk


def test_the_same_sender_changing_the_body_is_listed_as_different(committed, client_a):
    original, _ = committed(ingest, load_eml(NEW_REQUEST), source="imap")
    changed = load_eml(NEW_REQUEST).replace(b"Isuzu ELF 600", b"Hino 300")

    again, created = committed(ingest, changed, source="imap")

    assert not created and again.pk == original.pk
    assert original.duplicates.get().same_body is False
    assert Ticket.objects.count() == 1
