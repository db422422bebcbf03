"""Completeness of received data: expected slots, rates and gaps, from day bitmaps.

The one implementation of the figures of the completeness contract, shown on pages, in
PDFs, exports, the API and the CLI. Pure: it takes the per-day rollup bitmaps (see
``slots``) of one station and returns plain data. A period of ``n`` days is handled as
one bitmap of ``288 * n`` slots, bit ``288 * k + i`` being slot ``i`` of the ``k``-th
day, so gaps run across midnight.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from app.telemetry.aliases import sort_parameters
from app.telemetry.slots import (
    SLOT,
    SLOTS_PER_DAY,
    Window,
    as_bitmap,
    day_start,
    days,
    excused_bitmap,
    expected_bitmap,
)
from app.telemetry.status import ConnectionState, ConnectionStatus, connection_status

__all__ = [
    "GAP_OVER_1H_SLOTS",
    "ConnectionState",
    "ConnectionStatus",
    "Gap",
    "StationData",
    "completeness",
    "connection_status",
    "find_gaps",
    "rate",
]

GAP_OVER_1H_SLOTS = 12
"""A station gap of this many slots or more counts in ``gaps_over_1h``."""

DayBitmaps = Mapping[date, int | bytes | bytearray | memoryview | None]

_RUN_RE = re.compile("1+")


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


def _mean(values: Iterable[Fraction | None]) -> float | None:
    """Return the exact mean of the non-null values as a float; None when there are none."""
    present = [value for value in values if value is not None]
    if not present:
        return None
    return float(sum(present, Fraction(0)) / len(present))


def _fraction(numerator: int, denominator: int) -> Fraction | None:
    return None if denominator == 0 else Fraction(numerator, denominator)


def _concat(per_day: DayBitmaps, period: Sequence[date]) -> int:
    """Return the period bitmap of per-day bitmaps (day k shifted by 288 * k)."""
    bitmap = 0
    for offset, day in enumerate(period):
        bitmap |= as_bitmap(per_day.get(day)) << (SLOTS_PER_DAY * offset)
    return bitmap


def _period_bitmap(period: Sequence[date], day_bitmap: Callable[[date], int]) -> int:
    bitmap = 0
    for offset, day in enumerate(period):
        bitmap |= day_bitmap(day) << (SLOTS_PER_DAY * offset)
    return bitmap


def find_gaps(missing: int, first_day: date) -> list[Gap]:
    """Return the maximal runs of set bits of a period bitmap as gaps, ordered by start."""
    if missing <= 0:
        return []
    origin = day_start(first_day)
    bits = format(missing, "b")[::-1]
    gaps = []
    for run in _RUN_RE.finditer(bits):
        start = origin + SLOT * run.start()
        gaps.append(Gap(start=start, end=origin + SLOT * run.end(), slots=run.end() - run.start()))
    return gaps


def _gaps_json(gaps: Sequence[Gap]) -> list[dict[str, Any]]:
    return [gap.as_dict() for gap in gaps]


def _parameter_figures(
    expected: int, expected_count: int, received: int, valid: int, first_day: date
) -> tuple[dict[str, Any], Fraction | None, Fraction | None, Fraction | None]:
    received &= expected
    valid &= received
    received_count = received.bit_count()
    valid_count = valid.bit_count()
    transmission = _fraction(received_count, expected_count)
    effective = _fraction(valid_count, expected_count)
    validity = None if expected_count == 0 else _fraction(valid_count, received_count)
    figures = {
        "expected": expected_count,
        "received": received_count,
        "valid": valid_count,
        "transmission_rate": None if transmission is None else float(transmission),
        "validity_rate": None if validity is None else float(validity),
        "effective_rate": None if effective is None else float(effective),
        "gaps": _gaps_json(find_gaps(expected & ~received, first_day)),
    }
    return figures, transmission, validity, effective


def _required(data: StationData) -> list[str]:
    if data.kind is not None:
        return sort_parameters(data.kind, data.required_parameters)
    return list(dict.fromkeys(data.required_parameters))


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
    period = list(days(date_from, date_to))
    start = data.data_expected_from
    expected = _period_bitmap(period, lambda day: expected_bitmap(day, start, as_of))
    if excused:
        windows = list(data.excused_windows)
        expected &= ~_period_bitmap(period, lambda day: excused_bitmap(day, windows))
    expected_count = expected.bit_count()
    any_slots = _concat(data.any_slots, period)

    parameters: dict[str, dict[str, Any]] = {}
    transmissions, validities, effectives = [], [], []
    for code in _required(data):
        valid = _concat(data.valid.get(code, {}), period)
        # A valid reading is a received reading, and any reading is a reading of the station.
        received = _concat(data.received.get(code, {}), period) | valid
        any_slots |= received
        figures, transmission, validity, effective = _parameter_figures(
            expected, expected_count, received, valid, date_from
        )
        parameters[code] = figures
        transmissions.append(transmission)
        validities.append(validity)
        effectives.append(effective)

    any_slots &= expected
    data_count = any_slots.bit_count()
    gaps = find_gaps(expected & ~any_slots, date_from)
    has_means = expected_count > 0 and bool(parameters)
    return {
        "station": data.station,
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "excused": excused,
        "expected_slots": expected_count,
        "data_slots": data_count,
        "connection_rate": rate(data_count, expected_count),
        "gaps_over_1h": sum(1 for gap in gaps if gap.slots >= GAP_OVER_1H_SLOTS),
        "longest_gap_slots": max((gap.slots for gap in gaps), default=0),
        "transmission_rate": _mean(transmissions) if has_means else None,
        "validity_rate": _mean(validities) if has_means else None,
        "effective_rate": _mean(effectives) if has_means else None,
        "parameters": parameters,
        "gaps": _gaps_json(gaps),
    }
