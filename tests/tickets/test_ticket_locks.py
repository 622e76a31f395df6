"""Ticket.objects.locked(): a write that locks its ticket holds that row alone (issue 10).

Two clients replying to two tickets that sit in the same stage must not wait for each
other: the lock once covered the joined stage row too, so every reply to a ticket in
"Abierto-Cotización" queued behind the others. Row locks are PostgreSQL's; SQLite has
one writer at a time and no FOR UPDATE at all.
"""

import threading

import pytest
from django.db import connection, transaction

from tests.factories import make_ticket
from tickets import services
from tickets.models import Channel, Ticket, TimelineEntry

Kind = TimelineEntry.Kind


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_locked_ticket_holds_neither_its_stage_nor_its_timeline(pipelines, client_a):
    first = make_ticket(requester=client_a, subject="Primera solicitud")
    second = make_ticket(requester=client_a, subject="Segunda solicitud")
    assert first.stage_id == second.stage_id
    if connection.vendor != "postgresql":
        assert "FOR" not in str(Ticket.objects.locked().query)  # SQLite: nothing to hold
        return

    held, release, errors = threading.Event(), threading.Event(), []

    def hold_the_first_ticket():
        try:
            with transaction.atomic():
                Ticket.objects.locked().select_related("stage").get(pk=first.pk)
                held.set()
                release.wait(20)
        except Exception as error:  # reported below: a thread's exception is otherwise lost
            errors.append(error)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_first_ticket)
    holder.start()
    try:
        assert held.wait(20)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            # Another ticket of the same stage: locked and written without waiting.
            services.entry_add(
                ticket=second, kind=Kind.CLIENT_MESSAGE, author=client_a, body="¿Hay novedades?", channel=Channel.PORTAL
            )
            # A row that refers to the locked ticket may still be inserted (its foreign
            # key check takes a KEY SHARE lock, which FOR NO KEY UPDATE lets through).
            TimelineEntry(ticket=first, kind=Kind.INTERNAL_NOTE, channel=Channel.INTERNAL, author=client_a, body="Nota").save()
    finally:
        release.set()
        holder.join(30)
    assert errors == []
    assert TimelineEntry.objects.filter(ticket=second, body="¿Hay novedades?").exists()
