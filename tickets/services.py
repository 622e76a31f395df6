"""Writes that span several models: creating tickets and adding to their timeline.

Views, forms, the admin, commands and the e-mail ingester call these; none of them
writes a Ticket, TimelineEntry or Attachment directly.
"""

from collections.abc import Iterable
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from servicetime.deadlines import clock_on_entering
from workflows.models import Area

from . import events, page_cache
from .models import Attachment, Channel, HeldUpload, Ticket, TimelineEntry, loaded_relations
from .uploads import CheckedUpload

Kind = TimelineEntry.Kind


class TicketClosedError(ValidationError):
    """A client tried to write to a Cerrado ticket (seed 001: no more messages)."""

    def __init__(self):
        super().__init__(
            _("Este ticket está cerrado y ya no admite mensajes. Si lo necesita, abra un ticket nuevo."),
            code="ticket_closed",
        )


def _store_attachments(entry: TimelineEntry, uploads: Iterable[CheckedUpload]) -> list[Attachment]:
    stored = []
    for upload in uploads:
        attachment = Attachment(entry=entry, original_name=upload.name, content_type=upload.content_type, size=upload.size)
        attachment.file.save(upload.name, upload.file, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def ticket_create(
    *,
    requester,
    area: Area,
    subject: str,
    description: str = "",
    channel: str = Channel.PORTAL,
    vehicle: dict | None = None,
    attachments: Iterable[CheckedUpload] = (),
    created_at=None,
) -> Ticket:
    """Open a new ticket for `requester` in `area`; see ticket_open()."""
    ticket = Ticket(
        area=area,
        subject=subject,
        description=description,
        requester=requester,
        channel=channel,
        **(vehicle or {}),
    )
    return ticket_open(ticket=ticket, attachments=attachments, created_at=created_at)


@transaction.atomic
def ticket_open(*, ticket: Ticket, attachments: Iterable[CheckedUpload] = (), created_at=None) -> Ticket:
    """Save an unsaved ticket in the first stage of its area; return it.

    The organization is the requester's at this moment, the service clock starts with
    the stage's target, and the description becomes the first message of the timeline
    (carrying the attachments sent with it).
    """
    now = created_at or timezone.now()
    ticket.stage = ticket.area.first_stage()
    # The requester's own foreign key: the company exists, no need to load or check it.
    ticket.organization_id = ticket.requester.organization_id
    ticket.subject = ticket.subject.strip()
    ticket.description = ticket.description.strip()
    ticket.created_at = ticket.last_activity_at = now
    ticket.closed_at = None
    ticket.clock = clock_on_entering(ticket.stage, at=now)
    ticket.full_clean(exclude={*loaded_relations(ticket), "organization"})
    with page_cache.coalesced():
        ticket.save()
        # The first message of a ticket nobody else has seen yet: nothing to lock or re-check.
        _entry_write(
            ticket=ticket,
            kind=Kind.CLIENT_MESSAGE,
            author=ticket.requester,
            body=ticket.description,
            channel=ticket.channel,
            attachments=attachments,
            created_at=now,
            announce=False,
        )
    events.announce(events.ticket_created, sender=Ticket, ticket=ticket)
    return ticket


def ticket_open_once(
    *, ticket: Ticket, attachments: Iterable[CheckedUpload] = (), may_hold_upload: bool = True
) -> tuple[Ticket, bool]:
    """Open `ticket` unless its form was already sent; return (the ticket, whether new).

    The portal's new-ticket form carries a one-time client_token. A double click or a
    reload sends the same token again: the second request gets the ticket the first one
    opened (the view asks ticket_sent_with() before it even checks the form; two
    requests racing past it meet the unique constraint here). A file held for the form
    (HeldUpload) is dropped once the ticket exists, unless the caller knows there is
    none (`may_hold_upload` False: the form looked and found nothing held).
    """
    opened = _ticket_open_once(ticket=ticket, attachments=attachments)
    if may_hold_upload:
        held_upload_discard(owner=ticket.requester, client_token=ticket.client_token)
    return opened


def _ticket_open_once(*, ticket: Ticket, attachments: Iterable[CheckedUpload]) -> tuple[Ticket, bool]:
    try:
        return ticket_open(ticket=ticket, attachments=attachments), True
    except (IntegrityError, ValidationError):
        existing = ticket_sent_with(requester=ticket.requester, client_token=ticket.client_token)
        if existing is None:
            raise
        return existing, False


# What staff may correct on an open or closed ticket after it was created; the area,
# requester and channel are its history, and the stage changes through move_to().
EDITABLE_FIELDS = ("subject", "description", *Ticket.VEHICLE_FIELDS)


@transaction.atomic
def ticket_update(*, ticket: Ticket, by, changes: dict) -> TimelineEntry | None:
    """Correct a ticket's subject, description or vehicle data; return the timeline row.

    The row (kept from clients) says who changed what, old and new values, so an edit
    never silently rewrites what the client wrote. Values equal to the stored ones are
    ignored; None is returned when nothing changed.
    """
    if unknown := set(changes) - set(EDITABLE_FIELDS):
        raise ValueError(f"Not editable through ticket_update(): {sorted(unknown)}")
    stored = Ticket.objects.locked().get(pk=ticket.pk)
    changed = {name: (getattr(stored, name), value) for name, value in changes.items() if getattr(stored, name) != value}
    if not changed:
        return None
    for name, (_old, new) in changed.items():
        setattr(ticket, name, new)
    ticket.full_clean(exclude=[f.name for f in Ticket._meta.fields if f.name not in changed])
    ticket.save(update_fields=list(changed))
    return TimelineEntry.record(
        ticket=ticket,
        kind=Kind.TICKET_EDIT,
        channel=Channel.INTERNAL,
        author=by,
        body=_describe_changes(changed),
    )


def _describe_changes(changed: dict) -> str:
    """One line per field: «Asunto: «antes» → «después»» (empty shown as —)."""
    lines = []
    for name, (old, new) in changed.items():
        label = capfirst(Ticket._meta.get_field(name).verbose_name)
        lines.append(f"{label}: «{old if old not in (None, '') else '—'}» → «{new if new not in (None, '') else '—'}»")
    return "\n".join(lines)


def held_upload_keep(*, owner, client_token, upload: CheckedUpload) -> HeldUpload:
    """Keep a checked `upload` of the new-ticket form with `client_token` for its next
    submit by `owner` (issue 8.1); return what is held.

    It replaces a file held for that form before. Expired held files, and the owner's
    beyond HeldUpload.MAX_PER_OWNER, are dropped on the way.
    """
    held_upload_discard(owner=owner, client_token=client_token)
    held = HeldUpload(
        owner=owner, client_token=client_token, original_name=upload.name, content_type=upload.content_type, size=upload.size
    )
    held.file.save(upload.name, upload.file, save=False)
    try:
        with transaction.atomic():
            held.save()
    except IntegrityError:
        # The same form sent twice at once: the other request holds it already.
        held.file.delete(save=False)
        return HeldUpload.objects.get(owner=owner, client_token=client_token)
    expired = HeldUpload.objects.filter(created_at__lt=timezone.now() - HeldUpload.MAX_AGE).order_by("pk")[:100]
    surplus = HeldUpload.objects.filter(owner=owner).order_by("-created_at", "-pk")[HeldUpload.MAX_PER_OWNER :]
    _held_uploads_delete([*expired, *surplus])
    return held


def held_upload_discard(*, owner, client_token) -> None:
    """Drop the file held for `owner`'s form with `client_token`, if any."""
    _held_uploads_delete(HeldUpload.objects.filter(owner=owner, client_token=client_token))


def _held_uploads_delete(held_uploads: Iterable[HeldUpload]) -> None:
    for held in held_uploads:
        held.delete()
        # Once the rows are gone for good: a rolled-back transaction keeps its file.
        transaction.on_commit(partial(held.file.storage.delete, held.file.name))


def ticket_sent_with(*, requester, client_token) -> Ticket | None:
    """The ticket `requester` already opened with this form token, if any."""
    if client_token is None:
        return None
    # Only its number is wanted: a row of every column cost more to build than to find.
    return Ticket.objects.filter(requester=requester, client_token=client_token).only("pk").first()


@transaction.atomic
def entry_add(
    *,
    ticket: Ticket,
    kind: str,
    author,
    body: str,
    channel: str,
    attachments: Iterable[CheckedUpload] = (),
    created_at=None,
    announce: bool = True,
) -> TimelineEntry:
    """Add a message, reply, note or logged conversation to a ticket's timeline.

    A client message on a Cerrado ticket raises TicketClosedError and stores nothing.
    """
    if kind == Kind.STAGE_CHANGE:
        raise ValueError("Stage changes are recorded by Ticket.move_to().")
    if kind == Kind.CLIENT_MESSAGE:
        created_at = created_at or timezone.now()
        _touch_if_open(ticket, created_at)
    return _entry_write(
        ticket=ticket,
        kind=kind,
        author=author,
        body=body,
        channel=channel,
        attachments=attachments,
        created_at=created_at,
        announce=announce,
    )


def _touch_if_open(ticket: Ticket, at) -> None:
    """Lock `ticket`'s row for the rest of the transaction and move its last activity to
    `at`, if it is still open; else raise TicketClosedError (seed 001: a Cerrado ticket
    admits no more messages).

    One UPDATE does all three when the ticket is still in the stage the caller loaded:
    PostgreSQL re-checks `stage_id` on the newest row after waiting for a lock, so a
    move committed meanwhile makes it match nothing (issue 10: the lock's SELECT was a
    sixth of a reply's queries). Otherwise the stage is read again under the lock.
    """
    if not ticket.stage.is_closed:
        if Ticket.objects.filter(pk=ticket.pk, stage_id=ticket.stage_id).touch(at):
            ticket.last_activity_at = max(ticket.last_activity_at, at)
            return
    current = Ticket.objects.locked().select_related("stage").get(pk=ticket.pk)
    if current.stage.is_closed:
        raise TicketClosedError()
    # Moved to another open stage meanwhile: the lock is held, record() dates the ticket.


def _entry_write(*, ticket, kind, author, body, channel, attachments, created_at, announce) -> TimelineEntry:
    """The timeline row and its files, in the caller's transaction."""
    entry = TimelineEntry.record(
        ticket=ticket,
        kind=kind,
        channel=channel,
        author=author,
        body=body.strip(),
        created_at=created_at,
        announce=announce,
    )
    _store_attachments(entry, attachments)
    return entry
