"""Jobs of the notices domain: issuing many approved notices, each committed on its own."""

from __future__ import annotations

import logging
from typing import Any

from app.auth.models import User
from app.db import commit, rollback
from app.errors import DomainError
from app.extensions import db
from app.jobs.dispatch import job
from app.notices import guard, services_issue
from app.notices.models import Notice
from app.notices.services_bulk import BULK_ISSUE_JOB

log = logging.getLogger(__name__)
guard.install()


def issue_one(notice_id: int, user: User | None, site_url: str) -> str | None:
    """Issue one notice and commit; return None, or why it was not issued (rolled back)."""
    try:
        notice = db.session.get(Notice, notice_id)
        if notice is None:
            return "not found"
        if notice.status == "issued":
            return None  # a repeated run: done before
        services_issue.issue_notice(notice, user, site_url)
        commit()
    except DomainError as error:
        rollback()
        return error.message
    except Exception as error:  # recorded in the job's result; the next notice goes on
        log.exception("bulk issue of notice %s failed", notice_id)
        rollback()
        return f"{error.__class__.__name__}: {error}"
    return None


@job(BULK_ISSUE_JOB, queue="notices", max_attempts=1, timeout_seconds=6 * 3600)
def bulk_issue_job(ctx: Any, notice_ids: list[int], site_url: str) -> dict[str, Any]:
    """Issue approved notices one by one (each its own transaction); list the failures."""
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
