"""Survey results per area and per month, and their chart as plain SVG numbers.

The chart is drawn by the server (templates/admin/surveys/_chart.svg): the admin's CSP
allows no external or inline scripts, and an SVG of a few rectangles needs none.
"""

from dataclasses import dataclass

from django.db.models import Avg, Count
from django.db.models.functions import TruncMonth
from django.utils import dateformat

# Colour per area, in the order of Area.position (enough for the four of seed 000 and a few more).
PALETTE = ["#0b4f8a", "#2e8540", "#d4731b", "#7b3fa0", "#b32d2e", "#4a6b82"]
MAX_MONTHS = 12
WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 36, 12, 12, 36
MAX_RATING = 5


@dataclass
class ResultRow:
    area: str
    month: object  # an aware datetime at the start of the month (Mexico City)
    sent: int
    answered: int
    average: float | None

    @property
    def response_rate(self) -> int:
        return round(100 * self.answered / self.sent) if self.sent else 0


def results(surveys) -> list[ResultRow]:
    """One row per (month, area), newest month first; one query."""
    rows = (
        surveys.annotate(month=TruncMonth("sent_at"))
        .values("month", "area__name", "area__position")
        .annotate(sent=Count("pk"), answered=Count("rating"), average=Avg("rating"))
        .order_by("-month", "area__position", "area__name")
    )
    return [ResultRow(r["area__name"], r["month"], r["sent"], r["answered"], r["average"]) for r in rows]


def chart(rows: list[ResultRow]) -> dict | None:
    """Bars of the average rating per month (oldest left), one colour per area."""
    answered = [row for row in rows if row.average is not None]
    if not answered:
        return None
    months = sorted({row.month for row in answered})[-MAX_MONTHS:]
    areas = list(dict.fromkeys(row.area for row in sorted(answered, key=lambda r: r.area)))
    colours = {area: PALETTE[index % len(PALETTE)] for index, area in enumerate(areas)}
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group = plot_width / len(months)
    bar = group * 0.8 / len(areas)
    by_key = {(row.month, row.area): row for row in answered}
    bars = []
    for month_index, month in enumerate(months):
        for area_index, area in enumerate(areas):
            row = by_key.get((month, area))
            if row is None:
                continue
            height = plot_height * row.average / MAX_RATING
            bars.append(
                {
                    "x": round(LEFT + month_index * group + group * 0.1 + area_index * bar, 1),
                    "y": round(TOP + plot_height - height, 1),
                    "width": round(bar, 1),
                    "height": round(height, 1),
                    "fill": colours[area],
                    "title": f"{area} · {dateformat.format(month, 'M Y')}: {row.average:.1f} ({row.answered})",
                }
            )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "baseline": TOP + plot_height,
        "bars": bars,
        "gridlines": [
            {"y": round(TOP + plot_height * (1 - value / MAX_RATING), 1), "label": value} for value in range(MAX_RATING + 1)
        ],
        "labels": [
            {"x": round(LEFT + (i + 0.5) * group, 1), "text": dateformat.format(month, "M Y")} for i, month in enumerate(months)
        ],
        "legend": [{"area": area, "fill": colours[area]} for area in areas],
        "label_y": HEIGHT - 14,
    }
