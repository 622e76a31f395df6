"""Writes of the satisfaction survey: create and send it when a ticket closes, answer it."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emails.notifications import portal_url
from emails.outbound import queue_email
from tickets.models import Ticket, TimelineEntry

from .models import Survey


class SurveyClosedError(ValidationError):
    """The survey was already answered (the link works once)."""

    def __init__(self):
        super().__init__(_("Esta encuesta ya se respondió. ¡Gracias por su opinión!"), code="survey_answered")


def survey_create(*, ticket: Ticket, at=None) -> Survey | None:
    """The ticket's survey, created now; None if the ticket already had one (one per
    ticket, ever: see surveys.models)."""
    requester = ticket.requester
    survey = Survey(
        ticket=ticket,
        area_id=ticket.area_id,
        sent_to=requester.email if requester.is_active else "",
        sent_at=at or timezone.now(),
    )
    try:
        with transaction.atomic():
            if Survey.objects.filter(ticket=ticket).exists():
                return None
            survey.full_clean(validate_unique=False)
            survey.save()
    except IntegrityError:
        return None  # a concurrent close created it first: the constraint decides
    return survey


@transaction.atomic
def survey_send(*, ticket: Ticket) -> Survey | None:
    """Create the ticket's survey and queue its one e-mail; None when the ticket already
    had a survey. A requester without an active address gets the row (so reopening and
    closing again stays silent) but no e-mail."""
    survey = survey_create(ticket=ticket)
    if survey is None or not survey.sent_to:
        return survey
    queue_email(
        template="survey_request",
        to=[survey.sent_to],
        context={
            "survey": survey,
            "portal_url": portal_url(ticket),
            "survey_url": survey.absolute_link(),
            "rating_links": [(value, survey.absolute_link(calificacion=value)) for value in range(1, 6)],
        },
        ticket=ticket,
    )
    return survey


def survey_on_entry_recorded(*, entry: TimelineEntry, **kwargs) -> None:
    """events.entry_recorded listener: a ticket entering a Cerrado stage from an open
    one gets its survey (moves between two Cerrado stages do not count)."""
    if entry.kind != TimelineEntry.Kind.STAGE_CHANGE or entry.to_stage is None or not entry.to_stage.is_closed:
        return
    if entry.from_stage is not None and entry.from_stage.is_closed:
        return
    survey_send(ticket=Ticket.objects.select_related("requester").get(pk=entry.ticket_id))


@transaction.atomic
def survey_answer(*, survey: Survey, rating: int, comment: str = "", at=None) -> Survey:
    """Record the client's answer once; raise SurveyClosedError if it was already given."""
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if locked.is_answered:
        raise SurveyClosedError()
    locked.rating = rating
    locked.comment = comment.strip()
    locked.answered_at = at or timezone.now()
    locked.full_clean()
    locked.save(update_fields=["rating", "comment", "answered_at"])
    return locked
