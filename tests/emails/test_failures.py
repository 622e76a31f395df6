"""A message that fails is kept for staff and can be reprocessed; a passing database
failure is not the message's fault and leaves nothing behind, so it is retried."""

import pytest
from django.db import OperationalError

from emails import inbound as inbound_module
from emails.inbound import ingest, reprocess
from emails.models import InboundEmail
from tests.emails.conftest import load_eml
from tickets.models import TimelineEntry

pytestmark = pytest.mark.django_db
Outcome = InboundEmail.Outcome


def reply(ticket):
    from tests.emails.conftest import reply_values

    return load_eml("01_gmail_reply_es.eml", message_id="<none@jhl.mx>", **reply_values(ticket))


def test_a_passing_database_failure_stores_nothing_so_the_next_run_retries(committed, ticket_a, monkeypatch):
    def deadlock(inbound, message, decision):
        raise OperationalError("deadlock detected")

    monkeypatch.setattr(inbound_module, "apply_decision", deadlock)
    with pytest.raises(OperationalError):
        committed(ingest, reply(ticket_a), source="imap")
    assert not InboundEmail.objects.exists()

    monkeypatch.undo()
    inbound, created = committed(ingest, reply(ticket_a), source="imap")
    assert created and inbound.outcome == Outcome.ADDED


def test_a_failed_message_is_kept_and_staff_can_reprocess_it(committed, ticket_a, monkeypatch, client, superuser):
    def bug(inbound, message, decision):
        raise ValueError("a bug in a rule")

    monkeypatch.setattr(inbound_module, "apply_decision", bug)
    inbound, _ = committed(ingest, reply(ticket_a), source="imap")
    assert inbound.outcome == Outcome.FAILED and "a bug in a rule" in inbound.detail
    assert not ticket_a.entries.filter(kind=TimelineEntry.Kind.CLIENT_MESSAGE).exclude(body=ticket_a.description).exists()

    monkeypatch.undo()
    client.force_login(superuser)
    with committed.capture():
        client.post("/admin/emails/inboundemail/", {"action": "reprocess", "_selected_action": [inbound.pk]})
    inbound.refresh_from_db()
    assert inbound.outcome == Outcome.ADDED
    assert inbound.entry.ticket == ticket_a


def test_only_failed_messages_are_reprocessed(committed, ticket_a):
    from django.core.exceptions import ValidationError

    inbound, _ = committed(ingest, reply(ticket_a), source="imap")
    with pytest.raises(ValidationError):
        reprocess(inbound)
