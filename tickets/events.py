"""Signals other apps listen to, so tickets need not know who reacts to them.

entry_recorded(entry=TimelineEntry) is sent after the transaction that wrote the
entry commits (e.g. the e-mail app notifies the client or the area's team).
ticket_created(ticket=Ticket) likewise, once per new ticket.
closed_ticket_written(ticket=Ticket, to=str) when someone wrote to a Cerrado ticket
and is to be told once how to open a new one (seed 001).
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.dispatch import Signal

entry_recorded = Signal()
ticket_created = Signal()
closed_ticket_written = Signal()

_muted = ContextVar("tickets_events_muted", default=False)


def announce(signal: Signal, **kwargs) -> None:
    """Send `signal` once the current transaction commits, unless muted."""
    if _muted.get():
        return
    transaction.on_commit(lambda: signal.send(**kwargs))


@contextmanager
def muted():
    """Record without telling anyone: demo data and imports must not e-mail people."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)
