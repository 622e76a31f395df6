"""Signals of the documents app; sent through tickets.events.announce (inside the
writing transaction, muted with the demo data).

document_reviewed(document=TicketDocument, stage_complete=bool): staff accepted or
rejected a client's document; stage_complete when every document of its stage is now
accepted. The e-mail app tells the client.
"""

from django.dispatch import Signal

document_reviewed = Signal()
