"""Notice effectiveness (workflow.md, end of "Inspections"): how fast cases clear after each ladder step.

Pure. For each ladder position: the issued notices of that step, the median of the
calendar days from a notice's issue date to its case clearing (its first ``closed``
event after the issue), and the share cleared within the step's answer days. A case
still open counts as not cleared: it enters the median as "not yet" (after every
cleared one), so the median is None when half or more have not cleared.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Issued:
    """One issued notice of a case: its step, issue date, the step's answer days and when the case cleared."""

    position: int
    issued_on: date
    answer_days: int | None
    cleared_on: date | None


@dataclass(frozen=True)
class StepFigures:
    """The effectiveness of one ladder step."""

    position: int
    notices: int
    cleared: int
    median_days: float | None
    cleared_within: int | None
    share_within: float | None

    def as_dict(self) -> dict:
        """The figures as plain JSON."""
        return {
            "position": self.position,
            "notices": self.notices,
            "cleared": self.cleared,
            "median_days": self.median_days,
            "cleared_within": self.cleared_within,
            "share_within": self.share_within,
        }


def median_days(days: list[int | None]) -> float | None:
    """The median of the days, a None ("not cleared") ranking after every number; None if it falls on one."""
    if not days:
        return None
    ordered = sorted(days, key=lambda d: (d is None, d or 0))
    middle = len(ordered) // 2
    picks = [ordered[middle]] if len(ordered) % 2 else [ordered[middle - 1], ordered[middle]]
    if any(p is None for p in picks):
        return None
    return sum(picks) / len(picks)


def _days(item: Issued) -> int | None:
    if item.cleared_on is None:
        return None
    return max(0, (item.cleared_on - item.issued_on).days)


def step_figures(position: int, items: list[Issued]) -> StepFigures:
    """The figures of one step from its issued notices."""
    days = [_days(i) for i in items]
    cleared = sum(1 for d in days if d is not None)
    with_days = [(i, d) for i, d in zip(items, days, strict=True) if i.answer_days]
    within = sum(1 for i, d in with_days if d is not None and d <= i.answer_days) if with_days else None
    share = within / len(with_days) if with_days else None
    return StepFigures(position, len(items), cleared, median_days(days), within, share)


def effectiveness(items: Iterable[Issued], positions: Iterable[int] = ()) -> list[StepFigures]:
    """The figures of every step (those in ``positions`` too when nothing was issued at them), by position."""
    grouped: dict[int, list[Issued]] = defaultdict(list)
    for position in positions:
        grouped[position]
    for item in items:
        grouped[item.position].append(item)
    return [step_figures(p, grouped[p]) for p in sorted(grouped)]
