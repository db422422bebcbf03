"""Jobs of the stations domain: recording each station's connection-status timeline."""

from __future__ import annotations

from datetime import datetime

from app.db import commit
from app.jobs.dispatch import job
from app.jobs.runner import JobContext
from app.stations.services import refresh_statuses


@job("stations.refresh_statuses", queue="default", max_attempts=1, timeout_seconds=300)
def refresh_statuses_job(ctx: JobContext, as_of: str | None = None) -> dict:
    """Record a timeline step for every station whose derived status changed (a repeat adds nothing)."""
    ctx.progress(0, 1, "deriving")
    outcome = refresh_statuses(datetime.fromisoformat(as_of) if as_of else None)
    ctx.progress(1, 1, "done")
    commit()
    return outcome
