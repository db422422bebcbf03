"""The escalation ladder's arithmetic on plain values: which step a case is at and what comes next.

Days are calendar days in Asia/Ho_Chi_Minh, counted from the issue date of the
case's latest issued step (workflow.md, "Cases and the escalation ladder").
Nothing here issues anything: a person drafts and signs the proposed step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Step:
    """One ladder step as the arithmetic needs it."""

    position: int
    answer_days: int | None
    wait_days: int | None


@dataclass(frozen=True)
class Proposal:
    """The step proposed for a case: its position, and from which day (None: nothing to propose)."""

    position: int | None
    due_on: date | None
    reason: str


def answer_due(issued_on: date, step: Step) -> date | None:
    """The day the answer to a step issued on ``issued_on`` is due (None: no answer asked)."""
    return issued_on + timedelta(days=step.answer_days) if step.answer_days else None


def next_step_due(issued_on: date, step: Step) -> date | None:
    """The first day the next step may be proposed (None: the step has no successor)."""
    return issued_on + timedelta(days=step.wait_days) if step.wait_days else None


def propose(steps: list[Step], current: int, issued_on: date | None, is_open: bool, today: date) -> Proposal:
    """The next step for an open case at position ``current`` (0: nothing issued yet) on ``today``."""
    by_position = {s.position: s for s in steps}
    if not is_open:
        return Proposal(None, None, "closed")
    later = sorted(p for p in by_position if p > current)
    if not later:
        return Proposal(None, None, "last_step")
    if current == 0 or issued_on is None:
        return Proposal(later[0], today, "first_step")
    due = next_step_due(issued_on, by_position[current]) if current in by_position else None
    if due is None:
        return Proposal(None, None, "last_step")
    if today < due:
        return Proposal(None, due, "waiting")
    return Proposal(later[0], due, "time_elapsed")
