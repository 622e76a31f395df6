"""Writes of the required documents (issue 11.3): the client sends a file, staff accept
or reject it, and a stage with documents still missing holds its tickets.

Each write locks what it changes, stores the present state (TicketDocument) and leaves
its row on the ticket's timeline, in one transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tickets import events as ticket_events
from tickets import services as ticket_services
from tickets.models import Channel, Ticket, TimelineEntry
from tickets.uploads import CheckedUpload

from . import events
from .models import RequiredDocument, TicketDocument

Status = TicketDocument.Status


def missing_documents(ticket: Ticket, stage=None) -> list[RequiredDocument]:
    """The documents `stage` (default: the ticket's current stage) asks for that the
    ticket has no accepted copy of, in the stage's order."""
    return list(RequiredDocument.objects.missing_for(ticket, stage.pk if stage else ticket.stage_id))


def missing_documents_refusal(ticket: Ticket, from_stage, to_stage) -> str:
    """Ticket.move_to's check (see tickets.models.MOVE_CHECKS): why the ticket may not
    leave `from_stage` for `to_stage`, or "".

    Issue 11.3: "a ticket cannot be moved past that stage until all are accepted". Past
    means to any later stage of the pipeline, Cerrado included (a case abandoned with
    documents missing is closed with a stated reason); going back to an earlier stage,
    e.g. "Esperando información cliente", is always allowed. Only the stage being left
    counts: documents are asked for while the ticket is in their stage.
    """
    if to_stage.position <= from_stage.position:
        return ""
    missing = missing_documents(ticket, from_stage)
    if not missing:
        return ""
    return _(
        "La etapa «%(stage)s» requiere documentos aceptados que faltan: %(documents)s. "
        "Acepte los documentos o indique el motivo para avanzar sin ellos."
    ) % {"stage": from_stage.name, "documents": ", ".join(document.name for document in missing)}


def _may_work_on(user, ticket: Ticket) -> bool:
    return Ticket.objects.visible_to(user).filter(pk=ticket.pk).exists()


@transaction.atomic
def document_upload(*, ticket: Ticket, requirement: RequiredDocument, upload: CheckedUpload, by, at=None) -> TicketDocument:
    """Store a client's file for one of the documents the ticket's stage asks for; it
    waits "En revisión" for the team. Return the ticket's document.

    Only a client who sees the ticket (its requester or a colleague) sends documents;
    the file must have passed tickets.uploads.validate_upload() (the same checks as a
    reply's). The file is an attachment of a client message on the timeline, so the
    team is told as for any client message, and it downloads like any other.
    A Cerrado ticket raises TicketClosedError; a requirement of another stage, or one
    already sent and not rejected, raises ValidationError. Nothing is stored then.
    `at` backdates it (demo data); it defaults to now.
    """
    if by.is_staff or not _may_work_on(by, ticket):
        raise PermissionDenied
    # The stage under the ticket's lock: staff may have moved it since the page loaded.
    current = Ticket.objects.locked().select_related("stage").get(pk=ticket.pk)
    if current.stage.is_closed:
        raise ticket_services.TicketClosedError()
    if requirement.stage_id != current.stage_id:
        raise ValidationError(
            _("«%(document)s» ya no se solicita en la etapa actual del ticket.") % {"document": requirement.name},
            code="other_stage",
        )
    document = TicketDocument.objects.select_for_update().filter(ticket=ticket, requirement=requirement).first()
    if document is not None and document.status != Status.REJECTED:
        raise ValidationError(
            _("«%(document)s» ya se envió y está %(status)s.")
            % {"document": requirement.name, "status": document.get_status_display().lower()},
            code="already_sent",
        )
    entry = ticket_services.entry_add(
        ticket=ticket,
        kind=TimelineEntry.Kind.CLIENT_MESSAGE,
        author=by,
        body=_("Documento enviado para revisión: %(document)s.") % {"document": requirement.name},
        channel=Channel.PORTAL,
        attachments=[upload],
        created_at=at,
    )
    document = document or TicketDocument(ticket=ticket, requirement=requirement)
    document.attachment = entry.attachments.get()
    document.status = Status.IN_REVIEW
    document.reason = ""
    document.uploaded_by = by
    document.uploaded_at = entry.created_at
    document.reviewed_by = None
    document.reviewed_at = None
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def document_review(*, document: TicketDocument, accept: bool, reason: str = "", by, at=None) -> TicketDocument:
    """Accept or reject a client's document, recording who and why; return it.

    Only staff who work on the ticket's area review. A rejection needs a reason: the
    client reads it in the portal and receives it by e-mail (queued with the review, see
    events.document_reviewed), and may then send the document again. `at` backdates
    it (demo data); it defaults to now.
    """
    if not by.is_staff or not _may_work_on(by, document.ticket):
        raise PermissionDenied
    reason = reason.strip()
    if not accept and not reason:
        raise ValidationError(_("Indique el motivo del rechazo: el cliente lo leerá."), code="reason_required")
    # The document's row alone: its requirement is every ticket's of that stage.
    locked = TicketDocument.objects.select_for_update(of=("self",)).select_related("requirement", "ticket").get(pk=document.pk)
    verdict = Status.ACCEPTED if accept else Status.REJECTED
    if locked.status == verdict:
        raise ValidationError(
            _("«%(document)s» ya estaba %(status)s.")
            % {"document": locked.requirement.name, "status": locked.get_status_display().lower()},
            code="already_reviewed",
        )
    now = at or timezone.now()
    locked.status, locked.reason, locked.reviewed_by, locked.reviewed_at = verdict, reason, by, now
    locked.save(update_fields=["status", "reason", "reviewed_by", "reviewed_at"])
    if accept:
        body = _("Documento aceptado: %(document)s.") % {"document": locked.requirement.name}
    else:
        body = _("Documento rechazado: %(document)s.") % {"document": locked.requirement.name}
    if reason:
        body += "\n" + _("Motivo: %(reason)s") % {"reason": reason}
    # A notice the client sees in the portal; the e-mail goes through document_reviewed.
    TimelineEntry.record(
        ticket=locked.ticket, kind=TimelineEntry.Kind.SYSTEM, channel=Channel.PORTAL, author=by, body=body, created_at=now
    )
    stage_complete = accept and not RequiredDocument.objects.missing_for(locked.ticket, locked.requirement.stage_id).exists()
    ticket_events.announce(events.document_reviewed, sender=TicketDocument, document=locked, stage_complete=stage_complete)
    return locked
