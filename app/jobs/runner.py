"""Run one job-run row: re-check its state, call the job, record the outcome.

This is the entry point RQ calls (``app.jobs.runner.run_job``) and the one the
in-process executor calls. A run that already finished is not run again, so a
run enqueued twice does its work once.
"""

from __future__ import annotations

import logging
import traceback
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from app.audit.actor import acting_as
from app.db import commit, rollback, utcnow
from app.extensions import db
from app.jobs.dispatch import spec
from app.jobs.models import JobRun

log = logging.getLogger(__name__)

RETRY_DELAYS = (timedelta(seconds=30), timedelta(minutes=5), timedelta(minutes=30))


class JobContext:
    """What a running job may use: its run id, arguments and a progress reporter."""

    def __init__(self, run_id: int, name: str):
        self.run_id = run_id
        self.name = name

    def progress(self, done: int, total: int | None = None, message: str | None = None) -> None:
        """Write progress through its own short session, so the UI sees it at once.

        SQLite has one writer at a time: a second connection would wait for the
        job's own transaction (or break its snapshot), so there progress rides in
        the job's transaction and shows at the job's commits (per item in bulk jobs).
        """
        values: dict[str, Any] = {"progress_done": done}
        if total is not None:
            values["progress_total"] = total
        if message is not None:
            values["progress_message"] = message[:300]
        statement = sa.update(JobRun).where(JobRun.id == self.run_id).values(**values)
        bind = db.session.get_bind()
        if bind.dialect.name == "sqlite":
            db.session.execute(statement)
            return
        with Session(bind=bind, join_transaction_mode="create_savepoint") as session:
            session.execute(statement)
            session.commit()


def run_job(run_id: int) -> str:
    """Execute a job run by id and return its final status."""
    if not has_app_context():
        from app.jobs.worker import worker_app

        with worker_app().app_context():
            return _run(run_id)
    return _run(run_id)


def _run(run_id: int) -> str:
    run = db.session.get(JobRun, run_id, with_for_update=_lock_rows())
    if run is None:
        log.warning("job run %s does not exist", run_id)
        return "missing"
    if run.status not in ("pending", "queued") or (run.run_after and run.run_after > utcnow()):
        status = run.status
        db.session.rollback()
        return status
    declared = spec(run.name)
    run.status = "running"
    run.started_at = utcnow()
    run.attempts += 1
    run.error = None
    name, args = run.name, dict(run.args or {})
    commit()

    ctx = JobContext(run_id, name)
    try:
        with acting_as(f"job:{name}", run.requested_by_id):
            result = declared.func(ctx, **args)

        commit()
    except Exception as exc:  # the outcome is recorded, the worker goes on
        # Also drops what the failed job deferred or meant to do after its commit.
        rollback()
        return _record_failure(run_id, exc)
    run = db.session.get(JobRun, run_id)
    run.status = "finished"
    run.finished_at = utcnow()
    run.result = result if isinstance(result, dict) else None
    if run.progress_total:
        run.progress_done = run.progress_total
    commit()
    return "finished"


def _record_failure(run_id: int, exc: Exception) -> str:
    log.exception("job run %s failed", run_id)
    run = db.session.get(JobRun, run_id)
    run.error = "".join(traceback.format_exception(exc))[-4000:]
    if run.attempts < run.max_attempts:
        delay = RETRY_DELAYS[min(run.attempts, len(RETRY_DELAYS)) - 1]
        run.status = "pending"
        run.run_after = utcnow() + delay
    else:
        run.status = "failed"
        run.finished_at = utcnow()
    commit()
    return run.status


def _lock_rows() -> bool:
    return current_app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
