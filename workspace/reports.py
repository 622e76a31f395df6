"""Numbers about an area's work (issue 12, "Reportes"), aggregated in SQL.

Over a period of whole weeks (Monday to Sunday, America/Mexico_City):

- tickets opened and closed per week;
- open tickets per stage (now);
- median and 90th percentile of the time tickets spent in each stage, from the
  timeline's stage changes that ended a stay in the period (a stay starts at the
  ticket's previous stage change, or at its creation);
- first-response time: from a ticket's creation to the team's first reply, for the
  tickets opened in the period.

Every figure is one aggregate query served by an index (tickets/models.py names them),
over columns that Ticket.move_to() and TimelineEntry.record() keep (a stay's length, a
ticket's first reply), never a search of each ticket's timeline: a report costs the
same few queries at a thousand tickets or a million.
PostgreSQL computes the percentiles (percentile_cont); SQLite, which has none, gets
the period's durations of one area and computes the same interpolated percentiles.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connections
from django.db.models import Aggregate, Count, DurationField, F
from django.db.models.functions import TruncWeek
from django.utils import timezone

from tickets.models import Ticket, TimelineEntry
from workflows.models import Area

Kind = TimelineEntry.Kind
PERIODS = (4, 12, 26, 52)  # weeks a report may cover
DEFAULT_PERIOD = 12


class MedianAndP90(Aggregate):
    """PostgreSQL's percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY expression):
    both percentiles in one pass, so a per-row subquery in `expression` runs once."""

    function = "percentile_cont"
    template = "%(function)s(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, **extra):
        from django.contrib.postgres.fields import ArrayField

        super().__init__(expression, output_field=ArrayField(DurationField()), **extra)


def percentile_cont(ordered: list, fraction: float):
    """The same interpolation as SQL's percentile_cont over sorted values (None if empty)."""
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    lower, upper = math.floor(position), math.ceil(position)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def duration_text(value: timedelta | None) -> str:
    """A duration as staff read it: "3 d 4 h", "5 h 12 min", "12 min" ("—" if none)."""
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


def hours(value: timedelta | None) -> str:
    """A duration in hours with one decimal, for the CSV ("" if none)."""
    return "" if value is None else f"{value.total_seconds() / 3600:.1f}"


@dataclass
class Spread:
    """Median and 90th percentile of some durations, and how many there were."""

    count: int = 0
    median: timedelta | None = None
    p90: timedelta | None = None


def period_start(weeks: int, now: datetime | None = None) -> datetime:
    """Monday 00:00 (local time) of the first of the last `weeks` weeks, this one included."""
    today = timezone.localdate(now)
    monday = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    return timezone.make_aware(datetime.combine(monday, datetime.min.time()))


def _supports_percentiles(queryset) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def spread_by(queryset, *, group: str | None, duration: str) -> dict:
    """{group value: Spread} of the `duration` annotation of `queryset`, NULLs left
    out (one query). `group` None: one Spread under the key None."""
    if _supports_percentiles(queryset):
        if group is None:
            # aggregate() over an annotation holding a subquery reads it in an inner
            # query: one evaluation per row for both figures.
            row = queryset.order_by().aggregate(count=Count(duration), spread=MedianAndP90(duration))
            return {None: Spread(row["count"], *row["spread"])} if row["count"] else {}
        rows = queryset.order_by().values(group).annotate(count=Count("*"), spread=MedianAndP90(duration))
        return {row[group]: Spread(row["count"], *row["spread"]) for row in rows}
    values: dict = {}
    for key, value in queryset.order_by().values_list(group or "pk", duration):
        if value is not None:
            values.setdefault(key if group else None, []).append(value)
    result = {}
    for key, durations in values.items():
        durations.sort()
        result[key] = Spread(len(durations), percentile_cont(durations, 0.5), percentile_cont(durations, 0.9))
    return result


def weekly_counts(queryset, field: str):
    """`queryset` counted by the week (local Monday) of `field`: rows of week, count.

    COUNT(*), never COUNT(id): the counts in this module read only indexed columns,
    so PostgreSQL answers them from the index alone (an index-only scan); counting
    the id, which those indexes lack, sent it to the table's rows (issue 12)."""
    return (
        queryset.order_by()
        .annotate(week=TruncWeek(field, tzinfo=timezone.get_current_timezone()))
        .values("week")
        .annotate(count=Count("*"))
    )


def open_per_stage(stage_ids: list[int]):
    """Rows of (stage id, open tickets) for `stage_ids`, counted on the stage index."""
    return Ticket.objects.filter(stage__in=stage_ids).order_by().values_list("stage").annotate(count=Count("*"))


def _weekly(queryset, field: str) -> dict:
    """{week's Monday (date): count} (one query)."""
    return {_monday(row["week"]): row["count"] for row in weekly_counts(queryset, field)}


def _monday(week) -> "datetime.date":
    return timezone.localtime(week).date() if isinstance(week, datetime) else week


def stage_stays(area: Area, start: datetime):
    """The stays in `area`'s stages that ended (by a stage change) since `start`, each
    with `stay`: how long the ticket had been in that stage (written by move_to())."""
    return TimelineEntry.objects.filter(kind=Kind.STAGE_CHANGE, from_stage__in=area.stages.all(), created_at__gte=start).annotate(
        stay=F("stage_stay")
    )


def first_responses(area: Area, start: datetime):
    """The tickets opened in `area` since `start`, each with `response`: the time from
    its creation to the team's first reply (NULL while nobody answered: the figures
    skip NULLs)."""
    return Ticket.objects.filter(area=area, created_at__gte=start).annotate(response=F("first_response_at") - F("created_at"))


@dataclass
class WeekRow:
    week: "datetime.date"
    opened: int
    closed: int


@dataclass
class StageRow:
    stage: object
    open_now: int
    stays: Spread


@dataclass
class AreaReport:
    area: Area
    weeks: int
    start: datetime
    per_week: list[WeekRow]
    per_stage: list[StageRow]
    first_response: Spread
    unanswered: int


def area_report(area: Area, *, weeks: int = DEFAULT_PERIOD, now: datetime | None = None) -> AreaReport:
    """Everything the report page and its CSV show, in six queries."""
    start = period_start(weeks, now)
    tickets = Ticket.objects.filter(area=area)
    opened = _weekly(tickets.filter(created_at__gte=start), "created_at")
    closed = _weekly(tickets.filter(closed_at__gte=start), "closed_at")
    first_monday = start.date()
    per_week = [
        WeekRow(monday, opened.get(monday, 0), closed.get(monday, 0))
        for monday in (first_monday + timedelta(weeks=i) for i in range(weeks))
    ]
    stages = list(area.stages.order_by("position"))
    open_ids = [stage.pk for stage in stages if not stage.is_closed]
    open_now = dict(open_per_stage(open_ids))
    stays = spread_by(stage_stays(area, start), group="from_stage", duration="stay")
    per_stage = [StageRow(stage, open_now.get(stage.pk, 0), stays.get(stage.pk, Spread())) for stage in stages]
    responses = first_responses(area, start)
    first_response = spread_by(responses, group=None, duration="response").get(None, Spread())
    opened_total = sum(opened.values())
    return AreaReport(
        area=area,
        weeks=weeks,
        start=start,
        per_week=per_week,
        per_stage=per_stage,
        first_response=first_response,
        unanswered=opened_total - first_response.count,
    )
