"""Signals other apps listen to, so tickets need not know who reacts to them.

entry_recorded(entry=TimelineEntry) is sent after the transaction that wrote the
entry commits (e.g. the e-mail app notifies the client or the area's team).
ticket_created(ticket=Ticket) likewise, once per new ticket.
"""

from django.dispatch import Signal

entry_recorded = Signal()
ticket_created = Signal()
