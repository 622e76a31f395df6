"""The service clock's arithmetic (servicetime.clock), table-driven: weekends, Mexico's
rest days (LFT art. 74), working hours, zones (issue 11.2)."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from servicetime.clock import WorkingHours, add_business_time, business_time_between
from servicetime.holidays import official_rest_days

MX = ZoneInfo("America/Mexico_City")
MADRID = ZoneInfo("Europe/Madrid")
HOLIDAYS = frozenset(day for year in (2026, 2027, 2028) for day, _name in official_rest_days(year))
DAY = timedelta(hours=9)  # one business day of 9:00–18:00
H = timedelta(hours=1)


def mx(*args) -> datetime:
    return datetime(*args, tzinfo=MX)


# (case, start, business time to add, the deadline in Mexico City time)
ADD_CASES = [
    ("within a working day", mx(2026, 12, 7, 10), 2 * H, mx(2026, 12, 7, 12)),
    ("zero duration is the start itself", mx(2026, 12, 7, 10), timedelta(0), mx(2026, 12, 7, 10)),
    ("zero duration on a Saturday stays there", mx(2026, 12, 5, 12), timedelta(0), mx(2026, 12, 5, 12)),
    ("start before opening counts from 9:00", mx(2026, 12, 7, 7, 30), H, mx(2026, 12, 7, 10)),
    ("start after closing counts from the next day", mx(2026, 12, 7, 19), H, mx(2026, 12, 8, 10)),
    ("start at exact closing counts from the next day", mx(2026, 12, 7, 18), H, mx(2026, 12, 8, 10)),
    ("a full day ends at closing, not the next opening", mx(2026, 12, 7, 9), DAY, mx(2026, 12, 7, 18)),
    ("minutes spill over closing", mx(2026, 12, 7, 17, 59), timedelta(minutes=2), mx(2026, 12, 8, 9, 1)),
    ("Friday evening skips the weekend", mx(2026, 12, 4, 17), 2 * H, mx(2026, 12, 7, 10)),
    ("Saturday start counts from Monday", mx(2026, 12, 5, 11), H, mx(2026, 12, 7, 10)),
    ("Sunday start plus one business day", mx(2026, 12, 6, 20), DAY, mx(2026, 12, 7, 18)),
    ("2 business days from Friday 17:00 end Tuesday 17:00", mx(2026, 12, 4, 17), 2 * DAY, mx(2026, 12, 8, 17)),
    ("3 business days mid-week", mx(2026, 12, 7, 13), 3 * DAY, mx(2026, 12, 10, 13)),
    ("Revolución moved to Monday 16 Nov 2026", mx(2026, 11, 13, 17), 2 * H, mx(2026, 11, 17, 10)),
    ("start on the holiday Monday itself", mx(2026, 11, 16, 10), H, mx(2026, 11, 17, 10)),
    ("Juárez, third Monday of March 2026", mx(2026, 3, 13, 12), DAY, mx(2026, 3, 17, 12)),
    ("Constitución, first Monday of February 2027", mx(2027, 1, 29, 18), H, mx(2027, 2, 2, 10)),
    ("Independencia on a Wednesday", mx(2026, 9, 15, 17), 2 * H, mx(2026, 9, 17, 10)),
    ("1 May 2028 is a Monday", mx(2028, 4, 28, 17, 30), H, mx(2028, 5, 2, 9, 30)),
    ("Christmas Friday and the weekend", mx(2026, 12, 24, 17), 2 * H, mx(2026, 12, 28, 10)),
    ("New Year's Day Friday", mx(2026, 12, 31, 12), DAY, mx(2027, 1, 4, 12)),
    ("a week across Christmas", mx(2026, 12, 23, 9), 5 * DAY, mx(2026, 12, 30, 18)),
    ("Christmas to after New Year", mx(2026, 12, 24, 9), 6 * DAY, mx(2027, 1, 4, 18)),
    ("UTC input is read in Mexico City time", datetime(2026, 12, 7, 15, tzinfo=UTC), H, mx(2026, 12, 7, 10)),
    ("UTC Friday night is Friday afternoon in Mexico", datetime(2026, 12, 4, 23, 30, tzinfo=UTC), H, mx(2026, 12, 7, 9, 30)),
    ("Madrid input", datetime(2026, 12, 7, 17, tzinfo=MADRID), timedelta(minutes=30), mx(2026, 12, 7, 10, 30)),
    # The US is on daylight saving from 14 March 2027, Mexico City is not (since 2022):
    # 15:00 UTC is still 9:00 there; 15 March is Juárez.
    ("no DST in Mexico City in 2027", datetime(2027, 3, 15, 15, tzinfo=UTC), H, mx(2027, 3, 16, 10)),
    # 2021 still had daylight saving (UTC-5 until 31 October): the interval is
    # counted in wall-clock hours of each day all the same.
    ("across the last DST change of 2021", mx(2021, 10, 29, 17), 2 * H, mx(2021, 11, 1, 10)),
]


@pytest.mark.parametrize(("case", "start", "duration", "expected"), ADD_CASES, ids=[c[0] for c in ADD_CASES])
def test_add_business_time(case, start, duration, expected):
    result = add_business_time(start, duration, holidays=HOLIDAYS)
    assert result == expected
    assert result.tzinfo == MX
    # Same wall-clock reading, not just the same instant.
    assert result.replace(tzinfo=None) == expected.replace(tzinfo=None)


# (case, start, end, business time between them)
BETWEEN_CASES = [
    ("same day", mx(2026, 12, 7, 10), mx(2026, 12, 7, 12, 30), timedelta(hours=2, minutes=30)),
    ("a weekend counts nothing", mx(2026, 12, 5, 8), mx(2026, 12, 6, 23), timedelta(0)),
    ("Friday to Monday", mx(2026, 12, 4, 17), mx(2026, 12, 7, 10), 2 * H),
    ("nights count nothing", mx(2026, 12, 7, 18), mx(2026, 12, 8, 9), timedelta(0)),
    ("over Christmas and New Year", mx(2026, 12, 24, 9), mx(2027, 1, 4, 9), 5 * DAY),
    ("backwards is negative", mx(2026, 12, 7, 12), mx(2026, 12, 7, 10), -2 * H),
    ("a holiday counts nothing", mx(2026, 11, 16, 0), mx(2026, 11, 17, 0), timedelta(0)),
]


@pytest.mark.parametrize(("case", "start", "end", "expected"), BETWEEN_CASES, ids=[c[0] for c in BETWEEN_CASES])
def test_business_time_between(case, start, end, expected):
    assert business_time_between(start, end, holidays=HOLIDAYS) == expected


def test_between_is_the_inverse_of_add():
    durations = [timedelta(0), timedelta(minutes=1), H, DAY - timedelta(minutes=1), DAY, 2 * DAY, 7 * DAY + 3 * H]
    start = mx(2026, 12, 18, 0)
    while start < mx(2027, 1, 6):
        for duration in durations:
            deadline = add_business_time(start, duration, holidays=HOLIDAYS)
            assert business_time_between(start, deadline, holidays=HOLIDAYS) == duration, (start, duration)
            # The earliest such moment: a minute before, the time had not passed yet.
            if duration:
                earlier = deadline - timedelta(minutes=1)
                assert business_time_between(start, earlier, holidays=HOLIDAYS) < duration
        start += timedelta(minutes=97)


def test_pausing_and_resuming_keeps_the_business_time_left():
    # Two business days start on Monday 7 Dec at 10:00; the ticket waits on the client
    # from Monday 16:00 to Thursday 11:00 (clock paused); the 12 h left resume then.
    deadline = add_business_time(mx(2026, 12, 7, 10), 2 * DAY, holidays=HOLIDAYS)
    assert deadline == mx(2026, 12, 9, 10)
    left = business_time_between(mx(2026, 12, 7, 16), deadline, holidays=HOLIDAYS)
    assert left == 12 * H
    assert add_business_time(mx(2026, 12, 10, 11), left, holidays=HOLIDAYS) == mx(2026, 12, 11, 14)


def test_working_hours_are_configurable():
    early = WorkingHours(start=datetime.min.time().replace(hour=8), end=datetime.min.time().replace(hour=14))
    assert early.per_day == timedelta(hours=6)
    assert add_business_time(mx(2026, 12, 7, 13), 2 * H, holidays=(), hours=early) == mx(2026, 12, 8, 9)
    saturdays = WorkingHours(weekdays=frozenset({0, 1, 2, 3, 4, 5}))
    assert add_business_time(mx(2026, 12, 4, 17), 2 * H, holidays=(), hours=saturdays) == mx(2026, 12, 5, 10)


def test_it_refuses_naive_datetimes_and_negative_durations():
    with pytest.raises(ValueError):
        add_business_time(datetime(2026, 12, 7, 10), H, holidays=())
    with pytest.raises(ValueError):
        add_business_time(mx(2026, 12, 7, 10), -H, holidays=())
    with pytest.raises(ValueError):
        business_time_between(datetime(2026, 12, 7, 10), mx(2026, 12, 7, 12), holidays=())


def test_a_calendar_without_working_days_is_an_error_not_a_hang():
    every_day = frozenset(date(2026, 1, 1) + timedelta(days=n) for n in range(4000))
    with pytest.raises(ValueError):
        add_business_time(mx(2026, 1, 1, 10), H, holidays=every_day)
