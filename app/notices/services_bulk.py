"""The same step for many cases at once: pick the cases, draft them, approve many, issue by a job."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from app.cases.ladder import Proposal, Step, propose
from app.cases.ladder_services import as_steps, current_steps
from app.cases.models import Case
from app.extensions import db
from app.jobs.dispatch import defer_job
from app.jobs.models import JobRun
from app.notices import services
from app.notices.models import Notice

BULK_ISSUE_JOB = "notices.bulk_issue"


@dataclass(frozen=True)
class Candidate:
    """An open case whose proposed step is the one asked for."""

    case: Case
    proposal: Proposal
    has_draft: bool


def ladder() -> list[Step]:
    """The steps in force, as the ladder arithmetic takes them."""
    return as_steps(current_steps())


def candidates(position: int, kind: str | None = None, limit: int = 2000) -> list[Candidate]:
    """Open cases (of a breach kind, if given) whose proposed next step is ``position``."""
    query = sa.select(Case).where(Case.status == "open").order_by(Case.id).limit(limit)
    if kind:
        query = query.where(Case.kind == kind)
    steps, today = ladder(), services.today_local()
    cases = list(db.session.scalars(query))
    drafted = set(
        db.session.scalars(
            sa.select(Notice.case_id).where(
                Notice.case_id.in_([c.id for c in cases]),
                Notice.step_position == position,
                Notice.status.in_(services.OPEN_STATUSES),
            )
        )
    )
    found = []
    for case in cases:
        proposal = propose(steps, case.step, case.step_issued_on, True, today)
        if proposal.position == position:
            found.append(Candidate(case, proposal, case.id in drafted))
    return found


def draft_many(case_ids: list[int], position: int, user: Any) -> list[Notice]:
    """Draft the step for each of the cases still proposing it (in one transaction)."""
    wanted = {c.case.id: c.case for c in candidates(position) if c.case.id in set(case_ids)}
    return [services.draft_notice(wanted[case_id], position, user) for case_id in sorted(wanted)]


def _notices(ids: list[int], status: str) -> list[Notice]:
    if not ids:
        return []
    query = sa.select(Notice).where(Notice.id.in_(ids), Notice.status == status).order_by(Notice.id)
    return list(db.session.scalars(query))


def submit_many(ids: list[int]) -> int:
    """Submit the drafts among ``ids``; return how many."""
    found = _notices(ids, "draft")
    for notice in found:
        services.submit_notice(notice)
    return len(found)


def approve_many(ids: list[int], user: Any) -> int:
    """A leader approves the submitted notices among ``ids``; return how many."""
    found = _notices(ids, "submitted")
    for notice in found:
        services.approve_notice(notice, user)
    return len(found)


def request_bulk_issue(ids: list[int], user: Any, site_url: str) -> JobRun | None:
    """Defer the job issuing the approved notices among ``ids`` (None when there are none)."""
    found = [n.id for n in _notices(ids, "approved")]
    if not found:
        return None
    return defer_job(
        BULK_ISSUE_JOB, requested_by_id=getattr(user, "id", None), notice_ids=found, site_url=site_url
    )
