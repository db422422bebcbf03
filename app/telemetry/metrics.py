"""Completeness of received data: expected slots, rates and gaps, from day bitmaps.

The one implementation of the figures of the completeness contract, shown on pages, in
PDFs, exports, the API and the CLI. Pure: it takes the per-day rollup bitmaps (see
``slots``) of one station and returns plain data. A period of ``n`` days is handled as
one bitmap of ``288 * n`` slots, bit ``288 * k + i`` being slot ``i`` of the ``k``-th
day, so gaps run across midnight.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from math import lcm
from typing import Any

from app.telemetry.aliases import sort_parameters
from app.telemetry.slots import (
    SLOT,
    SLOTS_PER_DAY,
    Window,
    as_bitmap,
    day_start,
    days,
    period_window_bitmap,
)
from app.telemetry.status import ConnectionState, ConnectionStatus, connection_status

__all__ = [
    "GAP_OVER_1H_SLOTS",
    "ConnectionState",
    "ConnectionStatus",
    "Gap",
    "PeriodData",
    "StationData",
    "completeness",
    "connection_status",
    "find_gaps",
    "period_completeness",
    "period_data",
    "rate",
]

GAP_OVER_1H_SLOTS = 12
"""A station gap of this many slots or more counts in ``gaps_over_1h``."""

DayBitmaps = Mapping[date, int | bytes | bytearray | memoryview | None]


@dataclass(frozen=True, slots=True)
class StationData:
    """One station's rollups and settings, as the completeness figures need them.

    ``any_slots`` maps a local day to the bitmap of slots with any reading; ``received``
    and ``valid`` map a parameter code to such per-day bitmaps (valid: status ``00``).
    Days missing from a mapping have no reading. ``excused_windows`` are the approved
    windows as ``(start, end)`` moments.
    """

    station: str
    required_parameters: Sequence[str]
    any_slots: DayBitmaps
    received: Mapping[str, DayBitmaps]
    valid: Mapping[str, DayBitmaps]
    data_expected_from: datetime | None
    excused_windows: Sequence[Window] = field(default_factory=tuple)
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class PeriodData:
    """One station's rollups over a period of whole days, as period bitmaps.

    A period bitmap holds ``288 * n`` slots, bit ``288 * k + i`` being slot ``i`` of
    the period's ``k``-th day. ``received`` and ``valid`` map a parameter code to
    its period bitmap (parameters missing have no reading); the rest is as in
    ``StationData``.
    """

    station: str
    required_parameters: Sequence[str]
    any_slots: int
    received: Mapping[str, int]
    valid: Mapping[str, int]
    data_expected_from: datetime | None
    excused_windows: Sequence[Window] = field(default_factory=tuple)
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class Gap:
    """A maximal run of expected slots without a reading."""

    start: datetime
    end: datetime
    slots: int

    def as_dict(self) -> dict[str, Any]:
        """Return the gap as the contract's JSON object."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "slots": self.slots}


def rate(numerator: int, denominator: int) -> float | None:
    """Return numerator / denominator as a float, None when the denominator is 0."""
    if denominator == 0:
        return None
    return numerator / denominator


def _concat(per_day: DayBitmaps, period: Sequence[date]) -> int:
    """Return the period bitmap of per-day bitmaps (day k shifted by 288 * k)."""
    bitmap = 0
    for offset, day in enumerate(period):
        bitmap |= as_bitmap(per_day.get(day)) << (SLOTS_PER_DAY * offset)
    return bitmap


def _runs(missing: int) -> list[tuple[int, int]]:
    """Return the maximal runs of set bits of a bitmap as (first position, length), in order."""
    runs = []
    position = 0
    # Run by run on the number itself: a few operations per gap, none per slot.
    while missing > 0:
        skip = (missing & -missing).bit_length() - 1  # zeros before the next run
        missing >>= skip
        position += skip
        length = (missing ^ (missing + 1)).bit_length() - 1  # the run's ones
        runs.append((position, length))
        missing >>= length
        position += length
    return runs


def find_gaps(missing: int, first_day: date) -> list[Gap]:
    """Return the maximal runs of set bits of a period bitmap as gaps, ordered by start."""
    origin = day_start(first_day)
    return [
        Gap(start=origin + SLOT * position, end=origin + SLOT * (position + length), slots=length)
        for position, length in _runs(missing)
    ]


# The local time texts of slot boundaries, per first day of a period: the same boundaries
# recur in every station's gaps, and formatting a datetime costs more than the gap itself.
_BOUNDARY_TEXTS: dict[date, dict[int, str]] = {}
_BOUNDARY_DAYS_KEPT = 16


def _boundary_texts(first_day: date) -> dict[int, str]:
    """Return the kept texts of the slot boundaries of a period starting on ``first_day``."""
    texts = _BOUNDARY_TEXTS.get(first_day)
    if texts is None:
        if len(_BOUNDARY_TEXTS) >= _BOUNDARY_DAYS_KEPT:
            _BOUNDARY_TEXTS.clear()
        texts = _BOUNDARY_TEXTS[first_day] = {}
    return texts


def _gaps_json(runs: Sequence[tuple[int, int]], first_day: date) -> list[dict[str, Any]]:
    """Return runs of missing slots as the contract's gap objects (``Gap.as_dict``)."""
    if not runs:
        return []
    texts = _boundary_texts(first_day)
    origin = day_start(first_day)
    gaps = []
    for position, length in runs:
        stop = position + length
        start_text = texts.get(position) or texts.setdefault(position, (origin + SLOT * position).isoformat())
        end_text = texts.get(stop) or texts.setdefault(stop, (origin + SLOT * stop).isoformat())
        gaps.append({"start": start_text, "end": end_text, "slots": length})
    return gaps


def _parameter_figures(
    expected: int, expected_count: int, received: int, valid: int, first_day: date
) -> tuple[dict[str, Any], int, int]:
    received &= expected
    valid &= received
    received_count = received.bit_count()
    valid_count = valid.bit_count()
    figures = {
        "expected": expected_count,
        "received": received_count,
        "valid": valid_count,
        "transmission_rate": rate(received_count, expected_count),
        "validity_rate": None if expected_count == 0 else rate(valid_count, received_count),
        "effective_rate": rate(valid_count, expected_count),
        "gaps": _gaps_json(_runs(expected & ~received), first_day),
    }
    return figures, received_count, valid_count


def _mean_of_rates(pairs: Sequence[tuple[int, int]]) -> float | None:
    """Return the exact mean of the rates ``n / d`` with ``d > 0``, as a float; None when none.

    Computed on integers over a common denominator: the float is the correctly
    rounded value of the exact mean (as ``float(Fraction)`` gives it).
    """
    present = [(numerator, denominator) for numerator, denominator in pairs if denominator > 0]
    if not present:
        return None
    common = lcm(*(denominator for _numerator, denominator in present))
    total = sum(numerator * (common // denominator) for numerator, denominator in present)
    return total / (common * len(present))


def _required(data: StationData | PeriodData) -> list[str]:
    if data.kind is not None:
        return sort_parameters(data.kind, data.required_parameters)
    return list(dict.fromkeys(data.required_parameters))


def period_data(data: StationData, date_from: date, date_to: date) -> PeriodData:
    """Return a station's per-day rollups of whole days date_from..date_to as period bitmaps."""
    period = list(days(date_from, date_to))
    required = _required(data)
    return PeriodData(
        station=data.station,
        required_parameters=required,
        any_slots=_concat(data.any_slots, period),
        received={code: _concat(data.received[code], period) for code in required if code in data.received},
        valid={code: _concat(data.valid[code], period) for code in required if code in data.valid},
        data_expected_from=data.data_expected_from,
        excused_windows=data.excused_windows,
        kind=data.kind,
    )


def completeness(
    data: StationData,
    date_from: date,
    date_to: date,
    as_of: datetime | None,
    *,
    excused: bool = False,
) -> dict[str, Any]:
    """Return the completeness figures of a station for whole days date_from..date_to.

    The result is the JSON object of the ``telemetry completeness`` contract: raw
    figures, or with ``excused`` the figures with excused slots removed.
    """
    return period_completeness(
        period_data(data, date_from, date_to), date_from, date_to, as_of, excused=excused
    )


def period_completeness(
    data: PeriodData,
    date_from: date,
    date_to: date,
    as_of: datetime | None,
    *,
    excused: bool = False,
) -> dict[str, Any]:
    """Return the completeness figures of ``completeness`` from a station's period bitmaps."""
    day_count = max(0, (date_to - date_from).days + 1)
    start = data.data_expected_from
    expected = 0 if start is None else period_window_bitmap(date_from, day_count, start, as_of)
    if excused and expected:
        for window_start, window_end in data.excused_windows:
            expected &= ~period_window_bitmap(date_from, day_count, window_start, window_end)
    expected_count = expected.bit_count()
    any_slots = data.any_slots

    parameters: dict[str, dict[str, Any]] = {}
    counts: list[tuple[int, int]] = []  # (received, valid) slots of each required parameter
    for code in _required(data):
        valid = data.valid.get(code, 0)
        # A valid reading is a received reading, and any reading is a reading of the station.
        received = data.received.get(code, 0) | valid
        any_slots |= received
        figures, received_count, valid_count = _parameter_figures(
            expected, expected_count, received, valid, date_from
        )
        parameters[code] = figures
        counts.append((received_count, valid_count))

    any_slots &= expected
    data_count = any_slots.bit_count()
    gaps = _runs(expected & ~any_slots)
    has_means = expected_count > 0 and bool(parameters)
    # Means of the per-parameter rates, exact: transmission and effective share the denominator.
    whole = expected_count * len(counts)
    return {
        "station": data.station,
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "excused": excused,
        "expected_slots": expected_count,
        "data_slots": data_count,
        "connection_rate": rate(data_count, expected_count),
        "gaps_over_1h": sum(1 for _position, length in gaps if length >= GAP_OVER_1H_SLOTS),
        "longest_gap_slots": max((length for _position, length in gaps), default=0),
        "transmission_rate": sum(r for r, _v in counts) / whole if has_means else None,
        "validity_rate": _mean_of_rates([(v, r) for r, v in counts]) if has_means else None,
        "effective_rate": sum(v for _r, v in counts) / whole if has_means else None,
        "parameters": parameters,
        "gaps": _gaps_json(gaps, date_from),
    }
