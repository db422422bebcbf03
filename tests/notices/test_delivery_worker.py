"""A notice's e-mails sent by a real RQ worker process on a real Redis, to a real SMTP server."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app import ROOT
from app.db import commit, utcnow
from app.extensions import db
from app.facilities.models import Enterprise, Facility
from app.jobs.models import JobRun
from app.notices import delivery, reminders
from app.notices.models import NoticeDelivery, Reminder
from tests.jobs.test_worker import clean_redis, dispose, make_app
from tests.notices.test_delivery_helpers import attachments, issued_notice, smtp_server

pytestmark = pytest.mark.own_database


def worker(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "worker", "--burst", "--no-scheduler"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_real_worker_delivers_the_notice_and_the_due_reminder(own_database, redis_url, tmp_path):
    prefix = f"qt-test-{uuid.uuid4().hex[:8]}"
    application = make_app(own_database, tmp_path, JOBS_MODE="rq", REDIS_URL=redis_url, QUEUE_PREFIX=prefix)
    try:
        with application.app_context(), smtp_server(application) as server:
            enterprise = Enterprise(name="Công ty TNHH Thủy sản Mê Kông")
            db.session.add(enterprise)
            db.session.flush()
            facility = Facility(
                code="CT-TS-001",
                name="Nhà máy Trà Nóc",
                enterprise_id=enterprise.id,
                contact_email="mt@mekong.vn",
            )
            db.session.add(facility)
            db.session.flush()
            notice = issued_notice(facility, answer_due_on=utcnow().date() + timedelta(days=10))
            delivery.schedule_delivery(notice)
            reminders.schedule_reminders(notice)
            db.session.scalar(sa.select(Reminder)).due_at = utcnow() - timedelta(hours=1)
            commit()  # the delivery job goes to Redis after the commit
            notice_id, message_id, sha256 = notice.id, notice.message_id, notice.pdf_sha256
            run = db.session.scalar(sa.select(JobRun).where(JobRun.name == "notices.deliver"))
            assert run.status == "queued"
            # The reminders' periodic run, as the scheduler would insert it.
            from app.jobs.dispatch import defer_job

            defer_job(reminders.SWEEP_JOB)
            commit()
            env = {
                **os.environ,
                "DATABASE_URL": own_database,
                "REDIS_URL": redis_url,
                "QUEUE_PREFIX": prefix,
                "QUANTRAC_INSTANCE_PATH": str(tmp_path),
                "MAIL_SERVER": "127.0.0.1",
                "MAIL_PORT": str(application.config["MAIL_PORT"]),
                "MAIL_DEFAULT_SENDER": "Sở Nông nghiệp và Môi trường <thongbao@snnmt.cantho.gov.vn>",
                "PUBLIC_BASE_URL": "https://quantrac.cantho.gov.vn",
            }
            result = worker(env)
            assert result.returncode == 0, result.stderr
            db.session.remove()
            runs = db.session.scalars(sa.select(JobRun).where(JobRun.name.like("notices.%"))).all()
            assert {r.name: r.status for r in runs} == {
                "notices.deliver": "finished",
                "notices.send_reminders": "finished",
            }, [r.error for r in runs]
            [row] = db.session.scalars(sa.select(NoticeDelivery)).all()
            assert row.status == "sent" and row.notice_id == notice_id
            assert db.session.scalar(sa.select(Reminder)).sent_at is not None
        by_subject = {r.message["Subject"].split(" ", 1)[0]: r for r in server.received}
        letter, reminder = by_subject["Công"], by_subject["Nhắc"]
        assert letter.rcpt_tos == ["mt@mekong.vn"] and letter.message["Message-ID"] == message_id
        assert letter.mail_from == "thongbao@snnmt.cantho.gov.vn"
        [(_, data)] = attachments(letter.message)
        assert hashlib.sha256(data).hexdigest() == sha256
        body = reminder.message.get_body(("plain",)).get_content()
        assert f"https://quantrac.cantho.gov.vn/portal/notices/{notice_id}" in body
    finally:
        clean_redis(redis_url, prefix)
        dispose(application)
