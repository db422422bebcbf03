"""What one station sent: its month's figures, daily rates, gaps, value charts and faulty lines.

Every figure comes from ``figures`` (the day rollups) and so equals what the CLI, PDFs
and exports show. The rates are re-expressed here as exact fractions of the integer
counts, only so that percentages are rounded exactly (metrics.md, "Display"). Only the
value chart of one parameter over a day or a week reads raw readings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any

import sqlalchemy as sa
from markupsafe import Markup

from app.charts.svg import Band, Point, line_chart
from app.compliance.limits import UNITS
from app.extensions import db
from app.stations.models import ExcuseWindow, Station
from app.telemetry import figures, metrics
from app.telemetry.exceedances import UsedLimit, station_limits
from app.telemetry.models import DataFile, LineError, Reading, ReadingConflict
from app.telemetry.slots import SLOT, day_start, days, slot_floor, to_local

STATUS_BANDS = {1: "calibrating", 2: "error"}
SPANS = {"day": 1, "week": 7}


def month_bounds(text: str | None, today: date) -> tuple[date, date]:
    """The first and last day of ``YYYY-MM`` (the current month when blank); ValueError if malformed."""
    if not text:
        first = today.replace(day=1)
    else:
        first = datetime.strptime(text.strip(), "%Y-%m").date()
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following - timedelta(days=1)


def last_file(station: Station) -> DataFile | None:
    """The last file received for the station, whatever its outcome."""
    return db.session.scalar(
        sa.select(DataFile)
        .where(DataFile.station_id == station.id)
        .order_by(DataFile.received_at.desc(), DataFile.id.desc())
        .limit(1)
    )


def _fraction(numerator: int, denominator: int) -> Fraction | None:
    return None if denominator == 0 else Fraction(numerator, denominator)


def _mean(values: Iterable[Fraction | None]) -> Fraction | None:
    present = [value for value in values if value is not None]
    return sum(present, Fraction(0)) / len(present) if present else None


@dataclass(frozen=True)
class Rates:
    """One row of the figures table: the counts and their rates as exact fractions."""

    expected: int
    received: int | None
    valid: int | None
    data_slots: int | None
    transmission: Fraction | None
    validity: Fraction | None
    effective: Fraction | None
    connection: Fraction | None


def parameter_rates(item: dict[str, Any]) -> Rates:
    """A parameter's counts of the contract object, with its rates as fractions."""
    expected, received, valid = item["expected"], item["received"], item["valid"]
    validity = None if expected == 0 else _fraction(valid, received)
    return Rates(
        expected,
        received,
        valid,
        None,
        _fraction(received, expected),
        validity,
        _fraction(valid, expected),
        None,
    )


def station_rates(result: dict[str, Any]) -> Rates:
    """The station's row: its connection rate and the plain means of the parameters' rates."""
    expected = result["expected_slots"]
    rows = [parameter_rates(item) for item in result["parameters"].values()]
    has_means = expected > 0 and bool(rows)
    return Rates(
        expected,
        None,
        None,
        result["data_slots"],
        _mean(row.transmission for row in rows) if has_means else None,
        _mean(row.validity for row in rows) if has_means else None,
        _mean(row.effective for row in rows) if has_means else None,
        _fraction(result["data_slots"], expected),
    )


@dataclass(frozen=True)
class GapRow:
    """A gap of the list: local start and end, its length in slots, whether it lasts an hour or more."""

    start: datetime
    end: datetime
    slots: int

    @property
    def is_long(self) -> bool:
        """A gap of 12 slots (one hour) or more."""
        return self.slots >= metrics.GAP_OVER_1H_SLOTS

    @property
    def minutes(self) -> int:
        """Its length in minutes."""
        return self.slots * 5


def gap_rows(gaps: Sequence[dict[str, Any]]) -> list[GapRow]:
    """The contract's gap objects as rows with aware local moments."""
    return [
        GapRow(datetime.fromisoformat(gap["start"]), datetime.fromisoformat(gap["end"]), gap["slots"])
        for gap in gaps
    ]


@dataclass(frozen=True)
class MonthFigures:
    """A station's month: the contract figures raw and excused, side by side."""

    first: date
    last: date
    raw: dict[str, Any]
    excused: dict[str, Any]

    @property
    def parameters(self) -> list[str]:
        """The required parameters, in the figures' order."""
        return list(self.raw["parameters"])


def month_figures(station: Station, first: date, last: date, as_of: datetime) -> MonthFigures:
    """The station's figures for whole days first..last, raw and excused (figures.station_completeness)."""
    raw = figures.station_completeness(station, first, last, as_of, excused=False)
    excused = figures.station_completeness(station, first, last, as_of, excused=True)
    return MonthFigures(first, last, raw, excused)


def daily_effective(
    station: Station, first: date, last: date, as_of: datetime
) -> dict[bool, dict[date, tuple[int, int]]]:
    """Each day's effective rate, raw (False) and excused (True), as (valid, expected) counts.

    The station's effective rate is the mean over its n required parameters of
    valid(p) / expected, which is exactly sum(valid(p)) / (n x expected).
    """
    data = figures.station_data([station], first, last)[station.id]
    found: dict[bool, dict[date, tuple[int, int]]] = {False: {}, True: {}}
    for day in days(first, min(last, to_local(as_of).date())):
        for excused in (False, True):
            result = metrics.completeness(data, day, day, as_of, excused=excused)
            counts = [item["valid"] for item in result["parameters"].values()]
            found[excused][day] = (sum(counts), len(counts) * result["expected_slots"])
    return found


def status_bands(points: Sequence[Point]) -> list[Band]:
    """Calibrating (status 1) and error (status 2) periods: the slots of such readings, merged."""
    bands: list[Band] = []
    for point in sorted(points, key=lambda p: p.at):
        kind = STATUS_BANDS.get(point.status)
        if kind is None:
            continue
        start = slot_floor(point.at)
        end = start + SLOT
        if bands and bands[-1].kind == kind and bands[-1].end >= start:
            bands[-1] = Band(bands[-1].start, max(bands[-1].end, end), kind)
        else:
            bands.append(Band(start, end, kind))
    return bands


def chart_window(day: date, span: str) -> tuple[datetime, datetime]:
    """The local window of a chart: the day, or the week (Monday to Sunday) holding it."""
    if span == "week":
        monday = day - timedelta(days=day.weekday())
        return day_start(monday), day_start(monday + timedelta(days=7))
    return day_start(day), day_start(day + timedelta(days=1))


def chart_points(station: Station, parameter: str, start: datetime, end: datetime) -> list[Point]:
    """The raw readings of one parameter of one station in [start, end), as chart points."""
    rows = db.session.execute(
        sa.select(Reading.measured_at, Reading.value, Reading.status)
        .where(
            Reading.station_id == station.id,
            Reading.parameter == parameter,
            Reading.measured_at >= start,
            Reading.measured_at < end,
        )
        .order_by(Reading.measured_at)
    )
    return [Point(to_local(at), float(value), int(status)) for at, value, status in rows]


def excused_bands(station: Station, start: datetime, end: datetime) -> list[Band]:
    """The station's approved excuse windows overlapping [start, end), as bands."""
    rows = db.session.execute(
        sa.select(ExcuseWindow.starts_at, ExcuseWindow.ends_at, ExcuseWindow.expected_end_at).where(
            ExcuseWindow.station_id == station.id,
            ExcuseWindow.status == "approved",
            ExcuseWindow.starts_at < end,
            sa.func.coalesce(ExcuseWindow.ends_at, ExcuseWindow.expected_end_at) > start,
        )
    )
    return [
        Band(max(to_local(starts), start), min(to_local(ends or expected), end), "excused")
        for starts, ends, expected in rows
    ]


@dataclass(frozen=True)
class Chart:
    """A value chart of one parameter: its window, readings, marked periods, limit and SVG."""

    parameter: str
    span: str
    start: datetime
    end: datetime
    points: list[Point]
    bands: list[Band]
    limit: UsedLimit | None
    svg: Markup


def value_chart(station: Station, parameter: str, day: date, span: str, title: str) -> Chart:
    """Chart a parameter's raw readings over a day or a week, with status bands and its limit.

    The limit line is the upper bound (the lower one when there is no upper bound); the
    page states the whole range beside the chart.
    """
    start, end = chart_window(day, span)
    points = chart_points(station, parameter, start, end)
    bands = excused_bands(station, start, end) + status_bands(points)
    used = station_limits(station).get(parameter)
    line = None if used is None else (used.limit.high if used.limit.high is not None else used.limit.low)
    svg = line_chart(
        points,
        start,
        end,
        title=title,
        unit=UNITS.get(parameter, ""),
        bands=bands,
        limit=line,
        max_step=timedelta(minutes=9),
    )
    return Chart(parameter, span, start, end, points, bands, used, svg)


def line_errors_query(station: Station) -> sa.Select:
    """The station's line errors, latest first."""
    return sa.select(LineError).where(LineError.station_id == station.id).order_by(LineError.id.desc())


def conflicts_query(station: Station) -> sa.Select:
    """The station's conflicting readings, latest first."""
    return (
        sa.select(ReadingConflict)
        .where(ReadingConflict.station_id == station.id)
        .order_by(ReadingConflict.id.desc())
    )


def files_by_id(file_ids: Iterable[int]) -> dict[int, DataFile]:
    """The files of these ids (for the names shown beside line errors and conflicts)."""
    ids = sorted(set(file_ids))
    if not ids:
        return {}
    return {row.id: row for row in db.session.scalars(sa.select(DataFile).where(DataFile.id.in_(ids)))}
