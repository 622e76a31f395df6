"""Deadlines for the tickets that were open before the service clock existed."""

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

from .clock import add_business_time
from .deadlines import working_hours
from .models import Holiday


def start_clocks(*, batch_size: int = 1000) -> int:
    """Give every open ticket whose stage has a target, and whose clock neither runs nor
    is paused, the deadline it would have had: the target counted from when it entered
    its stage (its last stage change into it, else its creation). Return how many.

    Each row is written only if it is still in that stage without a clock, so a ticket
    moved meanwhile (move_to sets its own clock) is left alone.
    """
    from tickets.models import Ticket, TimelineEntry
    from workflows.models import State

    hours = working_hours()
    holidays = frozenset(Holiday.objects.values_list("date", flat=True))
    entered = (
        TimelineEntry.objects.filter(ticket=OuterRef("pk"), kind=TimelineEntry.Kind.STAGE_CHANGE, to_stage=OuterRef("stage"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    pending = (
        Ticket.objects.filter(
            stage__state=State.OPEN,
            stage__waits_on_client=False,
            stage__target_business_days__isnull=False,
            due_at__isnull=True,
            paused_remaining__isnull=True,
        )
        .annotate(entered_at=Coalesce(Subquery(entered), "created_at"))
        .order_by("pk")
        .values_list("pk", "stage_id", "stage__target_business_days", "entered_at")
    )
    started, last_pk = 0, 0
    while batch := list(pending.filter(pk__gt=last_pk)[:batch_size]):
        with transaction.atomic():
            for pk, stage_id, days, entered_at in batch:
                due_at = add_business_time(entered_at, hours.business_days(days), holidays=holidays, hours=hours)
                started += Ticket.objects.filter(
                    pk=pk, stage_id=stage_id, due_at__isnull=True, paused_remaining__isnull=True
                ).update(due_at=due_at)
        last_pk = batch[-1][0]
    return started
