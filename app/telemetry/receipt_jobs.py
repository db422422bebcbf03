"""Periodic jobs of data receipt: the inbox scan and the relay to the Ministry (queue ``ingest``).

Both are declared in ``PERIODIC`` every 60 seconds; the scheduler inserts one
run per slot (``<job>@<slot>``), so two schedulers never start the same tick.
A run that finds an earlier run of the same job still running skips its slot
(a large backlog, a slow destination): the next slot catches up.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.db import commit, utcnow
from app.extensions import db
from app.jobs.dispatch import job, spec
from app.jobs.models import JobRun
from app.jobs.runner import JobContext
from app.telemetry import forward
from app.telemetry.inbox import survey_inbox
from app.telemetry.ingest import IngestReport, ingest_files

SCAN_JOB = "telemetry.scan_inbox"
FORWARD_JOB = "telemetry.forward_pending"


def another_run_active(ctx: JobContext, now: datetime) -> bool:
    """Whether another run of this job is running and not past its time limit."""
    limit = timedelta(seconds=spec(ctx.name).timeout_seconds)
    other = db.session.scalar(
        sa.select(JobRun.id).where(
            JobRun.name == ctx.name,
            JobRun.status == "running",
            JobRun.id != ctx.run_id,
            JobRun.started_at > now - limit,
        )
    )
    return other is not None


def scan_and_ingest(
    now: datetime,
    after_batch: Callable[[], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Scan the inbox and ingest each sender's batches, calling ``after_batch`` (a commit) after each."""
    scan = survey_inbox(now)
    total = IngestReport(details=None)
    for number, batch in enumerate(scan.batches, start=1):
        total += ingest_files(batch.files, batch.sender)
        if after_batch is not None:
            after_batch()
        if progress is not None:
            progress(number, len(scan.batches))
    return {
        **total.as_json(),
        "batches": len(scan.batches),
        "too_recent": scan.too_recent,
        "unclaimed": scan.unclaimed,
    }


@job(SCAN_JOB, queue="ingest", max_attempts=1, timeout_seconds=1800)
def scan_inbox_job(ctx: JobContext) -> dict:
    """Ingest the complete files of the inbox, committing per batch."""
    now = utcnow()
    if another_run_active(ctx, now):
        return {"skipped": "an earlier scan is still running"}
    return scan_and_ingest(now, after_batch=commit, progress=ctx.progress)


@job(FORWARD_JOB, queue="ingest", max_attempts=1, timeout_seconds=1800)
def forward_pending_job(ctx: JobContext) -> dict:
    """Relay the accepted files to the Ministry, committing per file."""
    now = utcnow()
    if another_run_active(ctx, now):
        return {"skipped": "an earlier forwarding run is still running"}
    return forward.forward_pending(now, after_each=commit)
