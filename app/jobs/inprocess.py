"""The embedded executor: one background thread per web process, no Redis needed.

It runs the runs committed by requests, and every ``JOBS_POLL_SECONDS`` it does
a scheduler tick (periodic jobs, runs left pending). CLI commands have no such
thread: their runs execute inline right after their commit.
"""

from __future__ import annotations

import logging
import queue
import threading

from flask import Flask

log = logging.getLogger(__name__)

_lock = threading.Lock()
_executors: dict[int, Executor] = {}


class Executor:
    """A daemon thread that runs job runs of one app, one at a time."""

    def __init__(self, app: Flask):
        self.app = app
        self.queue: queue.Queue[int] = queue.Queue()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="quantrac-jobs", daemon=True)

    def _loop(self) -> None:
        from app.jobs.runner import run_job

        poll = float(self.app.config["JOBS_POLL_SECONDS"])
        while not self.stopping.is_set():
            try:
                run_id = self.queue.get(timeout=poll)
            except queue.Empty:
                if not self.stopping.is_set():
                    self._tick()
                continue
            with self.app.app_context():
                try:
                    run_job(run_id)
                except Exception:  # keep serving; the run row holds the outcome
                    log.exception("in-process job run %s crashed", run_id)

    def _tick(self) -> None:
        from app.db import commit, rollback
        from app.jobs.services import tick

        with self.app.app_context():
            try:
                tick()
                commit()
            except Exception:
                rollback()
                log.exception("in-process scheduler tick failed")


def start(app: Flask) -> Executor:
    """Start (once) the executor thread of this app."""
    with _lock:
        executor = _executors.get(id(app))
        if executor is None:
            executor = _executors[id(app)] = Executor(app)
            executor.thread.start()
        return executor


def submit(app: Flask, run_ids: list[int]) -> bool:
    """Queue runs on this app's executor; False when no executor serves this process."""
    executor = _executors.get(id(app))
    if executor is None:
        return False
    for run_id in run_ids:
        executor.queue.put(run_id)
    return True


def stop(app: Flask, timeout: float = 10.0) -> None:
    """Stop this app's executor after the run in hand (tests, shutdown)."""
    with _lock:
        executor = _executors.pop(id(app), None)
    if executor is not None:
        executor.stopping.set()
        executor.thread.join(timeout)
