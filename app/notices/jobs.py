"""Jobs of the notices domain: issuing many approved notices, and finishing reserved ones.

Both go through ``app.notices.issuing``: each notice's number is reserved and
committed, then its PDF rendered and its issue committed, so one failure does
not undo the rest and a register's counter is never locked during a render.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from app.auth.models import User
from app.db import commit, utcnow
from app.extensions import db
from app.jobs.dispatch import job
from app.notices import guard, issuing
from app.notices.services_bulk import BULK_ISSUE_JOB
from app.telemetry.receipt_jobs import another_run_active

FINISH_RESERVED_JOB = "notices.finish_reserved"
guard.install()


def issue_one(notice_id: int, user: User | None, site_url: str) -> str | None:
    """Issue one notice with its two commits; return None, or why it is not issued."""
    return issuing.issue(notice_id, user, site_url).error


@job(BULK_ISSUE_JOB, queue="notices", max_attempts=1, timeout_seconds=6 * 3600)
def bulk_issue_job(ctx: Any, notice_ids: list[int], site_url: str) -> dict[str, Any]:
    """Issue approved notices one by one (each its own transactions); list the failures."""
    from app.jobs.models import JobRun

    run = db.session.get(JobRun, ctx.run_id)
    user = db.session.get(User, run.requested_by_id) if run and run.requested_by_id else None
    issued, failed = [], []
    total = len(notice_ids)
    ctx.progress(0, total)
    for done, notice_id in enumerate(notice_ids, start=1):
        error = issue_one(notice_id, user, site_url)
        if error is None:
            issued.append(notice_id)
        else:
            failed.append({"notice_id": notice_id, "error": error})
        ctx.progress(done, total, f"{len(failed)} failed" if failed else None)
        commit()
    return {"issued": issued, "failed": failed}


@job(FINISH_RESERVED_JOB, queue="notices", max_attempts=1, timeout_seconds=3600)
def finish_reserved_job(ctx: Any) -> dict[str, Any]:
    """Finish the issue of notices left with a reserved number (older than the sweep's grace)."""
    now = utcnow()
    if another_run_active(ctx, now):
        return {"skipped": "an earlier run is still finishing"}
    return issuing.finish_reserved(now - current_app.config["JOBS_SWEEP_AFTER"])
