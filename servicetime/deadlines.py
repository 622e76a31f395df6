"""The service clock of a ticket: its deadline in the stage it is in (issue 11.2).

A stage may carry a target in business days (workflows.Stage.target_business_days).
When a ticket enters such a stage, its deadline (Ticket.due_at) is the target counted
in business time from that moment (servicetime.clock). The clock pauses while the
ticket waits on the client (Stage.waits_on_client): due_at is then empty and the
business time that was left is kept with the stage it belongs to; when the ticket
goes back to that stage the clock resumes with what was left, and a move to any other
stage starts that stage's own target. A Cerrado stage, or one without a target, has
no deadline. A deadline already passed when the clock paused resumes with nothing
left: the ticket is overdue again at once.

Ticket.move_to() and tickets.services.ticket_open() call clock_on_entering(); the
admin reads due_state() and due_counts_by_area().
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, TextChoices
from django.utils.translation import gettext_lazy as _

from .clock import WorkingHours, add_business_time, business_time_between
from .models import Holiday


def working_hours() -> WorkingHours:
    """The teams' hours from settings (SERVICE_HOURS, SERVICE_WEEKDAYS, TIME_ZONE)."""
    start, end = settings.SERVICE_HOURS
    return WorkingHours(
        start=time(start),
        end=time(end),
        weekdays=frozenset(day - 1 for day in settings.SERVICE_WEEKDAYS),
        zone=ZoneInfo(settings.TIME_ZONE),
    )


@dataclass(frozen=True)
class ClockState:
    """What a ticket stores of its clock: a running deadline, or a paused remainder."""

    due_at: datetime | None = None
    paused_remaining: timedelta | None = None
    paused_stage_id: int | None = None

    @property
    def is_paused(self) -> bool:
        return self.paused_remaining is not None

    def as_fields(self) -> dict:
        """The Ticket fields, for an update()."""
        return {
            "due_at": self.due_at,
            "paused_remaining": self.paused_remaining,
            "paused_stage_id": self.paused_stage_id,
        }


STOPPED = ClockState()


def clock_on_entering(stage, *, at: datetime, current: ClockState = STOPPED, previous_stage=None) -> ClockState:
    """The clock of a ticket entering `stage` at `at`, coming from `previous_stage`
    with the clock `current` (a new ticket: neither). Reads the holidays only when
    there is time to count (one query)."""
    if stage.is_closed:
        return STOPPED
    hours = working_hours()
    if stage.waits_on_client:
        if current.due_at is not None and previous_stage is not None:
            start = min(at, current.due_at)
            holidays = Holiday.objects.dates_from(start.astimezone(hours.zone).date())
            left = business_time_between(at, current.due_at, holidays=holidays, hours=hours)
            return ClockState(paused_remaining=max(left, timedelta(0)), paused_stage_id=previous_stage.pk)
        # From one waiting stage to another the pause goes on; from a stage without a
        # deadline there is nothing to pause.
        return current if current.is_paused else STOPPED
    if current.is_paused and current.paused_stage_id == stage.pk:
        target = current.paused_remaining
    elif stage.target_business_days:
        target = hours.business_days(stage.target_business_days)
    else:
        return STOPPED
    holidays = Holiday.objects.dates_from(at.astimezone(hours.zone).date())
    return ClockState(due_at=add_business_time(at, target, holidays=holidays, hours=hours))


# --- what staff see --------------------------------------------------------------


class DueState(TextChoices):
    """Where a ticket stands against its deadline; the values are the admin filter's."""

    OVERDUE = "vencidos", _("Vencidos")
    TODAY = "hoy", _("Vencen hoy")
    ON_TIME = "en-tiempo", _("En tiempo")
    NONE = "sin-plazo", _("Sin plazo")


def end_of_today(now: datetime) -> datetime:
    """Midnight at the end of `now`'s day in the service zone: "today" ends there."""
    zone = ZoneInfo(settings.TIME_ZONE)
    tomorrow = now.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), tzinfo=zone)


def due_state(due_at: datetime | None, now: datetime) -> DueState:
    if due_at is None:
        return DueState.NONE
    if due_at < now:
        return DueState.OVERDUE
    if due_at < end_of_today(now):
        return DueState.TODAY
    return DueState.ON_TIME


def due_state_filter(state: str, now: datetime) -> Q | None:
    """The condition of DueState `state` on tickets (None for an unknown state).

    Closed and paused tickets have no due_at, so none of the first three needs a join
    to the stage: the partial index on due_at serves them alone (tickets.Ticket.Meta).
    """
    end = end_of_today(now)
    return {
        DueState.OVERDUE: Q(due_at__lt=now),
        DueState.TODAY: Q(due_at__gte=now, due_at__lt=end),
        DueState.ON_TIME: Q(due_at__gte=end),
        DueState.NONE: Q(due_at__isnull=True),
    }.get(state)


def due_counts_by_area(tickets, now: datetime) -> list[dict]:
    """Per area of `tickets`, how many are overdue and how many fall due later today
    (one query; areas with neither are left out), in the areas' order.

    COUNT(due_at), not COUNT(id): the partial index on (due_at, area) then answers alone
    (an index-only scan); counting the id read 176,000 overdue rows from the table in
    0.6 s on the million-ticket benchmark, the index in 0.07 s.
    """
    return list(
        tickets.filter(due_at__lt=end_of_today(now))
        .values("area_id", "area__name")
        .annotate(overdue=Count("due_at", filter=Q(due_at__lt=now)), today=Count("due_at", filter=Q(due_at__gte=now)))
        .order_by("area__position", "area__name")
    )
