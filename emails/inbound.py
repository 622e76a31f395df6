"""Turning a raw e-mail into the right effect on a ticket.

ingest() is the one entry point, fed by `manage.py fetch_mail` (IMAP) and by the
providers' inbound webhooks (emails.webhooks). Every message is stored raw as an
InboundEmail first (unique Message-ID: the same message is never ingested twice, even
by two runs at once; a repeat is counted and listed for staff), read once
(emails.mime), routed (emails.routing.decide returns a Decision) and the decision is
applied here. Tickets and their entries are written only through tickets.services; the
closed-ticket answer leaves through tickets.events like every other notification.
"""

import hashlib
import logging
import traceback

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.utils.translation import gettext as _

from tickets import events, services
from tickets.models import Channel, Ticket, TimelineEntry
from tickets.uploads import CheckedUpload, validate_upload
from workflows.models import Area

from . import addressing, mime, routing
from .models import InboundDuplicate, InboundEmail
from .quoting import strip_reply
from .routing import Action, Decision

logger = logging.getLogger(__name__)
Outcome = InboundEmail.Outcome
Kind = TimelineEntry.Kind


# --- Files ---------------------------------------------------------------------------------


def check_files(files: list[tuple[str, bytes]]) -> tuple[list[CheckedUpload], list[str]]:
    """The files that pass the portal's checks, and a line per refused one."""
    accepted, refused = [], []
    for name, data in files:
        if len(accepted) >= settings.ATTACHMENT_MAX_FILES:
            refused.append(
                _("«%(name)s»: se aceptan como máximo %(max)d archivos por mensaje.")
                % {"name": name, "max": settings.ATTACHMENT_MAX_FILES}
            )
            continue
        try:
            accepted.append(validate_upload(SimpleUploadedFile(name, data)))
        except ValidationError as error:
            refused.extend(error.messages)
    return accepted, refused


def _note_refusals(ticket: Ticket, refused: list[str]) -> None:
    if refused:
        services.entry_add(
            ticket=ticket,
            kind=Kind.SYSTEM,
            author=None,
            channel=Channel.EMAIL,
            body=_("No se guardaron estos archivos adjuntos del correo:") + "\n" + "\n".join(f"- {line}" for line in refused),
        )


# --- Applying a decision ---------------------------------------------------------------------


def open_ticket_from(inbound: InboundEmail, message: mime.Message, *, requester, area: Area) -> Ticket:
    """Open a ticket (channel Correo) from a message; its sender gets "ticket created".

    The description is the whole text: what a client forwards to open a request is the
    request, so no quoted history is stripped here.
    """
    accepted, refused = check_files(message.files)
    subject = addressing.strip_subject_tag(message.subject) or _("(sin asunto)")
    ticket = services.ticket_create(
        requester=requester,
        area=area,
        subject=subject[:200],
        description=message.text,
        channel=Channel.EMAIL,
        attachments=accepted,
    )
    _note_refusals(ticket, refused)
    inbound.ticket = ticket
    inbound.entry = ticket.entries.order_by("pk").first()
    return ticket


def append_to_ticket(inbound: InboundEmail, message: mime.Message, *, ticket: Ticket, author) -> TimelineEntry:
    """Add a reply's new words and files to the ticket; TicketClosedError if it is closed."""
    accepted, refused = check_files(message.files)
    entry = services.entry_add(
        ticket=ticket,
        kind=Kind.CLIENT_MESSAGE,
        author=author,
        body=strip_reply(message.text) or _("(mensaje sin texto)"),
        channel=Channel.EMAIL,
        attachments=accepted,
    )
    _note_refusals(ticket, refused)
    inbound.ticket, inbound.entry = ticket, entry
    return entry


def apply_decision(inbound: InboundEmail, message: mime.Message, decision: Decision) -> None:
    """Do what the routing decided and record it on `inbound` (saved by the caller)."""
    inbound.outcome, inbound.rule, inbound.detail = decision.outcome, decision.rule, decision.reason
    inbound.ticket = decision.ticket
    if decision.action == Action.APPEND:
        try:
            append_to_ticket(inbound, message, ticket=decision.ticket, author=decision.author)
        except services.TicketClosedError:
            # Closed meanwhile: answered like any reply to a closed ticket.
            apply_decision(inbound, message, routing.closed_ticket_decision(decision.ticket, message.sender))
    elif decision.action == Action.OPEN:
        open_ticket_from(inbound, message, requester=decision.author, area=decision.area)
    elif decision.action == Action.ANSWER_CLOSED:
        events.announce(events.closed_ticket_written, sender=Ticket, ticket=decision.ticket, to=message.sender)


# --- Ingesting ---------------------------------------------------------------------------------


def ingest(raw: bytes, *, source: str) -> tuple[InboundEmail, bool]:
    """Store one raw RFC 5322 message and apply the rules; return (row, created).

    `created` is False when a message with the same Message-ID was ingested before:
    the repeat is recorded as an InboundDuplicate of that earlier row (returned) and
    nothing else happens, unless it is really another message (another sender and
    another body), which is then ingested in its own right. A message that cannot be
    read is stored with outcome "No se pudo procesar", never dropped.
    """
    message = mime.read(raw)
    return _ingest(message, message.message_id, source)


def _ingest(message: mime.Message, message_id: str, source: str) -> tuple[InboundEmail, bool]:
    with transaction.atomic():
        inbound = InboundEmail(message_id=message_id, source=source[:40], raw=message.raw, outcome=Outcome.FAILED)
        try:
            with transaction.atomic():
                # The unique Message-ID is the lock: a second run (or a webhook retry)
                # waits here for the first to commit, then finds the row.
                inbound.save()
        except IntegrityError:
            original = InboundEmail.objects.get(message_id=message_id)
            return _repeated(original, message, source)
        _process(inbound, message)
    return inbound, True


def _repeated(original: InboundEmail, message: mime.Message, source: str) -> tuple[InboundEmail, bool]:
    """Record a message whose Message-ID was seen before; see ingest()."""
    same_body = mime.body_digest(bytes(original.raw)) == mime.body_digest(message.raw)
    other_sender = message.sender != original.from_address
    duplicate = InboundDuplicate(
        original=original,
        source=source[:40],
        from_address=message.sender[:254],
        subject=message.subject[:255],
        same_body=same_body,
    )
    if other_sender and not same_body:
        # Not a copy: a sender reusing someone's Message-ID. Its own id is derived from
        # its bytes, so that a copy of *it* is recognised in turn.
        reused_id = f"<reused-{hashlib.sha256(message.raw).hexdigest()}@message-id-repetido>"
        duplicate.kept_as, _created = _ingest(message, reused_id, source)
        duplicate.save()
        return duplicate.kept_as, _created
    duplicate.save()
    return original, False


def _process(inbound: InboundEmail, message: mime.Message) -> None:
    """Read a stored message's headers and apply the rules; save the outcome.

    Anything wrong with the message itself marks it failed, kept raw for staff. A
    passing database failure (a deadlock, a lost connection) is not the message's
    fault: it propagates, the whole ingestion rolls back, and fetch_mail leaves the
    message in the inbox (a webhook answers 500 and the provider retries).
    """
    try:
        with transaction.atomic():
            if message.parsed is None:
                raise ValueError("unparseable message")
            inbound.from_address = message.sender[:254]
            inbound.to_addresses = ", ".join(message.addresses("To", "Cc"))
            inbound.subject = message.subject[:255]
            inbound.text = message.text
            apply_decision(inbound, message, routing.decide(message))
    except (OperationalError, InterfaceError):
        raise
    except Exception:
        logger.exception("Could not ingest message %s", inbound.message_id)
        inbound.outcome = Outcome.FAILED
        inbound.rule = ""
        inbound.detail = traceback.format_exc()[-4000:].replace("\x00", "")
        inbound.ticket = inbound.entry = None
    inbound.save()


# --- What staff do with held mail --------------------------------------------------------------


def reprocess(inbound: InboundEmail) -> InboundEmail:
    """Staff run the rules again on a message that failed (e.g. once a bug is fixed)."""
    with transaction.atomic():
        locked = InboundEmail.objects.select_for_update().get(pk=inbound.pk)
        if locked.outcome != Outcome.FAILED:
            raise ValidationError(_("Solo se reprocesan los correos que no se pudieron procesar."))
        _process(locked, mime.read(bytes(locked.raw)))
    return locked


def _held(inbound: InboundEmail) -> tuple[InboundEmail, mime.Message]:
    """The held message locked for a staff action, read with its structure repaired
    where its body shows the boundary it really uses."""
    locked = InboundEmail.objects.select_for_update().get(pk=inbound.pk)
    if not locked.is_convertible:
        raise ValidationError(_("Este correo ya no se puede convertir en ticket."))
    return locked, mime.salvage(mime.read(bytes(locked.raw)))


def convert_to_ticket(inbound: InboundEmail, *, requester, area: Area) -> Ticket:
    """Staff turn a held message (unknown sender, review) into a ticket for a client."""
    with transaction.atomic():
        locked, message = _held(inbound)
        ticket = open_ticket_from(locked, message, requester=requester, area=area)
        locked.outcome = Outcome.CONVERTED
        locked.detail = _("Convertido en el ticket #%(number)s para %(client)s.") % {"number": ticket.number, "client": requester}
        locked.save()
    return ticket


def add_to_ticket(inbound: InboundEmail, *, ticket: Ticket, author) -> TimelineEntry:
    """Staff add a held message to a ticket, in the name of a client who may write to it."""
    with transaction.atomic():
        locked, message = _held(inbound)
        if not routing.may_write_to(author, ticket):
            raise ValidationError(
                _("%(client)s no es el solicitante ni pertenece a la organización del ticket #%(number)s.")
                % {"client": author, "number": ticket.number}
            )
        entry = append_to_ticket(locked, message, ticket=ticket, author=author)
        locked.outcome = Outcome.ADDED
        locked.detail = _("Añadido por el personal al ticket #%(number)s a nombre de %(client)s.") % {
            "number": ticket.number,
            "client": author,
        }
        locked.save()
    return entry
