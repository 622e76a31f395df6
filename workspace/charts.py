"""Server-rendered SVG charts of the reports: geometry computed here, drawn by
templates/admin/workspace/report.html with plain SVG elements (no script, no inline
style: the CSP allows neither; colours come from workspace.css classes)."""

from dataclasses import dataclass, field

WIDTH = 720
LABEL_WIDTH = 190  # room for stage names left of horizontal bars
BAR_HEIGHT = 14
ROW_GAP = 8


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


@dataclass
class Label:
    x: float
    y: float
    text: str
    anchor: str = "start"


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)


def _scale(maximum: float, length: float):
    return (lambda value: 0.0) if not maximum else (lambda value: length * value / maximum)


def weekly_bars(rows, *, series: list[tuple[str, str, str]], height: int = 220) -> Chart:
    """Grouped vertical bars, one group per week. `series`: (attribute, css class, label)."""
    top, bottom, left = 16, 36, 40
    plot_height = height - top - bottom
    maximum = max((getattr(row, name) for row in rows for name, _, _ in series), default=0)
    scale = _scale(maximum, plot_height)
    group = (WIDTH - left - 10) / max(len(rows), 1)
    bar_width = max(group / (len(series) + 1), 1)
    chart = Chart(WIDTH, height)
    chart.labels.append(Label(left - 6, top + 4, str(maximum), "end"))
    chart.labels.append(Label(left - 6, top + plot_height, "0", "end"))
    every = max(1, len(rows) // 8)  # at most ~8 week labels under the axis
    for index, row in enumerate(rows):
        x = left + index * group
        for offset, (name, css, label) in enumerate(series):
            value = getattr(row, name)
            bar_height = scale(value)
            chart.bars.append(
                Bar(
                    x + offset * bar_width,
                    top + plot_height - bar_height,
                    bar_width - 1,
                    bar_height,
                    css,
                    f"{row.week:%d/%m}: {label} {value}",
                )
            )
        if index % every == 0:
            chart.labels.append(Label(x + group / 2, height - bottom + 16, f"{row.week:%d/%m}", "middle"))
    return chart


def horizontal_bars(items: list[tuple[str, list[tuple[float, str, str]]]]) -> Chart:
    """Horizontal bars, one row per item: (label, [(value, css class, tooltip), ...])."""
    values = [value for _, bars in items for value, _, _ in bars]
    scale = _scale(max(values, default=0), WIDTH - LABEL_WIDTH - 20)
    per_row = max((len(bars) for _, bars in items), default=1)
    row_height = per_row * BAR_HEIGHT + ROW_GAP
    chart = Chart(WIDTH, max(len(items), 1) * row_height + ROW_GAP)
    for index, (label, bars) in enumerate(items):
        y = ROW_GAP + index * row_height
        chart.labels.append(Label(LABEL_WIDTH - 6, y + per_row * BAR_HEIGHT / 2 + 4, label, "end"))
        for offset, (value, css, tooltip) in enumerate(bars):
            chart.bars.append(Bar(LABEL_WIDTH, y + offset * BAR_HEIGHT, max(scale(value), 0.5), BAR_HEIGHT - 2, css, tooltip))
    return chart
