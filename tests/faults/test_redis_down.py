"""Redis down while users work: pages work, every job is recorded, and runs once Redis is back.

The test's own redis-server is stopped while an inspector, a leader and an
enterprise user go about their work through the pages (issue a notice, issue
another by the bulk job, open and acknowledge it, read the lists). Every job
asked for meanwhile stays a ``pending`` row; when Redis is back (empty, as
after a restart) the scheduler's sweep enqueues them, a worker runs them, and
every notice is issued and every e-mail sent, once.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.auth.services import create_user
from app.db import commit, utcnow
from app.extensions import db
from app.jobs.models import JobRun
from app.notices.models import Notice, NoticeDelivery, NoticeReceipt
from app.notices.services_bulk import BULK_ISSUE_JOB
from tests.conftest import PASSWORD
from tests.faults.common import (
    PUBLIC_BASE_URL,
    burst_worker,
    private_redis,  # noqa: F401  (fixture)
    runs,
    seed_approved_notices,
    sweep,
    worker_env,
)
from tests.jobs.test_worker import dispose, make_app
from tests.notices.test_delivery_helpers import smtp_server

pytestmark = pytest.mark.own_database


def logged_in(app, email: str):
    """A test client logged in through the login form."""
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


def ok(client, path: str, status: int = 200) -> str:
    """GET a page and check it answered ``status``; its text."""
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return response.get_data(as_text=True)


def seed(own_database) -> dict:
    """Two approved notices of two facilities, an inspector, a leader and an enterprise user."""
    (direct, bulk), inspector_id = seed_approved_notices(2)
    facility = db.session.get(Notice, direct).facility
    create_user("giamdoc@mekong.vn", "enterprise", enterprise_id=facility.enterprise_id, password=PASSWORD)
    create_user("lanhdao@snnmt.vn", "leader", password=PASSWORD)
    commit()
    inspector = db.session.scalar(sa.text("SELECT email FROM users WHERE id = :id"), {"id": inspector_id})
    return {"direct": direct, "bulk": bulk, "inspector": inspector, "contact": facility.contact_email}


def work_while_redis_is_down(app, seeded: dict) -> str:
    """Each role works through the pages: issue one notice, bulk-issue another, read, acknowledge."""
    direct, bulk = seeded["direct"], seeded["bulk"]
    inspector = logged_in(app, seeded["inspector"])
    for page in ("/home", "/notices/", "/cases/", f"/notices/{direct}", "/notices/bulk", "/stations/"):
        ok(inspector, page)
    assert inspector.post(f"/notices/{direct}/issue").status_code == 302
    issued_page = ok(inspector, f"/notices/{direct}")
    number_text = "01/SNNMT-CCBVMT"
    assert number_text in issued_page
    response = inspector.post("/notices/bulk/issue", data={"notice_ids": [str(bulk)]})
    assert response.status_code == 302
    ok(inspector, response.headers["Location"])  # the bulk run's progress page

    leader = logged_in(app, "lanhdao@snnmt.vn")
    for page in ("/home", "/notices/", "/cases/", f"/notices/{direct}/delivery"):
        ok(leader, page)

    portal = logged_in(app, "giamdoc@mekong.vn")
    assert number_text in ok(portal, "/portal/notices/")
    ok(portal, f"/portal/notices/{direct}")
    pdf = portal.get(f"/portal/notices/{direct}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert portal.post(f"/portal/notices/{direct}/acknowledge").status_code == 302
    return number_text


def assert_nothing_lost(seeded: dict, number_text: str, received) -> None:
    """Both notices issued (01, 02), every e-mail sent once, no job left unfinished."""
    direct, bulk = seeded["direct"], seeded["bulk"]
    db.session.expire_all()
    assert runs(BULK_ISSUE_JOB)[0].status == "finished"
    notices = [db.session.get(Notice, i) for i in (direct, bulk)]
    assert [(n.status, n.number) for n in notices] == [("issued", 1), ("issued", 2)]
    assert notices[0].number_text == number_text
    deliveries = db.session.scalars(sa.select(NoticeDelivery).order_by(NoticeDelivery.id)).all()
    assert [(d.notice_id, d.status) for d in deliveries] == [
        (direct, "sent"),
        (direct, "sent"),
        (bulk, "sent"),
    ]
    sent = sorted((r.message["Message-ID"], r.rcpt_tos[0]) for r in received)
    assert sent == sorted(
        [
            (notices[0].message_id, seeded["contact"]),
            (notices[0].message_id, "giamdoc@mekong.vn"),
            (notices[1].message_id, notices[1].facility.contact_email),
        ]
    )
    unfinished = db.session.scalar(sa.select(sa.func.count(JobRun.id)).where(JobRun.status != "finished"))
    assert unfinished == 0


def test_pages_work_while_redis_is_down_and_every_job_runs_once_it_is_back(
    own_database,
    private_redis,  # noqa: F811
    tmp_path,
):
    app = make_app(
        own_database,
        tmp_path,
        JOBS_MODE="rq",
        REDIS_URL=private_redis.url,
        QUEUE_PREFIX="qt-faults",
        PUBLIC_BASE_URL=PUBLIC_BASE_URL,
    )
    try:
        with smtp_server(app) as server:
            with app.app_context():
                seeded = seed(own_database)
            private_redis.stop()
            assert not private_redis.is_up()
            number_text = work_while_redis_is_down(app, seeded)
            env = worker_env(
                own_database,
                private_redis.url,
                tmp_path,
                MAIL_SERVER="127.0.0.1",
                MAIL_PORT=str(app.config["MAIL_PORT"]),
            )
            with app.app_context():
                # Every job asked for meanwhile is a row, left pending; nothing was sent.
                pending = {r.name: r.status for r in db.session.scalars(sa.select(JobRun))}
                assert pending == {"notices.deliver": "pending", BULK_ISSUE_JOB: "pending"}
                assert server.received == []
                kinds = db.session.scalars(
                    sa.select(NoticeReceipt.kind).where(NoticeReceipt.notice_id == seeded["direct"])
                )
                assert sorted(kinds) == ["acknowledged", "opened"]
                # A scheduler pass while Redis is still down starts the periodic runs due; all wait.
                down = json.loads(sweep(env))
                assert down["taken_again"] == 0 and down["periodic_started"] > 0
                db.session.expire_all()
                statuses = db.session.scalars(sa.select(JobRun.status)).all()
                assert set(statuses) == {"pending"} and len(statuses) == 2 + down["periodic_started"]

                # Redis is back, empty (as after a restart); minutes later the sweep takes every row.
                private_redis.start()
                db.session.execute(sa.update(JobRun).values(created_at=utcnow() - timedelta(minutes=3)))
                commit()
                back = json.loads(sweep(env))
                assert back["taken_again"] == len(statuses)
                burst_worker(env)
                burst_worker(env)  # the bulk issue deferred the second notice's delivery
                assert_nothing_lost(seeded, number_text, server.received)
    finally:
        dispose(app)
