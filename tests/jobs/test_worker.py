"""Jobs through a real RQ worker on a real Redis, Redis outages, and the in-process thread."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import ROOT, create_app
from app.auth.models import LoginAttempt
from app.db import commit, utcnow
from app.extensions import db
from app.jobs.dispatch import defer_job
from app.jobs.models import JobRun
from tests.conftest import app_config

pytestmark = pytest.mark.own_database


def make_app(url: str, tmp_path, **extra):
    application = create_app(app_config(url, str(tmp_path), **extra))
    with application.app_context():
        upgrade()
        db.session.remove()
    return application


def dispose(application):
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def old_attempt() -> LoginAttempt:
    attempt = LoginAttempt(email="old@example.vn", address="127.0.0.1", at=utcnow() - timedelta(days=200))
    db.session.add(attempt)
    return attempt


def clean_redis(url: str, prefix: str) -> None:
    from redis import Redis

    client = Redis.from_url(url)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)
    client.close()


def test_real_rq_worker_runs_a_committed_job(own_database, redis_url, tmp_path):
    prefix = f"qt-test-{uuid.uuid4().hex[:8]}"
    application = make_app(own_database, tmp_path, JOBS_MODE="rq", REDIS_URL=redis_url, QUEUE_PREFIX=prefix)
    try:
        with application.app_context():
            old_attempt()
            run = defer_job("auth.purge_login_attempts")
            commit()
            run_id = run.id
            assert db.session.get(JobRun, run_id).status == "queued"
        env = {
            **os.environ,
            "DATABASE_URL": own_database,
            "REDIS_URL": redis_url,
            "QUEUE_PREFIX": prefix,
            "QUANTRAC_INSTANCE_PATH": str(tmp_path),
        }
        result = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "app", "worker", "--burst", "--no-scheduler"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        with application.app_context():
            run = db.session.get(JobRun, run_id)
            assert run.status == "finished", run.error
            assert run.result == {"deleted": 1}
            assert db.session.scalar(sa.select(sa.func.count(LoginAttempt.id))) == 0
    finally:
        clean_redis(redis_url, prefix)
        dispose(application)


def test_redis_down_keeps_the_run_and_the_sweeper_enqueues_it_later(own_database, redis_url, tmp_path):
    prefix = f"qt-test-{uuid.uuid4().hex[:8]}"
    down = make_app(
        own_database, tmp_path, JOBS_MODE="rq", REDIS_URL="redis://127.0.0.1:1/0", QUEUE_PREFIX=prefix
    )
    try:
        with down.app_context():
            old_attempt()
            run = defer_job("auth.purge_login_attempts")
            commit()  # the user's change is saved although Redis is unreachable
            run_id = run.id
            assert db.session.get(JobRun, run_id).status == "pending"
            db.session.get(JobRun, run_id).created_at = utcnow() - timedelta(minutes=10)
            commit()
    finally:
        dispose(down)
    back = make_app(own_database, tmp_path, JOBS_MODE="rq", REDIS_URL=redis_url, QUEUE_PREFIX=prefix)
    try:
        env = {
            **os.environ,
            "DATABASE_URL": own_database,
            "REDIS_URL": redis_url,
            "QUEUE_PREFIX": prefix,
            "QUANTRAC_INSTANCE_PATH": str(tmp_path),
        }
        sweep = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "app", "jobs", "sweep"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert sweep.returncode == 0, sweep.stderr
        assert '"taken_again": 1' in sweep.stdout
        worker = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "app", "worker", "--burst", "--no-scheduler"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert worker.returncode == 0, worker.stderr
        with back.app_context():
            assert db.session.get(JobRun, run_id).status == "finished"
    finally:
        clean_redis(redis_url, prefix)
        dispose(back)


def test_in_process_thread_runs_jobs_without_redis(own_database, tmp_path):
    from app.jobs import inprocess

    application = make_app(
        own_database, tmp_path, JOBS_MODE="thread", JOBS_START_THREAD=True, JOBS_POLL_SECONDS=0.2
    )
    try:
        inprocess.start(application)
        with application.app_context():
            old_attempt()
            run = defer_job("auth.purge_login_attempts")
            commit()
            run_id = run.id
        deadline = time.monotonic() + 20
        status = None
        while time.monotonic() < deadline:
            with application.app_context():
                status = db.session.scalar(sa.select(JobRun.status).where(JobRun.id == run_id))
                db.session.remove()
            if status == "finished":
                break
            time.sleep(0.1)
        assert status == "finished"
    finally:
        inprocess.stop(application)
        dispose(application)
