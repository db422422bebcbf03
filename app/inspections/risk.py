"""The risk score that ranks facilities for inspection: pure, transparent, every part shown.

Each part has a raw value (what the system found), the quantity it is scored on, a
weight (a setting, ``risk.<part>``) and its points = quantity x weight; the score is
the sum of the points. An inspector can defend a choice by reading the parts.

- ``open_cases``: open cases, each counting 1 + the ladder step it reached;
- ``effective_rate``: the lowest effective rate of last full month among the
  facility's stations (the rate the compliance sweep judges: excused where approved
  windows overlap the month), scored on the percentage points below 100%;
- ``lost_hours``: hours a station of the facility was ``lost`` last full month, from
  the stations' status timelines (several stations lost at once count each);
- ``exceedance_hours``: exceedance hours of the facility last full month;
- ``expired_certificates``: stations' certificates whose latest one of a kind has expired;
- ``days_since_inspection``: days since the last finalised inspection, ``NEVER_DAYS``
  when there was none (and at most that).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

PARTS = (
    "open_cases",
    "effective_rate",
    "lost_hours",
    "exceedance_hours",
    "expired_certificates",
    "days_since_inspection",
)
NEVER_DAYS = 730
LOST = "lost"


@dataclass(frozen=True)
class Inputs:
    """What the system found about one facility (None: nothing to judge)."""

    open_case_steps: Sequence[int] = ()
    lowest_effective_rate: float | None = None
    lost_hours: float = 0.0
    exceedance_hours: int | None = None
    expired_certificates: int = 0
    last_inspected_on: date | None = None


@dataclass(frozen=True)
class Part:
    """One part of the score: its raw value as shown, the quantity scored, the weight and the points."""

    name: str
    raw: Any
    quantity: float
    weight: float

    @property
    def points(self) -> float:
        """quantity x weight."""
        return self.quantity * self.weight


@dataclass(frozen=True)
class Score:
    """A facility's score and its parts, in the order of ``PARTS``."""

    facility_id: int
    parts: tuple[Part, ...] = field(default_factory=tuple)

    @property
    def total(self) -> float:
        """The sum of the parts' points."""
        return sum(part.points for part in self.parts)

    def part(self, name: str) -> Part:
        """The part of that name."""
        return next(p for p in self.parts if p.name == name)

    def as_dict(self) -> dict[str, Any]:
        """The score as kept with a scheduled inspection (JSON)."""
        return {
            "total": round(self.total, 2),
            "parts": [
                {"name": p.name, "raw": p.raw, "quantity": p.quantity, "weight": p.weight, "points": p.points}
                for p in self.parts
            ],
        }


def days_since(last: date | None, today: date) -> int:
    """Days since the last inspection, capped at ``NEVER_DAYS`` (which also stands for never)."""
    if last is None:
        return NEVER_DAYS
    return max(0, min(NEVER_DAYS, (today - last).days))


def score(facility_id: int, inputs: Inputs, weights: Mapping[str, float], today: date) -> Score:
    """The facility's score from what was found and the weights (``PARTS`` as keys)."""
    steps = list(inputs.open_case_steps)
    rate = inputs.lowest_effective_rate
    days = days_since(inputs.last_inspected_on, today)
    values = {
        "open_cases": (steps, float(sum(1 + max(0, s) for s in steps))),
        "effective_rate": (rate, 0.0 if rate is None else max(0.0, (1.0 - rate) * 100)),
        "lost_hours": (round(inputs.lost_hours, 1), inputs.lost_hours),
        "exceedance_hours": (inputs.exceedance_hours, float(inputs.exceedance_hours or 0)),
        "expired_certificates": (inputs.expired_certificates, float(inputs.expired_certificates)),
        "days_since_inspection": (
            None if inputs.last_inspected_on is None else inputs.last_inspected_on.isoformat(),
            float(days),
        ),
    }
    parts = tuple(Part(name, values[name][0], values[name][1], float(weights[name])) for name in PARTS)
    return Score(facility_id, parts)


def rank(scores: Iterable[Score]) -> list[Score]:
    """Highest score first; ties by facility id (stable from one day to the next)."""
    return sorted(scores, key=lambda s: (-s.total, s.facility_id))


def lost_hours(changes: Sequence[tuple[str, datetime]], start: datetime, end: datetime) -> float:
    """Hours within [start, end) a station's timeline says it was lost.

    ``changes`` are its recorded steps (status, since) in time order, including the
    last one before ``start`` (which gives the status the period starts in).
    """
    total = 0.0
    for index, (status, since) in enumerate(changes):
        if status != LOST:
            continue
        until = changes[index + 1][1] if index + 1 < len(changes) else end
        lo, hi = max(since, start), min(until, end)
        if hi > lo:
            total += (hi - lo).total_seconds() / 3600
    return total


def expired_count(certificates: Iterable[tuple[str, date | None, date | None]], today: date) -> int:
    """Expired certificates: of each kind, the latest (by issue date) whose expiry is before today.

    ``certificates`` are one station's (kind, issued_on, expires_on).
    """
    latest: dict[str, tuple[date | None, date | None]] = {}
    for kind, issued_on, expires_on in certificates:
        known = latest.get(kind)
        if known is None or (issued_on or date.min) >= (known[0] or date.min):
            latest[kind] = (issued_on, expires_on)
    return sum(1 for _issued, expires in latest.values() if expires is not None and expires < today)
