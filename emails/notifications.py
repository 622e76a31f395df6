"""Who is told what about a ticket, by e-mail (listeners of tickets.events).

Seed 000: "recibirás un primer correo electrónico con toda la información del caso y
quién es el equipo que va a atenderlo" and "el equipo de JHLeasing te mantendrá
informado". Internal notes, logged conversations and system notices are never mailed.

A new ticket and a new timeline entry are told in the background (tasks.notify_*):
the client's request only enqueues one task, and a worker renders the e-mails and
looks up who gets them (issue 10: that work was half of a reply's time). Both rows
never change once written, so the e-mail says the same later as it would have then.
A document review and the answer to a closed ticket are rendered at once: the first
shows the document's review as it is now, the second already runs in a worker.
"""

from django.contrib.auth import get_user_model
from django.utils.text import capfirst

from documents.models import TicketDocument
from jhl_portal.links import absolute_url
from tickets.models import Ticket, TimelineEntry

from .outbound import queue_email

Kind = TimelineEntry.Kind
# The entries someone is e-mailed about (a stage change only when its stage says so).
MAILED_KINDS = frozenset({Kind.STAFF_REPLY, Kind.CLIENT_MESSAGE, Kind.STAGE_CHANGE})


def portal_url(ticket) -> str:
    return absolute_url("portal:ticket_detail", number=ticket.number)


def admin_url(ticket) -> str:
    return absolute_url("admin:tickets_ticket_change", object_id=ticket.pk)


def team_members(area):
    return get_user_model().objects.team_of(area).order_by("first_name", "email")


def team_addresses(area) -> list[str]:
    """The area's team members; the area's own address when it has no members."""
    return list(team_members(area).values_list("email", flat=True)) or [area.email]


def client_message_addresses(ticket) -> list[str]:
    """Who hears that a client wrote: the ticket's owner (issue 12), else the whole team.

    An owner who has since left the team or been deactivated is no longer told: the team is.
    """
    owner = ticket.owner
    if owner is not None and team_members(ticket.area).filter(pk=owner.pk).exists():
        return [owner.email]
    return team_addresses(ticket.area)


def _requester_address(ticket) -> list[str]:
    requester = ticket.requester
    return [requester.email] if requester.is_active and requester.email else []


def vehicle_summary(ticket) -> str:
    """ "Marca: Nissan, Línea: NP300, …" with the fields the client filled in."""
    return ", ".join(
        f"{capfirst(Ticket._meta.get_field(name).verbose_name)}: {getattr(ticket, name)}"
        for name in Ticket.VEHICLE_FIELDS
        if getattr(ticket, name)
    )


def _context(ticket, **extra) -> dict:
    return {
        "ticket": ticket,
        "vehicle": vehicle_summary(ticket),
        "portal_url": portal_url(ticket),
        "admin_url": admin_url(ticket),
        "team": team_members(ticket.area),
        **extra,
    }


def on_ticket_created(*, ticket, **kwargs) -> None:
    """events.ticket_created listener: notify in the background."""
    from .tasks import notify_ticket_created

    # Enqueued in the ticket's transaction: the task's row commits with the ticket (one
    # commit, and no notification lost between two).
    notify_ticket_created.enqueue(ticket.pk)


def on_entry_recorded(*, entry: TimelineEntry, **kwargs) -> None:
    """events.entry_recorded listener: notify in the background (enqueued with the entry)."""
    from .tasks import notify_entry_recorded

    if entry.kind in MAILED_KINDS:
        notify_entry_recorded.enqueue(entry.pk)


def notify_ticket_created(*, ticket, **kwargs) -> None:
    to = _requester_address(ticket)
    first = ticket.entries.order_by("created_at", "pk").prefetch_related("attachments").first()
    context = _context(ticket, entry=first)
    if to:
        queue_email(template="ticket_created", to=to, context=context, ticket=ticket)
    queue_email(template="team_new_ticket", to=team_addresses(ticket.area), context=context, ticket=ticket, reply_to=[])


def notify_entry_recorded(*, entry: TimelineEntry, **kwargs) -> None:
    # Read the ticket afresh: the sender's copy may predate the change being announced.
    ticket = Ticket.objects.with_related().get(pk=entry.ticket_id)
    if entry.kind == Kind.STAFF_REPLY:
        if to := _requester_address(ticket):
            queue_email(template="staff_reply", to=to, context=_context(ticket, entry=entry), ticket=ticket)
    elif entry.kind == Kind.CLIENT_MESSAGE:
        queue_email(
            template="team_client_reply",
            to=client_message_addresses(ticket),
            context=_context(ticket, entry=entry),
            ticket=ticket,
            reply_to=[],
        )
    elif entry.kind == Kind.STAGE_CHANGE:
        # A stage may be marked in admin not to bother the client (Stage.notify_client).
        if entry.to_stage and entry.to_stage.notify_client and (to := _requester_address(ticket)):
            queue_email(template="stage_changed", to=to, context=_context(ticket, entry=entry), ticket=ticket)
    # Internal notes, conversations and system notices: nothing leaves the building.


def notify_document_reviewed(*, document: TicketDocument, stage_complete: bool, **kwargs) -> None:
    """Issue 11.3: a rejected document, with the team's reason, or the last document of a
    stage accepted. The requester is told, and the colleague who sent the file if another."""
    if document.status == TicketDocument.Status.ACCEPTED and not stage_complete:
        return
    ticket = Ticket.objects.with_related().get(pk=document.ticket_id)
    to = _requester_address(ticket)
    sender = document.uploaded_by
    if sender.is_active and sender.email and sender.email not in to:
        to.append(sender.email)
    if to:
        context = _context(ticket, document=document, stage_complete=stage_complete)
        queue_email(template="document_reviewed", to=to, context=context, ticket=ticket)


def notify_closed_ticket(*, ticket, to: str, **kwargs) -> None:
    """The one automatic answer to a reply to a Cerrado ticket (seed 001)."""
    queue_email(
        template="ticket_closed_reply",
        to=[to],
        context=_context(ticket, new_ticket_url=absolute_url("portal:ticket_new")),
        ticket=ticket,
        headers={"Auto-Submitted": "auto-replied"},
    )
