"""Fixtures of the e-mail suite: running the worker, committing, the corpus."""

from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse

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


def save_ticket_page(client, ticket, stage=None, **entry):
    """Post the ticket's change form as staff do, with one new timeline entry."""
    data = {
        "stage": (stage or ticket.stage).pk,
        "subject": ticket.subject,
        "description": ticket.description,
        "vehicle_year": "",
        "entries-TOTAL_FORMS": "1" if entry else "0",
        "entries-INITIAL_FORMS": "0",
        "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "1000",
        **{f"entries-0-{key}": value for key, value in entry.items()},
    }
    for field in ("vehicle_brand", "vehicle_line", "vehicle_vin", "vehicle_color", "vehicle_plates"):
        data[field] = getattr(ticket, field)
    return client.post(reverse("admin:tickets_ticket_change", args=[ticket.pk]), data)
