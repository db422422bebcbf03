"""Jobs of the cases domain: the daily compliance sweep.

``cases.daily_sweep`` runs every few minutes (``app.jobs.schedule``): once the local
time of the setting ``threshold.daily_sweep_time`` has come, it defers today's
``cases.sweep`` under the key ``cases.sweep@<date>``, so the sweep runs once a day
whichever scheduler or tick asks first, and a changed setting takes effect the same day.
"""

from __future__ import annotations

from datetime import date, datetime, time

import sqlalchemy as sa

from app.cases.sweep_services import run_sweep
from app.db import commit, utcnow
from app.extensions import db
from app.jobs.dispatch import defer_job, job
from app.jobs.models import JobRun
from app.jobs.runner import JobContext
from app.settings.services import get as setting
from app.telemetry.slots import LOCAL_TZ


def sweep_key(day: date) -> str:
    """The dedupe key of the day's sweep run."""
    return f"cases.sweep@{day.isoformat()}"


def is_due(now: datetime, at: str) -> bool:
    """Whether the local time of ``now`` has reached the setting's ``hh:mm``."""
    hours, _, minutes = at.partition(":")
    return now.astimezone(LOCAL_TZ).time() >= time(int(hours), int(minutes))


@job("cases.sweep", queue="default", max_attempts=2, timeout_seconds=3600)
def sweep_job(ctx: JobContext, as_of: str | None = None) -> dict:
    """Check every facility and bring its cases in line, committing per chunk of facilities."""
    ctx.progress(0, None, "sweeping")

    def after_chunk(done: int, total: int) -> None:
        ctx.progress(done, total)
        commit()

    summary = run_sweep(date.fromisoformat(as_of) if as_of else None, after_chunk=after_chunk)
    commit()
    summary.pop("changes", None)
    return summary


@job("cases.daily_sweep", queue="default", max_attempts=1, timeout_seconds=120)
def daily_sweep_job(ctx: JobContext, now: str | None = None) -> dict:
    """Start today's sweep once the setting's local time has come, unless it was started already."""
    moment = datetime.fromisoformat(now) if now else utcnow()
    day = moment.astimezone(LOCAL_TZ).date()
    if not is_due(moment, str(setting("threshold.daily_sweep_time"))):
        return {"started": False, "reason": "not_yet"}
    key = sweep_key(day)
    if db.session.scalar(sa.select(JobRun.id).where(JobRun.dedupe_key == key)):
        return {"started": False, "reason": "already_started"}
    try:
        with db.session.begin_nested():
            run = defer_job("cases.sweep", dedupe_key=key, as_of=day.isoformat())
    except sa.exc.IntegrityError:
        return {"started": False, "reason": "already_started"}
    commit()
    return {"started": True, "run_id": run.id}
