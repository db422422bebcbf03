"""The dashboard's figures from plain facility rows: counts, groups, months, the longest out of compliance.

Pure: no Flask, no database. A :class:`Row` is one facility in one month (a snapshot)
or now (live status); every count is the number of rows a named measure holds for,
and :func:`drill` returns exactly those rows, so every number on the dashboard has the
list of facilities behind it.

Measures (workflow.md, "Summaries for leadership"): under an obligation; of those,
installed, connected, receiving; meeting the completeness target with the raw and with
the excused effective rate (a facility's rate is its weakest serving station's; no
figure counts as not meeting); out of compliance (obliged and not installed, not
connected or below the target by the excused rate, the rate the compliance sweep
judges by).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Row:
    """One facility's state: in a month (snapshot) or now (live)."""

    facility_id: int
    code: str
    name: str
    commune: str | None
    industry: str | None
    is_obliged: bool
    is_installed: bool
    is_connected: bool
    is_receiving: bool
    raw_rate: float | None = None
    excused_rate: float | None = None
    exceedance_hours: int = 0
    district: str | None = None


def _meets(rate: float | None, target: float) -> bool:
    return rate is not None and rate >= target


def is_out_of_compliance(row: Row, target: float) -> bool:
    """Obliged and not installed, not connected, or below the target by the excused rate."""
    return row.is_obliged and not (row.is_installed and row.is_connected and _meets(row.excused_rate, target))


MEASURES: dict[str, Callable[[Row, float], bool]] = {
    "obliged": lambda r, t: r.is_obliged,
    "installed": lambda r, t: r.is_obliged and r.is_installed,
    "connected": lambda r, t: r.is_obliged and r.is_connected,
    "receiving": lambda r, t: r.is_obliged and r.is_receiving,
    "meets_raw": lambda r, t: r.is_obliged and _meets(r.raw_rate, t),
    "meets_excused": lambda r, t: r.is_obliged and _meets(r.excused_rate, t),
    "out_of_compliance": is_out_of_compliance,
}
# The measures of a closed month; "now" has no completeness of its own (the month is not over).
MONTH_MEASURES = ("obliged", "installed", "connected", "receiving", "meets_raw", "meets_excused")
NOW_MEASURES = ("obliged", "installed", "connected", "receiving")


def counts(rows: Iterable[Row], target: float, measures: Sequence[str] = MONTH_MEASURES) -> dict[str, int]:
    """How many rows each measure holds for."""
    found = dict.fromkeys(measures, 0)
    for row in rows:
        for name in measures:
            if MEASURES[name](row, target):
                found[name] += 1
    return found


def drill(rows: Iterable[Row], measure: str, target: float) -> list[Row]:
    """The rows behind a count, by facility code."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    test = MEASURES[measure]
    return sorted((r for r in rows if test(r, target)), key=lambda r: r.code)


GROUPS: dict[str, Callable[[Row], str | None]] = {
    "commune": lambda r: r.commune,
    "industry": lambda r: r.industry,
    "district": lambda r: r.district,
}


def in_group(row: Row, group: str, value: str) -> bool:
    """Whether a row belongs to a group's value ("" is the rows without one)."""
    return (GROUPS[group](row) or "") == value


def by_group(
    rows: Iterable[Row], group: str, target: float, measures: Sequence[str] = MONTH_MEASURES
) -> list[tuple[str, dict[str, int]]]:
    """The counts per commune, former district or industry (only facilities under an obligation), by name; "" last."""
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        if row.is_obliged:
            grouped[GROUPS[group](row) or ""].append(row)
    return [
        (name, counts(grouped[name], target, measures)) for name in sorted(grouped, key=lambda n: (not n, n))
    ]


def series(
    months: Sequence[date], rows_by_month: dict[date, list[Row]], target: float
) -> list[tuple[date, dict[str, int] | None]]:
    """The counts of each month; None for a month without snapshots (no figure, not zero)."""
    return [(m, counts(rows_by_month[m], target) if rows_by_month.get(m) else None) for m in months]


@dataclass(frozen=True)
class OutOfCompliance:
    """A facility out of compliance for the last ``months`` consecutive months, since ``since``."""

    row: Row
    months: int
    since: date


def longest_out(
    months: Sequence[date], rows_by_month: dict[date, list[Row]], target: float, limit: int = 20
) -> list[OutOfCompliance]:
    """The facilities out of compliance for the most consecutive months up to the last one, longest first."""
    if not months:
        return []
    ordered = sorted(months)
    by_month = {m: {r.facility_id: r for r in rows_by_month.get(m, [])} for m in ordered}
    found = []
    for facility_id, last_row in by_month[ordered[-1]].items():
        if not is_out_of_compliance(last_row, target):
            continue
        run, since = 0, ordered[-1]
        for month in reversed(ordered):
            row = by_month[month].get(facility_id)
            if row is None or not is_out_of_compliance(row, target):
                break
            run, since = run + 1, month
        found.append(OutOfCompliance(last_row, run, since))
    found.sort(key=lambda o: (-o.months, o.row.code))
    return found[:limit]


def last_months(last: date, count: int = 12) -> list[date]:
    """The first days of the ``count`` months ending with ``last``'s month, oldest first."""
    year, month = last.year, last.month
    found = []
    for _ in range(count):
        found.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return found[::-1]
