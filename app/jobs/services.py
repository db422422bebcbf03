"""Use cases of the job machinery: the scheduler tick and the outbox sweep."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from app.db import utcnow
from app.extensions import db
from app.jobs.dispatch import PENDING_KEY, defer_job, rq_job_id, spec
from app.jobs.models import JobRun
from app.jobs.schedule import PERIODIC


def schedule_due(now: datetime | None = None) -> list[int]:
    """Insert one run for every periodic job whose current slot has none; return their ids."""
    now = now or utcnow()
    created: list[int] = []
    for periodic in PERIODIC:
        slot = periodic.slot(now)
        key = f"{periodic.job}@{slot.isoformat()}"
        exists = db.session.scalar(sa.select(JobRun.id).where(JobRun.dedupe_key == key))
        if exists:
            continue
        try:
            with db.session.begin_nested():
                run = defer_job(periodic.job, dedupe_key=key)
        except sa.exc.IntegrityError:
            continue  # another scheduler took this slot
        created.append(run.id)
    return created


def runs_to_enqueue(now: datetime | None = None) -> list[int]:
    """Collect runs the executor should take now: due pending ones, and stale queued or running ones.

    A pending run younger than ``JOBS_SWEEP_AFTER`` is still on its way from a
    commit; a queued one whose RQ job vanished (Redis restarted) and a running one
    past its time limit (worker died) are put back to pending and taken again.
    """
    now = now or utcnow()
    grace = current_app.config["JOBS_SWEEP_AFTER"]
    due = db.session.scalars(
        sa.select(JobRun).where(
            JobRun.status.in_(("pending", "queued", "running")),
            sa.or_(JobRun.run_after.is_(None), JobRun.run_after <= now),
        )
    ).all()
    ids = []
    for run in due:
        if run.status == "pending" and (run.run_after is not None or run.created_at <= now - grace):
            ids.append(run.id)
        elif run.status == "queued" and _lost_from_queue(run, now - grace):
            run.status = "pending"
            ids.append(run.id)
        elif run.status == "running" and _overdue(run, now):
            run.status = "pending"
            run.error = "the worker stopped before the run ended; taken again"
            ids.append(run.id)
    db.session.flush()
    db.session.info.setdefault(PENDING_KEY, []).extend(ids)
    return ids


def tick(now: datetime | None = None) -> tuple[list[int], list[int]]:
    """One scheduler pass: create due periodic runs and collect runs to enqueue again.

    The caller commits; the commit enqueues every run collected here.
    """
    return schedule_due(now), runs_to_enqueue(now)


def _overdue(run: JobRun, now: datetime) -> bool:
    limit = timedelta(seconds=spec(run.name).timeout_seconds + 60)
    return run.started_at is not None and run.started_at <= now - limit


def _lost_from_queue(run: JobRun, older_than: datetime) -> bool:
    if run.queued_at is None or run.queued_at > older_than:
        return False
    if current_app.config["JOBS_MODE"] != "rq":
        return True
    from redis.exceptions import RedisError
    from rq.job import Job

    from app.jobs.dispatch import redis_connection

    try:
        return not Job.exists(rq_job_id(run), connection=redis_connection())
    except RedisError:
        return False


def purge_finished_runs(older_than: timedelta = timedelta(days=90)) -> int:
    """Delete finished runs older than the retention; failed ones are kept for review."""
    cutoff = utcnow() - older_than
    result = db.session.execute(
        sa.delete(JobRun).where(JobRun.status == "finished", JobRun.finished_at < cutoff)
    )
    return result.rowcount or 0
