"""Business time in Mexico City: the arithmetic of the service clock (issue 11.2).

Pure functions, no database: the holidays come in as a set of dates. A business
moment is one inside the working hours of a working weekday that is not a holiday,
all read as wall-clock time in the service time zone (America/Mexico_City). Aware
datetimes from any zone are accepted; results are in the service zone.

Durations are sums of business time: one "business day" of a stage's target is one
full working day's hours (9 h with the default 9:00–18:00), so "2 business days"
entered on Friday at 17:00 ends on Tuesday at 17:00 (1 h Friday, 9 h Monday, 8 h
Tuesday). Intervals are measured in UTC, so they stay right across any change of
UTC offset (Mexico City has none since 2022, but older dates had daylight saving).
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# A target is searched for at most this far ahead: a calendar with no working day
# left in ten years is a configuration error, not a deadline.
MAX_DAYS_SEARCHED = 3660


@dataclass(frozen=True)
class WorkingHours:
    """When the teams work: `start`–`end` on `weekdays` (0 Monday … 6 Sunday) in `zone`."""

    start: time = time(9)
    end: time = time(18)
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    zone: ZoneInfo = ZoneInfo("America/Mexico_City")

    def __post_init__(self):
        if not self.start < self.end:
            raise ValueError("Working hours must start before they end.")
        if not self.weekdays or not self.weekdays <= set(range(7)):
            raise ValueError("Working weekdays must be a non-empty subset of 0 (Monday) … 6 (Sunday).")

    @property
    def per_day(self) -> timedelta:
        """The business time of one working day."""
        return datetime.combine(date.min, self.end) - datetime.combine(date.min, self.start)

    def business_days(self, days: int) -> timedelta:
        """A target of `days` business days as business time: days × hours per day."""
        return days * self.per_day

    def window(self, day: date, holidays: Collection[date]) -> tuple[datetime, datetime] | None:
        """The working window of `day` in UTC, or None when nobody works that day."""
        if day.weekday() not in self.weekdays or day in holidays:
            return None
        opens = datetime.combine(day, self.start, tzinfo=self.zone).astimezone(UTC)
        closes = datetime.combine(day, self.end, tzinfo=self.zone).astimezone(UTC)
        return opens, closes


def add_business_time(
    start: datetime, duration: timedelta, *, holidays: Collection[date], hours: WorkingHours | None = None
) -> datetime:
    """The earliest moment at which `duration` of business time has passed since `start`.

    A start outside working hours counts from the next opening; a duration that fills a
    day exactly ends at that day's closing time (not at the next opening). A zero
    duration returns `start` itself. `start` must be aware; the result is in the
    service zone.
    """
    hours = hours or WorkingHours()
    if start.tzinfo is None:
        raise ValueError("add_business_time() needs an aware datetime.")
    if duration < timedelta(0):
        raise ValueError("add_business_time() only adds: the duration must not be negative.")
    if not duration:
        return start.astimezone(hours.zone)
    cursor = start.astimezone(UTC)
    day = start.astimezone(hours.zone).date()
    remaining = duration
    for _ in range(MAX_DAYS_SEARCHED):
        window = hours.window(day, holidays)
        if window is not None:
            opens, closes = window
            begin = max(cursor, opens)
            if begin < closes:
                available = closes - begin
                if remaining <= available:
                    return (begin + remaining).astimezone(hours.zone)
                remaining -= available
        day += timedelta(days=1)
    raise ValueError(f"No working time within {MAX_DAYS_SEARCHED} days of {start}: check the working days and holidays.")


def business_time_between(
    start: datetime, end: datetime, *, holidays: Collection[date], hours: WorkingHours | None = None
) -> timedelta:
    """The business time from `start` to `end`; negative when `end` comes first.

    The inverse of add_business_time(): business_time_between(s, add_business_time(s, d))
    is d for every d ≥ 0.
    """
    hours = hours or WorkingHours()
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("business_time_between() needs aware datetimes.")
    if end < start:
        return -business_time_between(end, start, holidays=holidays, hours=hours)
    begin, finish = start.astimezone(UTC), end.astimezone(UTC)
    total = timedelta(0)
    day = start.astimezone(hours.zone).date()
    last_day = end.astimezone(hours.zone).date()
    while day <= last_day:
        window = hours.window(day, holidays)
        if window is not None:
            opens, closes = window
            overlap = min(finish, closes) - max(begin, opens)
            if overlap > timedelta(0):
                total += overlap
        day += timedelta(days=1)
    return total
