"""Mexico's official rest days (Ley Federal del Trabajo, art. 74).

Art. 74 LFT: 1 January; the first Monday of February (5 February, Constitución); the
third Monday of March (21 March, Juárez); 1 May; 16 September; the third Monday of
November (20 November, Revolución); 1 October every six years, when the federal
executive power is handed over (2024, 2030: none falls in 2026–2028); 25 December; and
the election days set by electoral law (always a Sunday, already a day off).

These pre-fill the Holiday table (migration 0002 and the tests' fixtures); staff edit
it in admin from there (e.g. a rest day the company adds, or the years after 2028).
"""

from datetime import date, timedelta

PREFILLED_YEARS = range(2026, 2029)


def nth_monday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7 + 7 * (n - 1))


def official_rest_days(year: int) -> list[tuple[date, str]]:
    """The art. 74 LFT rest days of `year`, in order, with their names (Spanish)."""
    days = [
        (date(year, 1, 1), "Año Nuevo"),
        (nth_monday(year, 2, 1), "Día de la Constitución (5 de febrero)"),
        (nth_monday(year, 3, 3), "Natalicio de Benito Juárez (21 de marzo)"),
        (date(year, 5, 1), "Día del Trabajo"),
        (date(year, 9, 16), "Día de la Independencia"),
        (nth_monday(year, 11, 3), "Día de la Revolución (20 de noviembre)"),
        (date(year, 12, 25), "Navidad"),
    ]
    if (year - 2024) % 6 == 0:
        days.append((date(year, 10, 1), "Transmisión del Poder Ejecutivo Federal"))
    return sorted(days)


def load_holidays(holiday_model, years=PREFILLED_YEARS) -> int:
    """Add the official rest days of `years` that the table lacks; return how many.

    Idempotent, and it never overwrites a row staff edited (matched by date).
    """
    existing = set(holiday_model.objects.values_list("date", flat=True))
    rows = [holiday_model(date=day, name=name) for year in years for day, name in official_rest_days(year) if day not in existing]
    holiday_model.objects.bulk_create(rows)
    if rows:
        from .models import forget_cached_holidays  # bulk_create sends no post_save

        forget_cached_holidays()
    return len(rows)
