"""The Redis worker: RQ's worker on the concern queues, with the periodic scheduler.

``flask worker`` serves every queue (or those named) and, unless told not to,
runs the scheduler loop in a thread beside it: each pass creates the due
periodic runs and enqueues runs left pending. Several workers may run it:
the ``<job>@<slot>`` key lets only one create each tick.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask, current_app

from app.process import settle_process

log = logging.getLogger(__name__)

_app: Flask | None = None


def worker_app() -> Flask:
    """The app a worker process runs jobs in (created once per process)."""
    global _app
    if _app is None:
        from app import create_app

        _app = create_app()
    return _app


def scheduler_loop(app: Flask, stop: threading.Event) -> None:
    """Tick every ``JOBS_POLL_SECONDS`` until ``stop`` is set."""
    from app.db import commit, rollback
    from app.jobs.services import tick

    while not stop.is_set():
        with app.app_context():
            try:
                tick()
                commit()
            except Exception:
                rollback()
                log.exception("scheduler tick failed")
        stop.wait(float(app.config["JOBS_POLL_SECONDS"]))


def run_worker(queues: list[str], burst: bool, with_scheduler: bool) -> bool:
    """Serve the queues with RQ until stopped (or until empty with ``burst``)."""
    from rq import SimpleWorker

    from app.jobs.dispatch import queue_name, redis_connection

    global _app
    app = current_app._get_current_object()
    _app = app
    stop = threading.Event()
    if with_scheduler:
        thread = threading.Thread(
            target=scheduler_loop, args=(app, stop), name="quantrac-scheduler", daemon=True
        )
        thread.start()
    names = [queue_name(q) for q in queues]
    settle_process()
    worker = SimpleWorker(names, connection=redis_connection())
    try:
        return worker.work(burst=burst, with_scheduler=False)
    finally:
        stop.set()
