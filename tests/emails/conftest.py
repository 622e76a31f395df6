"""Fixtures of the e-mail suite: running the worker, committing, the corpus."""

from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command

from emails import addressing

EML_DIR = Path(__file__).parent / "eml"


def run_worker() -> None:
    """What `manage.py db_worker` does in production, until the queue is empty.

    The worker closes "old" database connections between tasks; inside a test's
    transaction (PostgreSQL) that would close the test's own connection, so that one
    housekeeping call is switched off here.
    """
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "*", verbosity=0)


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
