"""Use cases of cases: listing and reading them with their proposed step, an inspector's close, assignment, notes.

The proposed next step comes from ``app.cases.ladder.propose`` over the current
ladder rows; the case's notices are read from ``app.notices.models`` (read-only
here). Every change an inspector makes is audited; notes and closes are also
events of the case's timeline.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.audit.actor import current_actor
from app.audit.services import record
from app.auth.models import User
from app.auth.roles import INSPECTOR
from app.cases import effectiveness as eff
from app.cases.ladder import Proposal, Step, answer_due, propose
from app.cases.ladder_services import as_steps, current_steps
from app.cases.models import BREACH_KINDS, Case, CaseEvent, LadderStep
from app.db import utcnow
from app.errors import DomainError
from app.extensions import db
from app.facilities.models import Facility
from app.formatting import local
from app.notices.models import Notice, NoticeAnswer, NoticeReceipt

FLAGS = ("proposed", "overdue")


@dataclass(frozen=True)
class Filters:
    """What the case list is filtered by."""

    kind: str | None = None
    status: str | None = "open"
    step: int | None = None
    commune: str | None = None
    flag: str | None = None


@dataclass(frozen=True)
class CaseRow:
    """A case with where it stands on the ladder today."""

    case: Case
    proposal: Proposal
    answer_due_on: date | None
    today: date

    @property
    def is_overdue(self) -> bool:
        """The answer to the latest issued step is past due and the case is still open."""
        return (
            self.case.status == "open" and self.answer_due_on is not None and self.answer_due_on < self.today
        )


def case_row(case: Case, steps: list[Step], today: date) -> CaseRow:
    """Where a case stands today: the proposed next step and when the current step's answer is due."""
    by_position = {s.position: s for s in steps}
    proposal = propose(steps, case.step, case.step_issued_on, case.status == "open", today)
    due = None
    if case.step and case.step_issued_on and case.step in by_position:
        due = answer_due(case.step_issued_on, by_position[case.step])
    return CaseRow(case, proposal, due, today)


def _query(filters: Filters) -> sa.Select:
    query = sa.select(Case).join(Facility, Case.facility_id == Facility.id)
    if filters.kind in BREACH_KINDS:
        query = query.where(Case.kind == filters.kind)
    if filters.status in ("open", "closed"):
        query = query.where(Case.status == filters.status)
    if filters.step is not None:
        query = query.where(Case.step == filters.step)
    if filters.commune:
        query = query.where(Facility.commune == filters.commune)
    options = (selectinload(Case.facility).selectinload(Facility.enterprise), selectinload(Case.inspector))
    return query.options(*options).order_by(Case.opened_at.desc(), Case.id.desc())


def list_cases(filters: Filters, today: date) -> list[CaseRow]:
    """The cases matching the filters, each with its proposal (flags filter on it)."""
    steps = as_steps(current_steps())
    rows = [case_row(case, steps, today) for case in db.session.scalars(_query(filters))]
    if filters.flag == "proposed":
        rows = [r for r in rows if r.proposal.position is not None]
    elif filters.flag == "overdue":
        rows = [r for r in rows if r.is_overdue]
    return rows


def communes() -> list[str]:
    """The communes of facilities that have a case."""
    query = sa.select(Facility.commune).join(Case, Case.facility_id == Facility.id).distinct()
    return sorted(c for c in db.session.scalars(query) if c)


def counts_by_step() -> dict[int, int]:
    """Open cases by ladder step (0: nothing issued yet)."""
    query = sa.select(Case.step, sa.func.count()).where(Case.status == "open").group_by(Case.step)
    return dict(db.session.execute(query).all())


def case_notices(case: Case) -> list[dict]:
    """The case's notices (read-only) with their answer count and receipts, oldest first."""
    notices = list(db.session.scalars(sa.select(Notice).where(Notice.case_id == case.id).order_by(Notice.id)))
    ids = [n.id for n in notices]
    answers = Counter()
    receipts: dict[int, list[NoticeReceipt]] = {}
    if ids:
        answers.update(
            dict(
                db.session.execute(
                    sa.select(NoticeAnswer.notice_id, sa.func.count())
                    .where(NoticeAnswer.notice_id.in_(ids))
                    .group_by(NoticeAnswer.notice_id)
                ).all()
            )
        )
        query = sa.select(NoticeReceipt).where(NoticeReceipt.notice_id.in_(ids)).order_by(NoticeReceipt.at)
        for receipt in db.session.scalars(query):
            receipts.setdefault(receipt.notice_id, []).append(receipt)
    return [
        {"notice": n, "answers": answers.get(n.id, 0), "receipts": receipts.get(n.id, [])} for n in notices
    ]


def events(case: Case) -> list[CaseEvent]:
    """The case's timeline, newest first."""
    query = sa.select(CaseEvent).where(CaseEvent.case_id == case.id).options(selectinload(CaseEvent.by))
    return list(db.session.scalars(query.order_by(CaseEvent.id.desc())))


def _reason(text: str | None, field: str = "reason") -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(_("A reason is required."), field=field)
    return text


def close_case(case: Case, reason: str) -> None:
    """An inspector closes an open case with a reason (audited, an event of the case)."""
    reason = _reason(reason)
    if case.status != "open":
        raise DomainError(_("This case is already closed."), field="reason")
    actor = current_actor()
    case.status, case.closed_at, case.closed_by_id, case.close_reason = (
        "closed",
        utcnow(),
        actor.user_id,
        reason,
    )
    db.session.add(
        CaseEvent(case=case, kind="closed", evidence=case.evidence, text=reason, by_id=actor.user_id)
    )
    db.session.flush()
    record("case.closed", case, changes={"status": ["open", "closed"]}, reason=reason)


def inspectors() -> list[User]:
    """Active inspectors, by name, for assignment."""
    query = sa.select(User).where(User.role == INSPECTOR, User.is_active_account.is_(True))
    return sorted(db.session.scalars(query), key=lambda u: (u.display_name or u.email).casefold())


def assign_inspector(case: Case, user_id: int | None) -> None:
    """Assign the inspector following the case (None: nobody); audited."""
    user = db.session.get(User, user_id) if user_id else None
    if user_id and (user is None or user.role != INSPECTOR or not user.is_active_account):
        raise DomainError(_("Choose an active inspector."), field="inspector_id")
    if case.inspector_id == (user.id if user else None):
        return
    old = case.inspector.email if case.inspector else None
    case.inspector_id = user.id if user else None
    db.session.flush()
    record("case.assigned", case, changes={"inspector": [old, user.email if user else None]})


def add_note(case: Case, text: str) -> CaseEvent:
    """Add a note to the case's timeline (audited)."""
    text = (text or "").strip()
    if not text:
        raise DomainError(_("The note is empty."), field="text")
    event = CaseEvent(case=case, kind="note", evidence={}, text=text, by_id=current_actor().user_id)
    db.session.add(event)
    db.session.flush()
    record("case.note", case, changes={"note": [None, text]})
    return event


def _first_closed_after(closings: list, notice: Notice) -> date | None:
    for at in closings:
        if (notice.issued_at and at >= notice.issued_at) or (
            not notice.issued_at and local(at).date() >= notice.issued_on
        ):
            return local(at).date()
    return None


def notice_effectiveness() -> list[eff.StepFigures]:
    """For each ladder step: median days from issue to the case clearing, share cleared within the answer days."""
    current = {s.position: s for s in current_steps()}
    query = (
        sa.select(Notice, LadderStep.answer_days)
        .outerjoin(LadderStep, Notice.ladder_step_id == LadderStep.id)
        .where(Notice.status == "issued", Notice.case_id.is_not(None), Notice.step_position > 0)
    )
    found = db.session.execute(query).all()
    ids = sorted({n.case_id for n, _ in found})
    closings: dict[int, list] = {}
    if ids:
        rows = db.session.execute(
            sa.select(CaseEvent.case_id, CaseEvent.at)
            .where(CaseEvent.case_id.in_(ids), CaseEvent.kind == "closed")
            .order_by(CaseEvent.at)
        )
        for case_id, at in rows:
            closings.setdefault(case_id, []).append(at)
    items = []
    for notice, answer_days in found:
        step = current.get(notice.step_position)
        days = answer_days if notice.ladder_step_id else (step.answer_days if step else None)
        cleared = _first_closed_after(closings.get(notice.case_id, []), notice)
        items.append(eff.Issued(notice.step_position, notice.issued_on, days, cleared))
    return eff.effectiveness(items, current)
