"""What the fault tests share: a Redis server of the test's own, worker processes, seeded notices.

Each fault test runs on a database of its own (``own_database``) and a Redis
server it starts itself on a free loopback port, so it can stop and restart
Redis, kill a worker, or cut a database connection without touching anything
else on the machine.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import has_app_context

from app import ROOT
from app.db import commit, utcnow
from app.extensions import db
from app.jobs.models import JobRun
from tests.conftest import PASSWORD, require_service
from tests.notices.test_delivery_helpers import free_port

PUBLIC_BASE_URL = "https://quantrac.cantho.gov.vn"
SENDER = "Sở Nông nghiệp và Môi trường <thongbao@snnmt.cantho.gov.vn>"


@dataclass
class RedisServer:
    """A redis-server process on 127.0.0.1:port that the test stops and starts at will."""

    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """The server's URL (database 0: the server is the test's alone)."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start the server and wait until it answers."""
        assert self.process is None, "already running"
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while not self.is_up():
            assert self.process.poll() is None, "redis-server exited at start"
            assert time.monotonic() < deadline, "redis-server did not answer"
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop the server (nothing is saved: a restart starts empty, like a lost Redis)."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def is_up(self) -> bool:
        """Whether the server answers a PING."""
        from redis import Redis
        from redis.exceptions import RedisError

        client = Redis.from_url(self.url, socket_connect_timeout=0.5, socket_timeout=0.5)
        try:
            return bool(client.ping())
        except RedisError:
            return False
        finally:
            client.close()


@pytest.fixture
def private_redis() -> Iterator[RedisServer]:
    """A running redis-server of the test's own (skip, or fail in CI, without the binary)."""
    if shutil.which("redis-server") is None:
        require_service("redis-server")
    server = RedisServer(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


def worker_env(url: str, redis_url: str, instance: Path, **extra: str) -> dict[str, str]:
    """The environment of a worker or CLI process on the test's database and Redis."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "JOBS_MODE": "rq",
        "QUEUE_PREFIX": "qt-faults",
        "QUANTRAC_INSTANCE_PATH": str(instance),
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        "MAIL_DEFAULT_SENDER": SENDER,
    }
    env.pop("TEST_DATABASE_URL", None)
    if not redis_url:  # a command with no Redis: jobs inline
        env.pop("REDIS_URL")
        env["JOBS_MODE"] = "sync"
    env.update(extra)
    return env


def release() -> None:
    """End the test's own transaction (on SQLite it holds the write lock another process needs)."""
    if has_app_context():
        db.session.rollback()


def flask(env: dict[str, str], *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    """Run ``flask --app app ARGS`` in a process of its own and return the finished process."""
    release()
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def burst_worker(env: dict[str, str]) -> subprocess.CompletedProcess:
    """A worker that serves every queue until they are empty, then stops."""
    result = flask(env, "worker", "--burst", "--no-scheduler")
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def sweep(env: dict[str, str]) -> str:
    """One scheduler pass from the shell (``flask jobs sweep``); its JSON output."""
    result = flask(env, "jobs", "sweep")
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@contextmanager
def worker_killed_at(env: dict[str, str], hook: str, tmp_path: Path, after: int = 0) -> Iterator[int]:
    """A worker that stops at ``hook`` (after letting ``after`` calls through) and is SIGKILLed there.

    Yields the killed process's id once it is dead. ``tests/faults/fault_worker.py``
    installs the hook; the marker file tells the test the worker has reached it.
    """
    release()
    marker = tmp_path / f"reached-{uuid.uuid4().hex[:8]}"
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.faults.fault_worker", hook],
        cwd=ROOT,
        env={**env, "FAULT_MARKER": str(marker), "FAULT_AFTER": str(after)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 180
        while not marker.exists():
            if process.poll() is not None:
                out, err = process.communicate()
                pytest.fail(f"the worker ended before reaching {hook}: {err[-3000:]}")
            assert time.monotonic() < deadline, f"the worker never reached {hook}"
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL
        yield process.pid
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


def time_limit_passed(name: str) -> None:
    """Move the running runs of a job back past their time limit (the dead worker's run is overdue)."""
    from app.jobs.dispatch import spec

    limit = timedelta(seconds=spec(name).timeout_seconds + 120)
    db.session.execute(
        sa.update(JobRun)
        .where(JobRun.name == name, JobRun.status == "running")
        .values(started_at=utcnow() - limit)
    )
    commit()


def runs(name: str) -> list[JobRun]:
    """The runs of a job, oldest first (fresh from the database)."""
    db.session.expire_all()
    return list(db.session.scalars(sa.select(JobRun).where(JobRun.name == name).order_by(JobRun.id)))


def seed_approved_notices(count: int, contact: str = "mt{i}@mekong.vn") -> tuple[list[int], int]:
    """``count`` approved notices of as many facilities (contact e-mail each), and an inspector's id."""
    from app.audit.actor import acting_as
    from app.auth.services import create_user
    from app.cases.models import Case
    from app.facilities.models import Enterprise, Facility
    from app.notices import services
    from tests.notices.conftest import EVIDENCE

    user, _ = create_user(f"i-{uuid.uuid4().hex[:6]}@snnmt.vn", "inspector", password=PASSWORD)
    leader, _ = create_user(f"l-{uuid.uuid4().hex[:6]}@snnmt.vn", "leader", password=PASSWORD)
    ids = []
    with acting_as("test", user.id):
        for i in range(count):
            enterprise = Enterprise(name=f"Công ty TNHH Thủy sản số {i}")
            db.session.add(enterprise)
            db.session.flush()
            facility = Facility(
                code=f"CT-TS-{i:03d}",
                name=f"Nhà máy chế biến {i}",
                enterprise_id=enterprise.id,
                contact_email=contact.format(i=i),
            )
            db.session.add(facility)
            db.session.flush()
            case = Case(facility_id=facility.id, kind="not_connected", evidence=EVIDENCE)
            db.session.add(case)
            db.session.flush()
            notice = services.draft_notice(case, 1, user)
            services.submit_notice(notice)
            services.approve_notice(notice, leader)
            ids.append(notice.id)
    commit()
    return ids, user.id
