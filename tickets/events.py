"""Signals other apps listen to, so tickets need not know who reacts to them.

entry_recorded(entry=TimelineEntry) is sent when an entry is written (e.g. the e-mail
app notifies the client or the area's team). ticket_created(ticket=Ticket) likewise,
once per new ticket. closed_ticket_written(ticket=Ticket, to=str) when someone wrote
to a Cerrado ticket and is to be told once how to open a new one (seed 001).

Listeners run inside the transaction that made the change, and only write rows (a
task, an e-mail in the outbox, a survey): those commit with the change or not at all,
so a notification can be neither lost after the commit nor sent for a write that was
rolled back. Whatever leaves the building (SMTP) waits for the commit in a worker.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.dispatch import Signal

entry_recorded = Signal()
ticket_created = Signal()
closed_ticket_written = Signal()

_muted = ContextVar("tickets_events_muted", default=False)


def announce(signal: Signal, **kwargs) -> None:
    """Send `signal` now, inside the current transaction, unless muted."""
    if not _muted.get():
        signal.send(**kwargs)


@contextmanager
def muted():
    """Record without telling anyone: demo data and imports must not e-mail people."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)
