"""Delivery of issued notices by e-mail against a real local SMTP server (aiosmtpd)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.db import commit, rollback, utcnow
from app.extensions import db
from app.jobs.dispatch import defer_job
from app.jobs.models import JobRun
from app.notices import delivery, mail
from app.notices.models import DeliveryLogEntry, NoticeDelivery
from app.settings import services as settings
from tests.notices.test_delivery_helpers import attachments, free_port, issued_notice, smtp_server


@pytest.fixture
def facility(make_enterprise, make_facility, make_user):
    """A facility whose enterprise has two active users (one the contact, in another case) and one inactive."""
    enterprise = make_enterprise("Công ty TNHH Thủy sản <Mê Kông> & Cộng sự")
    found = make_facility(
        enterprise=enterprise, name="Nhà máy chế biến thủy sản Trà Nóc", contact_email="Moi.Truong@MeKong.vn"
    )
    make_user("enterprise", email="moi.truong@mekong.vn", enterprise=enterprise)
    make_user("enterprise", email="giam.doc@mekong.vn", enterprise=enterprise)
    make_user("enterprise", email="nghi.viec@mekong.vn", enterprise=enterprise).is_active_account = False
    make_user("enterprise", email="khac@other.vn")
    return found


def deliveries_of(notice) -> list[NoticeDelivery]:
    return list(
        db.session.scalars(
            sa.select(NoticeDelivery)
            .where(NoticeDelivery.notice_id == notice.id)
            .order_by(NoticeDelivery.id)
            .execution_options(populate_existing=True)
        )
    )


def log_of(delivery_row) -> list[DeliveryLogEntry]:
    return list(
        db.session.scalars(
            sa.select(DeliveryLogEntry)
            .where(DeliveryLogEntry.delivery_id == delivery_row.id)
            .order_by(DeliveryLogEntry.id)
            .execution_options(populate_existing=True)
        )
    )


def test_one_delivery_per_distinct_active_address_and_a_stable_message_id(app, facility):
    notice = issued_notice(facility)
    created = delivery.schedule_delivery(notice)
    assert [d.recipient for d in created] == ["Moi.Truong@MeKong.vn", "giam.doc@mekong.vn"]
    assert all(d.status == "pending" for d in created)
    message_id = notice.message_id
    assert message_id.startswith(f"<notice-{notice.id}.") and message_id.endswith("@localhost>")
    run = db.session.scalar(sa.select(JobRun).where(JobRun.name == "notices.deliver"))
    assert run.args == {"notice_id": notice.id} and run.queue == "notices"
    # Scheduling again (a repeated call) adds nothing and keeps the Message-ID.
    assert delivery.schedule_delivery(notice) == []
    assert notice.message_id == message_id
    assert len(deliveries_of(notice)) == 2


def test_a_submission_and_a_draft_are_never_delivered(app, facility):
    submission = issued_notice(facility, document_type="TTr")
    draft = issued_notice(facility, status="draft")
    assert delivery.schedule_delivery(submission) == []
    assert delivery.schedule_delivery(draft) == []
    assert submission.message_id is None
    assert db.session.scalar(sa.select(sa.func.count(NoticeDelivery.id))) == 0


def test_an_invalid_contact_address_is_recorded_failed_not_dropped(app, make_facility):
    notice = issued_notice(make_facility(contact_email="phong-moi-truong (at) mekong"))
    created = delivery.schedule_delivery(notice)
    assert [(d.recipient, d.status, d.last_error) for d in created] == [
        ("phong-moi-truong", "failed", delivery.INVALID_ADDRESS),
        ("(at)", "failed", delivery.INVALID_ADDRESS),
        ("mekong", "failed", delivery.INVALID_ADDRESS),
    ]
    assert db.session.scalar(sa.select(JobRun.id).where(JobRun.name == "notices.deliver")) is None


def test_the_server_receives_the_notice_with_its_pdf_and_message_id(app, facility):
    notice = issued_notice(facility, answer_due_on=utcnow().date() + timedelta(days=15))
    with smtp_server(app) as server:
        delivery.schedule_delivery(notice)
        commit()  # the deferred job runs after the commit (inline in the tests)
    assert sorted(r.rcpt_tos[0] for r in server.received) == ["Moi.Truong@MeKong.vn", "giam.doc@mekong.vn"]
    for received in server.received:
        message = received.message
        assert received.mail_from == "quantrac@localhost"
        assert message["Message-ID"] == notice.message_id
        assert message["Subject"].startswith(f"Công văn số {notice.number_text} ngày ")
        assert "V/v đôn đốc lắp đặt" in message["Subject"]
        [(name, data)] = attachments(message)
        assert name == notice.number_text.replace("/", "-") + ".pdf"
        assert hashlib.sha256(data).hexdigest() == notice.pdf_sha256
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert "Kính gửi: Công ty TNHH Thủy sản <Mê Kông> & Cộng sự" in text
        assert "Công ty TNHH Thủy sản &lt;Mê Kông&gt; &amp; Cộng sự" in html
        assert f"http://quantrac.test/portal/notices/{notice.id}" in text
        assert "Hạn trả lời: trước ngày" in text
    for row in deliveries_of(notice):
        assert row.status == "sent" and row.attempts == 1 and row.sent_at is not None
        [entry] = log_of(row)
        assert entry.outcome == "sent" and entry.detail.startswith("250 2.0.0 Ok: queued as Q")
        assert entry.message_id == notice.message_id


def test_a_temporary_refusal_is_retried_after_a_pause_with_the_same_message_id(app, facility):
    notice = issued_notice(facility)
    with smtp_server(app, data_replies=["451 4.3.0 Mailbox busy, try again later"]) as server:
        delivery.schedule_delivery(notice)
        commit()
        first, second = deliveries_of(notice)
        assert first.status == "pending" and first.attempts == 1
        assert first.last_error.startswith("451 4.3.0")
        assert utcnow() < first.next_attempt_at <= utcnow() + timedelta(minutes=1)
        assert second.status == "sent"  # the refusal was for one message only
        assert delivery.deliver_due(commit) == {**empty_counts(), "skipped": 0}  # not due yet
        counts = delivery.deliver_due(commit, now=utcnow() + timedelta(minutes=2))
        assert counts["sent"] == 1
    first = deliveries_of(notice)[0]
    assert first.status == "sent" and first.attempts == 2
    assert [(e.outcome, e.message_id) for e in log_of(first)] == [
        ("temporary_failure", notice.message_id),
        ("sent", notice.message_id),
    ]
    assert "451 4.3.0 Mailbox busy" in log_of(first)[0].detail
    assert [r.message["Message-ID"] for r in server.received] == [notice.message_id] * 2


def empty_counts() -> dict:
    return {"sent": 0, "temporary_failure": 0, "permanent_failure": 0, "failed": 0, "skipped": 0}


def test_a_permanent_refusal_fails_the_delivery_and_it_is_not_tried_again(app, facility):
    notice = issued_notice(facility)
    with smtp_server(
        app, rcpt_replies=["550 5.1.1 <moi.truong@mekong.vn>: Recipient address rejected"]
    ) as server:
        delivery.schedule_delivery(notice)
        commit()
        assert delivery.deliver_due(commit, now=utcnow() + timedelta(days=2)) == empty_counts()
    failed, sent = deliveries_of(notice)
    assert failed.status == "failed" and failed.attempts == 1 and failed.next_attempt_at is None
    assert failed.last_error.startswith("550 5.1.1")
    assert [e.outcome for e in log_of(failed)] == ["permanent_failure"]
    assert sent.status == "sent"
    assert len(server.received) == 1


def test_the_duplicate_window_a_crash_after_acceptance_sends_again_with_the_same_message_id(app, facility):
    facility.contact_email = None
    notice = issued_notice(facility)
    with smtp_server(app) as server:
        for row in delivery.schedule_delivery(notice):
            row.next_attempt_at = utcnow() + timedelta(hours=1)  # keep the job away: sent by hand below
        commit()
        target = deliveries_of(notice)[0]
        target.next_attempt_at = None
        commit()
        # A worker claims the attempt and commits the claim, the server accepts the message ...
        attempt = delivery.claim(target.id, utcnow())
        commit()
        assert delivery.send_attempt(attempt).is_sent
        rollback()  # ... and the worker dies before committing the outcome.
        assert len(server.received) == 1
        # While the claim's lease runs, no sweep touches it; once it ends, the sweep sends again.
        assert delivery.deliver_due(commit)["sent"] == 0
        assert delivery.deliver_due(commit, now=utcnow() + delivery.LEASE + timedelta(seconds=1))["sent"] == 1
    assert len(server.received) == 2
    assert [r.message["Message-ID"] for r in server.received] == [notice.message_id] * 2
    row = deliveries_of(notice)[0]
    assert row.status == "sent" and row.attempts == 2
    assert [(e.outcome, e.message_id) for e in log_of(row)] == [
        ("interrupted", notice.message_id),
        ("sent", notice.message_id),
    ]


def test_no_mail_server_is_a_temporary_failure_until_the_attempts_run_out(app, facility):
    settings.update({"delivery.max_attempts": 2})
    facility.contact_email = None
    notice = issued_notice(facility)
    app.config["MAIL_PORT"], saved = free_port(), app.config["MAIL_PORT"]
    app.config["MAIL_SERVER"], saved_server = "127.0.0.1", app.config["MAIL_SERVER"]
    try:
        delivery.schedule_delivery(notice)
        commit()
        row = deliveries_of(notice)[0]
        assert row.status == "pending" and "ConnectionRefusedError" in row.last_error
        delivery.deliver_due(commit, now=utcnow() + timedelta(minutes=2))
    finally:
        app.config["MAIL_PORT"], app.config["MAIL_SERVER"] = saved, saved_server
    row = deliveries_of(notice)[0]
    assert row.status == "failed" and row.attempts == 2
    assert [e.outcome for e in log_of(row)] == ["temporary_failure", "temporary_failure"]


def test_a_missing_pdf_is_never_sent_and_is_logged(app, facility):
    facility.contact_email = None
    notice = issued_notice(facility, pdf=b"%PDF-1.4\n% a file that will be lost\n%%EOF\n")
    import os

    os.unlink(os.path.join(app.instance_path, notice.pdf_path))
    with smtp_server(app) as server:
        delivery.schedule_delivery(notice)
        commit()
    row = deliveries_of(notice)[0]
    assert row.status == "pending" and "không tìm thấy tệp PDF" in row.last_error
    assert server.received == []


def test_the_periodic_sweep_sends_what_a_lost_job_left(app, facility):
    facility.contact_email = None
    notice = issued_notice(facility)
    delivery.schedule_delivery(notice)
    # The job's run is lost (Redis restarted before it ran): only the rows remain.
    db.session.execute(sa.delete(JobRun).where(JobRun.name == "notices.deliver"))
    commit()
    assert deliveries_of(notice)[0].status == "pending"
    with smtp_server(app) as server:
        defer_job(delivery.SWEEP_JOB)
        commit()
    assert [d.status for d in deliveries_of(notice)] == ["sent", "sent"]
    assert sorted(r.rcpt_tos[0] for r in server.received) == ["giam.doc@mekong.vn", "moi.truong@mekong.vn"]


def test_a_failed_delivery_can_be_sent_again(app, facility):
    facility.contact_email = None
    notice = issued_notice(facility)
    with smtp_server(app, rcpt_replies=["550 5.7.1 Relay denied"]) as server:
        delivery.schedule_delivery(notice)
        commit()
        row = deliveries_of(notice)[0]
        assert row.status == "failed"
        delivery.retry_delivery(row)
        commit()
    row = deliveries_of(notice)[0]
    assert row.status == "sent" and len(server.received) == 2
    assert [e.outcome for e in log_of(row)] == ["permanent_failure", "sent"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a@b.vn", True),
        ("Moi.Truong@MeKong.vn", True),
        ("a@b", False),
        ("a b@c.vn", False),
        ("a@b.vn\nBcc: x@y.vn", False),
        ("<a@b.vn>", False),
        ("nguyễn@mekong.vn", False),
        ("", False),
    ],
)
def test_addresses_that_can_go_into_a_header(text, expected):
    assert mail.is_address(text) is expected


def test_domains_for_the_message_id():
    assert mail.domain_of("Sở NN&MT <thongbao@snnmt.cantho.gov.vn>") == "snnmt.cantho.gov.vn"
    assert mail.domain_of("https://quantrac.cantho.gov.vn:8443/x") == "quantrac.cantho.gov.vn"
    assert mail.domain_of("nobody") is None
