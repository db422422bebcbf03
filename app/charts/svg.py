"""Pure SVG drawing: a value chart over time, a month calendar of daily rates, a bar chart.

Only presentation attributes are used (no ``style`` attributes or elements), so the
pages satisfy a Content-Security-Policy without ``unsafe-inline``; every text is
escaped. Each chart also has a ``<title>`` and ``<desc>`` for screen readers; pages
show the numbers as a table beside it.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from markupsafe import Markup, escape

from app.formatting import format_number, format_percent

INK = "#1d2a33"
MUTED = "#5b6b76"
GRID = "#d5dde2"
LINE = "#0b5d57"
LIMIT = "#b3261e"
BANDS = {"calibrating": "#ffe8a3", "error": "#f6c1bd", "excused": "#dfe7f5", "gap": "#eeeeee"}
FONT = "DejaVu Sans, Arial, sans-serif"


@dataclass(frozen=True)
class Point:
    """A value at a moment (aware) with its status code 0, 1 or 2."""

    at: datetime
    value: float
    status: int = 0


@dataclass(frozen=True)
class Band:
    """A marked period: ``kind`` is calibrating, error, excused or gap."""

    start: datetime
    end: datetime
    kind: str


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" font-family="{FONT}" font-size="11" fill="{INK}">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
    )
    return Markup(head + "".join(body) + "</svg>")


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = 11, fill: str = INK) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}">'
        f"{escape(text)}</text>"
    )


def _nice_range(low: float, high: float) -> tuple[float, float]:
    if low == high:
        pad = abs(low) * 0.1 or 1.0
        return low - pad, high + pad
    pad = (high - low) * 0.08
    return low - pad, high + pad


def line_chart(
    points: Sequence[Point],
    start: datetime,
    end: datetime,
    *,
    title: str,
    unit: str = "",
    bands: Sequence[Band] = (),
    limit: float | None = None,
    width: int = 720,
    height: int = 240,
    max_step: timedelta = timedelta(minutes=5),
) -> Markup:
    """Values over ``start``..``end``; the line breaks where readings are missing, bands shade periods."""
    left, right, top, bottom = 56, 12, 14, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    span = (end - start).total_seconds() or 1.0
    values = [p.value for p in points] + ([limit] if limit is not None else [])
    low, high = _nice_range(min(values), max(values)) if values else (0.0, 1.0)

    def x_of(moment: datetime) -> float:
        return left + plot_w * min(max((moment - start).total_seconds() / span, 0.0), 1.0)

    def y_of(value: float) -> float:
        return top + plot_h * (1 - (value - low) / (high - low))

    body = [f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#ffffff" stroke="{GRID}"/>']
    for band in bands:
        x1, x2 = x_of(band.start), x_of(band.end)
        body.append(
            f'<rect x="{x1:.1f}" y="{top}" width="{max(x2 - x1, 0.5):.1f}" height="{plot_h}" '
            f'fill="{BANDS.get(band.kind, BANDS["gap"])}"><title>{escape(band.kind)}</title></rect>'
        )
    for i in range(5):
        value = low + (high - low) * i / 4
        y = y_of(value)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 4, y + 4, format_number(value, 2), "end", 10, MUTED))
    ticks = 6
    for i in range(ticks + 1):
        moment = start + (end - start) * i / ticks
        anchor = "start" if i == 0 else "end" if i == ticks else "middle"
        body.append(_text(x_of(moment), height - 10, moment.strftime("%d/%m %H:%M"), anchor, 10, MUTED))
    if limit is not None:
        y = y_of(limit)
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{LIMIT}" '
            f'stroke-dasharray="6 4"/>'
        )
        body.append(
            _text(left + plot_w - 4, y - 4, f"{format_number(limit)} {unit}".strip(), "end", 10, LIMIT)
        )
    segment: list[str] = []
    previous: Point | None = None
    for point in sorted(points, key=lambda p: p.at):
        if previous is not None and point.at - previous.at > max_step and segment:
            body.append(_polyline(segment))
            segment = []
        segment.append(f"{x_of(point.at):.1f},{y_of(point.value):.1f}")
        previous = point
    if segment:
        body.append(_polyline(segment))
    if unit:
        body.append(_text(4, top + 8, unit, "start", 10, MUTED))
    desc = f"{len(points)} readings from {start:%d/%m/%Y %H:%M} to {end:%d/%m/%Y %H:%M}"
    return _svg(width, height, title, desc, body)


def _polyline(points: list[str]) -> str:
    if len(points) == 1:
        x, y = points[0].split(",")
        return f'<circle cx="{x}" cy="{y}" r="1.8" fill="{LINE}"/>'
    return f'<polyline points="{" ".join(points)}" fill="none" stroke="{LINE}" stroke-width="1.4"/>'


def rate_colour(numerator: int | None, denominator: int | None, target: float) -> str:
    """The cell colour of a daily rate: none, below target, at or above target."""
    if not denominator or numerator is None:
        return "#f0f2f3"
    rate = numerator / denominator
    if rate >= target:
        return "#9bd3a6"
    if rate >= target / 2:
        return "#ffd98a"
    return "#f4a3a0"


def month_calendar(
    year: int,
    month: int,
    days: dict[date, tuple[int, int]],
    *,
    title: str,
    target: float,
    weekday_names: Sequence[str] = ("T2", "T3", "T4", "T5", "T6", "T7", "CN"),
    cell: int = 44,
) -> Markup:
    """A month grid, Monday first; each day coloured by its (valid, expected) slot counts."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    width, height = cell * 7 + 2, cell * len(weeks) + 22
    body = [
        _text(i * cell + cell / 2 + 1, 14, name, "middle", 11, MUTED) for i, name in enumerate(weekday_names)
    ]
    for row, week in enumerate(weeks):
        for column, day in enumerate(week):
            if day.month != month:
                continue
            x, y = column * cell + 1, row * cell + 20
            valid, expected = days.get(day, (0, 0))
            shown = format_percent(valid, expected) if expected else "—"
            body.append(
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" rx="3" '
                f'fill="{rate_colour(valid, expected, target)}"><title>{day:%d/%m/%Y}: {escape(shown)}</title></rect>'
            )
            body.append(_text(x + 4, y + 12, str(day.day), "start", 10, MUTED))
            body.append(_text(x + cell / 2 - 1, y + cell - 10, shown, "middle", 9, INK))
    return _svg(width, height, title, f"{calendar.month_name[month]} {year}", body)


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    width: int = 720,
    bar_height: int = 18,
    value_format=format_number,
) -> Markup:
    """Horizontal bars with their labels and values (for summaries)."""
    label_w, gap = 220, 6
    height = len(labels) * (bar_height + gap) + gap
    top_value = max(values, default=0) or 1
    body = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = gap + i * (bar_height + gap)
        length = (width - label_w - 70) * value / top_value
        body.append(_text(label_w - 6, y + bar_height - 5, label, "end"))
        body.append(
            f'<rect x="{label_w}" y="{y}" width="{max(length, 0):.1f}" height="{bar_height}" fill="{LINE}"/>'
        )
        body.append(_text(label_w + length + 4, y + bar_height - 5, value_format(value)))
    return _svg(width, height, title, f"{len(labels)} bars", body)


def coloured_columns(
    values: Sequence[tuple[str, float | None, str]],
    *,
    title: str,
    width: int = 720,
    height: int = 200,
    top_value: float | None = None,
) -> Markup:
    """Vertical columns in order, each ``(label, value or None, fill colour)``; None leaves a gap.

    Every column carries its label and value as a ``<title>`` (the page shows the table too).
    """
    left, right, top, bottom = 40, 8, 10, 24
    plot_w, plot_h = width - left - right, height - top - bottom
    highest = top_value or max((v for _, v, _c in values if v is not None), default=0) or 1
    step = plot_w / max(len(values), 1)
    body = [f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#ffffff" stroke="{GRID}"/>']
    for i in range(5):
        value = highest * i / 4
        y = top + plot_h * (1 - i / 4)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 4, y + 4, format_number(value, 0), "end", 10, MUTED))
    for i, (label, value, colour) in enumerate(values):
        x = left + i * step
        if value is not None:
            h = plot_h * min(value / highest, 1.0)
            body.append(
                f'<rect x="{x + step * 0.1:.1f}" y="{top + plot_h - h:.1f}" width="{max(step * 0.8, 0.5):.1f}" '
                f'height="{h:.1f}" fill="{escape(colour)}" stroke="{MUTED}" stroke-width="0.3">'
                f"<title>{escape(label)}: {escape(format_number(value))}</title></rect>"
            )
    ticks = min(len(values), 6)
    for i in range(ticks):
        index = round(i * (len(values) - 1) / max(ticks - 1, 1))
        x = left + (index + 0.5) * step
        anchor = "start" if i == 0 else "end" if i == ticks - 1 else "middle"
        x = left if anchor == "start" else left + plot_w if anchor == "end" else x
        body.append(_text(x, height - 8, values[index][0], anchor, 10, MUTED))
    shown = sum(1 for _, v, _c in values if v is not None)
    return _svg(width, height, title, f"{shown} of {len(values)} columns with a value", body)
