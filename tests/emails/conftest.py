"""Fixtures of the e-mail suite: running the worker, committing, the corpus."""

from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import TestCase

from emails import addressing
from emails.inbound import ingest
from emails.outbound import queue_email

EML_DIR = Path(__file__).parent / "eml"


def run_worker() -> None:
    """What `manage.py db_worker` does in production, until the queue is empty.

    The worker closes "old" database connections between tasks; inside a test's
    transaction (PostgreSQL) that would close the test's own connection, so that one
    housekeeping call is switched off here. A task's work commits in production and
    its on_commit callbacks enqueue the next tasks (a notification's e-mails): here
    the test's transaction never commits, so they are run after each round, and the
    worker runs again while rounds enqueue more.
    """
    for _round in range(5):
        with (
            mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"),
            TestCase.captureOnCommitCallbacks(execute=True) as callbacks,
        ):
            call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "*", verbosity=0)
        if not callbacks:
            return


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block as if its transaction committed (on_commit callbacks fire)."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    run.capture = lambda: django_capture_on_commit_callbacks(execute=True)
    return run


@pytest.fixture
def deliver(mailoutbox):
    """Run the worker and return the messages it sent (Django's locmem outbox)."""

    def run():
        run_worker()
        return list(mailoutbox)

    return run


def load_eml(name: str, **values) -> bytes:
    """A corpus message with its {{placeholders}} (ticket numbers, tokens) filled in."""
    text = (EML_DIR / name).read_bytes()
    for key, value in values.items():
        text = text.replace(("{{" + key + "}}").encode(), str(value).encode())
    return text


def reply_values(ticket) -> dict:
    """Placeholders of a reply to `ticket`: its number, signed address and a Message-ID."""
    return {
        "number": ticket.number,
        "reply_to": addressing.reply_to_address(ticket.number),
        "local": addressing.reply_to_address(ticket.number).split("@")[0],
    }


@pytest.fixture
def our_message(ticket_a):
    """A message we sent about ticket_a (its Message-ID is what replies point to)."""
    return queue_email(template="ticket_created", to=[ticket_a.requester.email], context={}, ticket=ticket_a)


@pytest.fixture
def receive(committed, our_message):
    """Ingest a corpus file as a reply to ticket_a (placeholders filled in)."""

    def run(name: str, ticket=None, source="imap"):
        ticket = ticket or our_message.ticket
        raw = load_eml(name, message_id=our_message.message_id, **reply_values(ticket))
        return committed(ingest, raw, source=source)

    return run
