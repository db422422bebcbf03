"""The one dispatch module: declare jobs, defer them, enqueue them after commit.

A service calls ``defer_job``: that writes a ``JobRun`` row in the current
transaction (the outbox) and remembers its id on the session. The boundary's
``app.db.commit()`` commits, then calls ``enqueue_after_commit``. If Redis is
down the row simply stays pending and the sweeper enqueues it later.

Modes (config ``JOBS_MODE``): ``rq`` puts runs on Redis queues for
``flask worker``; ``thread`` hands them to the in-process worker thread (or
runs them inline when no thread serves this process, as in a CLI command);
``sync`` runs them inline right after commit (tests).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app

from app.db import commit, utcnow
from app.extensions import db
from app.jobs.models import JobRun

log = logging.getLogger(__name__)

PENDING_KEY = "quantrac_pending_job_runs"
QUEUES = ("ingest", "notices", "reports", "default")


@dataclass(frozen=True)
class JobSpec:
    """A declared job: its function, queue, attempts and time limit."""

    name: str
    func: Callable[..., Any]
    queue: str
    max_attempts: int
    timeout_seconds: int


JOBS: dict[str, JobSpec] = {}


def job(name: str, queue: str = "default", max_attempts: int = 3, timeout_seconds: int = 1800):
    """Declare a job entry point ``func(ctx, **kwargs)`` under a stable name."""
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}")

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        if name in JOBS and JOBS[name].func is not func:
            raise ValueError(f"job {name!r} declared twice")
        JOBS[name] = JobSpec(name, func, queue, max_attempts, timeout_seconds)
        return func

    return register


def spec(name: str) -> JobSpec:
    """The declared job of that name."""
    try:
        return JOBS[name]
    except KeyError:
        raise LookupError(f"unknown job {name!r}") from None


def defer_job(
    name: str,
    *,
    run_after: datetime | None = None,
    dedupe_key: str | None = None,
    requested_by_id: int | None = None,
    once_per_transaction: bool = False,
    **kwargs: Any,
) -> JobRun:
    """Record a run of a job in the current transaction; it is enqueued after commit.

    ``once_per_transaction``: a run of the same job and arguments already deferred in
    this transaction is returned instead (for jobs that read the state as a whole).
    """
    declared = spec(name)
    if once_per_transaction:
        for run_id in db.session.info.get(PENDING_KEY, []):
            run = db.session.get(JobRun, run_id)
            if run is not None and run.name == name and run.args == kwargs:
                return run
    run = JobRun(
        name=name,
        queue=declared.queue,
        args=kwargs,
        status="pending",
        max_attempts=declared.max_attempts,
        run_after=run_after,
        dedupe_key=dedupe_key,
        requested_by_id=requested_by_id,
        created_at=utcnow(),
    )
    db.session.add(run)
    db.session.flush()
    if run_after is None:
        db.session.info.setdefault(PENDING_KEY, []).append(run.id)
    return run


def enqueue_after_commit(run_ids: list[int]) -> None:
    """Hand committed runs to the configured executor; never raises for Redis trouble."""
    mode = current_app.config["JOBS_MODE"]
    if mode == "rq":
        for run_id in run_ids:
            enqueue_rq(run_id)
        return
    if mode == "thread":
        from app.jobs import inprocess

        if inprocess.submit(current_app._get_current_object(), run_ids):
            return
    from app.jobs.runner import run_job

    for run_id in run_ids:
        run_job(run_id)


def queue_name(queue: str) -> str:
    """The Redis queue name of a concern, under the configured prefix."""
    return f"{current_app.config['QUEUE_PREFIX']}-{queue}"


def redis_connection():
    """A Redis client for the configured URL (created on demand, never at import)."""
    from redis import Redis

    return Redis.from_url(current_app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=5)


def rq_job_id(run: JobRun) -> str:
    """The RQ job id of a run's current attempt."""
    return f"{current_app.config['QUEUE_PREFIX']}-run-{run.id}-{run.attempts}"


def enqueue_rq(run_id: int) -> bool:
    """Put one pending run on its Redis queue and mark it queued; False if Redis failed."""
    from redis.exceptions import RedisError
    from rq import Queue

    run = db.session.get(JobRun, run_id)
    if run is None or run.status not in ("pending", "queued"):
        return False
    declared = spec(run.name)
    try:
        Queue(queue_name(run.queue), connection=redis_connection()).enqueue_call(
            "app.jobs.runner.run_job",
            args=(run.id,),
            job_id=rq_job_id(run),
            timeout=declared.timeout_seconds,
            result_ttl=3600,
            failure_ttl=7 * 86400,
        )
    except RedisError as exc:
        log.warning("job run %s left pending, Redis refused it: %s", run_id, exc)
        db.session.rollback()
        return False
    db.session.execute(
        sa.update(JobRun)
        .where(JobRun.id == run_id, JobRun.status == "pending")
        .values(status="queued", queued_at=utcnow())
    )
    commit()
    return True
