"""A worker process SIGKILLed in the middle of issuing, rendering, sending or ingesting loses nothing.

Each test starts a real worker (``tests/faults/fault_worker.py``) on a database
and a Redis server of its own, lets it reach a known point of a job, kills it
there with SIGKILL, then does what production does: the scheduler's sweep
(``flask jobs sweep``) finds the run the dead worker left ``running`` once its
time limit has passed (the test moves ``started_at`` back instead of waiting
30 minutes) and a fresh worker runs it again.
"""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.audit.actor import acting_as
from app.auth.models import User
from app.db import commit, utcnow
from app.extensions import db
from app.notices import numbering, services_issue
from app.notices.models import DeliveryLogEntry, Notice, NoticeDelivery
from app.notices.services_bulk import BULK_ISSUE_JOB, request_bulk_issue
from tests.conftest import PASSWORD
from tests.faults.common import (
    PUBLIC_BASE_URL,
    burst_worker,
    private_redis,  # noqa: F401  (fixture)
    runs,
    seed_approved_notices,
    sweep,
    time_limit_passed,
    worker_env,
    worker_killed_at,
)
from tests.jobs.test_worker import dispose, make_app
from tests.notices.test_delivery_helpers import smtp_server
from tests.telemetry.ingest_helpers import at, file_name, line, write

pytestmark = pytest.mark.own_database


@pytest.fixture
def application(own_database, private_redis, tmp_path):  # noqa: F811
    """The test's app on its own database and Redis (jobs go to Redis after commit)."""
    app = make_app(
        own_database,
        tmp_path,
        JOBS_MODE="rq",
        REDIS_URL=private_redis.url,
        QUEUE_PREFIX="qt-faults",
        PUBLIC_BASE_URL=PUBLIC_BASE_URL,
        TELEMETRY_INBOX=str(tmp_path / "inbox"),
    )
    yield app
    dispose(app)


def env_of(app, own_database, private_redis, tmp_path) -> dict[str, str]:  # noqa: F811
    """The worker processes' environment: the test's database, Redis, inbox and mail server."""
    return worker_env(
        own_database,
        private_redis.url,
        tmp_path,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(app.config["MAIL_PORT"]),
        TELEMETRY_INBOX=str(tmp_path / "inbox"),
    )


def assert_issued_once_each(notice_ids: list[int], instance: str) -> list[Notice]:
    """Every notice issued, numbers 01.. without gap or repeat, each PDF on disk with its hash."""
    db.session.expire_all()
    notices = [db.session.get(Notice, i) for i in notice_ids]
    assert [n.status for n in notices] == ["issued"] * len(notices)
    numbers = sorted(n.number for n in notices)
    assert numbers == list(range(1, len(notices) + 1))
    assert len({n.number_text for n in notices}) == len(notices)
    assert numbering.last_number("CV", notices[0].year) == len(notices)
    for notice in notices:
        with open(os.path.join(instance, notice.pdf_path), "rb") as stream:
            assert hashlib.sha256(stream.read()).hexdigest() == notice.pdf_sha256
    return notices


@pytest.mark.parametrize("hook", ["render", "issue"])
def test_a_worker_killed_while_issuing_leaves_no_gap_no_repeat_and_no_lost_file(
    application,
    own_database,
    private_redis,  # noqa: F811
    tmp_path,
    hook,
):
    with application.app_context(), smtp_server(application) as server:
        ids, user_id = seed_approved_notices(3)
        request_bulk_issue(ids, db.session.get(User, user_id), PUBLIC_BASE_URL)
        commit()
        env = env_of(application, own_database, private_redis, tmp_path)

        # The first notice goes through; the worker is killed inside the second.
        with worker_killed_at(env, hook, tmp_path, after=1):
            pass
        db.session.expire_all()
        notices = [db.session.get(Notice, i) for i in ids]
        assert [n.status for n in notices] == ["issued", "approved", "approved"], (
            "the killed issue is unfinished"
        )
        # The number was reserved and committed before the render: it stays with the notice.
        assert [n.number for n in notices] == [1, 2, None] and notices[1].is_reserved
        assert numbering.last_number("CV", utcnow().year) == 2, "a reserved number is never given back"
        [bulk] = runs(BULK_ISSUE_JOB)
        assert bulk.status == "running"

        time_limit_passed(BULK_ISSUE_JOB)
        assert '"taken_again": 1' in sweep(env)
        burst_worker(env)

        [bulk] = runs(BULK_ISSUE_JOB)
        assert bulk.status == "finished" and bulk.attempts == 2
        assert bulk.result["failed"] == []
        notices = assert_issued_once_each(ids, application.instance_path)
        # Each notice's e-mail went out once (the kill was not inside a send).
        assert sorted(r.message["Message-ID"] for r in server.received) == sorted(
            n.message_id for n in notices
        )
        deliveries = db.session.scalars(sa.select(NoticeDelivery)).all()
        assert [d.status for d in deliveries] == ["sent"] * 3


def test_a_worker_killed_after_the_mail_server_accepted_sends_again_only_that_email(
    application,
    own_database,
    private_redis,  # noqa: F811
    tmp_path,
):
    with application.app_context(), smtp_server(application) as server:
        [notice_id], user_id = seed_approved_notices(1, contact="mt@mekong.vn, ketoan@mekong.vn")
        with acting_as("test", user_id):
            services_issue.issue_notice(
                db.session.get(Notice, notice_id), db.session.get(User, user_id), PUBLIC_BASE_URL
            )
        commit()  # the delivery job goes to Redis
        env = env_of(application, own_database, private_redis, tmp_path)

        with worker_killed_at(env, "smtp", tmp_path):
            pass
        assert [r.rcpt_tos for r in server.received] == [["mt@mekong.vn"]], "accepted, then killed"

        # Time passes: the run's time limit and the attempt's lease both end.
        time_limit_passed("notices.deliver")
        db.session.execute(
            sa.update(NoticeDelivery)
            .where(NoticeDelivery.status == "pending", NoticeDelivery.attempts > 0)
            .values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )
        commit()
        assert '"taken_again": 1' in sweep(env)
        burst_worker(env)

        db.session.expire_all()
        notice = db.session.get(Notice, notice_id)
        by_recipient: dict[str, list[str]] = {}
        for received in server.received:
            assert received.message["Message-ID"] == notice.message_id
            by_recipient.setdefault(received.rcpt_tos[0], []).append(received.message["Message-ID"])
        assert {k: len(v) for k, v in by_recipient.items()} == {"mt@mekong.vn": 2, "ketoan@mekong.vn": 1}
        deliveries = {
            d.recipient: d for d in db.session.scalars(sa.select(NoticeDelivery).order_by(NoticeDelivery.id))
        }
        assert {r: d.status for r, d in deliveries.items()} == {
            "mt@mekong.vn": "sent",
            "ketoan@mekong.vn": "sent",
        }
        log = db.session.scalars(
            sa.select(DeliveryLogEntry)
            .where(DeliveryLogEntry.delivery_id == deliveries["mt@mekong.vn"].id)
            .order_by(DeliveryLogEntry.id)
        ).all()
        assert [(e.outcome, e.message_id) for e in log] == [
            ("interrupted", notice.message_id),
            ("sent", notice.message_id),
        ]
        other = db.session.scalars(
            sa.select(DeliveryLogEntry.outcome).where(
                DeliveryLogEntry.delivery_id == deliveries["ketoan@mekong.vn"].id
            )
        ).all()
        assert other == ["sent"]

        # Staff see the interrupted attempt and the next one on the delivery page.
        client = application.test_client()
        email = db.session.get(User, user_id).email
        assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
        page = client.get(f"/notices/{notice_id}/delivery").get_data(as_text=True)
        assert "Bị gián đoạn: thư có thể đã được gửi" in page
        assert page.count("mt@mekong.vn") >= 1


def test_a_worker_killed_inside_an_ingest_batch_leaves_the_files_for_the_retry(
    application,
    own_database,
    private_redis,  # noqa: F811
    tmp_path,
):
    from app.jobs.dispatch import defer_job
    from app.telemetry import archive
    from app.telemetry.models import DataFile, Reading
    from app.telemetry.receipt_jobs import SCAN_JOB
    from tests.telemetry.ingest_helpers import new_station

    inbox = tmp_path / "inbox"
    with application.app_context():
        station = new_station("NT1")
        commit()
        station_id = station.id
        paths = []
        for minute in range(0, 60, 5):
            moment = at(10, minute)
            paths.append(
                write(inbox, file_name("NT1", moment), [line(p, "7.1", moment) for p in ("pH", "TSS", "COD")])
            )
        old = (datetime.now(UTC) - timedelta(minutes=5)).timestamp()
        for path in paths:
            os.utime(path, (old, old))
        contents = {path.name: path.read_bytes() for path in paths}
        defer_job(SCAN_JOB)
        commit()
        env = env_of(application, own_database, private_redis, tmp_path)

        with worker_killed_at(env, "ingest", tmp_path):
            pass
        db.session.expire_all()
        assert all(path.exists() for path in paths), "nothing left the inbox"
        assert db.session.scalar(sa.select(sa.func.count(DataFile.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Reading)) == 0

        time_limit_passed(SCAN_JOB)
        assert '"taken_again": 1' in sweep(env)
        burst_worker(env)

        # The sweep also starts this minute's periodic scan: between them, every file once.
        scans = runs(SCAN_JOB)
        assert {r.status for r in scans} == {"finished"}
        assert scans[0].attempts == 2, "the killed run was taken again"
        totals = {
            key: sum((r.result or {}).get(key, 0) for r in scans) for key in ("files", "accepted", "readings")
        }
        assert totals == {"files": 12, "accepted": 12, "readings": 36}
        assert not any(path.exists() for path in paths)
        stored = db.session.scalars(sa.select(DataFile).order_by(DataFile.original_name)).all()
        assert {f.original_name: archive.read(f.archive_path) for f in stored} == contents
        per_key = db.session.execute(
            sa.select(Reading.parameter, Reading.measured_at, sa.func.count())
            .where(Reading.station_id == station_id)
            .group_by(Reading.parameter, Reading.measured_at)
        ).all()
        assert len(per_key) == 36 and {count for *_, count in per_key} == {1}
