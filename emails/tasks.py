"""Background tasks (django.tasks, run by django-tasks-db's `db_worker`)."""

from django.db import transaction
from django.tasks import task

from tickets.models import Ticket, TimelineEntry

from . import notifications, outbound


@task
def deliver_email(outbound_id: int) -> str:
    """Send one OutboundEmail; failures are retried by outbound.deliver() itself."""
    return outbound.deliver(outbound_id)


@task
def notify_ticket_created(ticket_id: int) -> str:
    """The new ticket's e-mails (the client's and the area team's), queued together."""
    ticket = Ticket.objects.with_related().filter(pk=ticket_id).first()
    if ticket is None:
        return "gone"  # deleted before a worker got to it
    with transaction.atomic():
        notifications.notify_ticket_created(ticket=ticket)
    return "queued"


@task
def notify_entry_recorded(entry_id: int) -> str:
    """The e-mail a timeline entry gives rise to, if any (notifications.notify_entry_recorded)."""
    entry = TimelineEntry.objects.select_related("author", "to_stage").filter(pk=entry_id).first()
    if entry is None:
        return "gone"
    with transaction.atomic():
        notifications.notify_entry_recorded(entry=entry)
    return "queued"
