"""Reminders as rows: written on issue, swept by a periodic job, each sent once, cancelled when moot."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.audit.actor import acting_as
from app.cases.models import Case, LadderStep
from app.db import commit, utcnow
from app.extensions import db
from app.jobs.dispatch import defer_job
from app.jobs.models import JobRun
from app.notices import reminders
from app.notices.models import NoticeAnswer, Reminder
from app.settings import services as settings
from tests.notices.test_delivery_helpers import issued_notice, smtp_server


@pytest.fixture
def facility(make_enterprise, make_facility, make_user):
    enterprise = make_enterprise("Công ty TNHH Thủy sản Mê Kông")
    found = make_facility(enterprise=enterprise, name="Nhà máy Trà Nóc", contact_email="moitruong@mekong.vn")
    make_user("enterprise", email="giamdoc@mekong.vn", enterprise=enterprise)
    return found


def step(position: int) -> LadderStep:
    return db.session.scalar(
        sa.select(LadderStep).where(LadderStep.position == position, LadderStep.superseded_at.is_(None))
    )


def open_case(facility, inspector=None, step_reached: int = 1, kind: str = "not_connected") -> Case:
    case = Case(
        facility_id=facility.id,
        kind=kind,
        evidence={"subject": "kết nối truyền số liệu"},
        step=step_reached,
        inspector_id=inspector.id if inspector else None,
    )
    db.session.add(case)
    db.session.flush()
    return case


def rows(notice) -> dict[str, Reminder]:
    found = db.session.scalars(
        sa.select(Reminder).where(Reminder.notice_id == notice.id).execution_options(populate_existing=True)
    )
    return {r.kind: r for r in found}


def test_issue_writes_the_answer_and_step_reminders_at_eight_local(app, facility, make_user):
    case = open_case(facility, make_user("inspector"))
    issued_on = date(2026, 12, 1)
    notice = issued_notice(
        facility, case=case, ladder_step=step(1), issued_on=issued_on, answer_due_on=date(2026, 12, 16)
    )
    created = reminders.schedule_reminders(notice)
    assert sorted(r.kind for r in created) == ["answer_due", "step_due"]
    found = rows(notice)
    # 3 days before the answer is due (setting reminder.answer_days_before), 08:00 in Việt Nam (01:00 UTC).
    assert found["answer_due"].due_at == datetime(2026, 12, 13, 1, 0, tzinfo=UTC)
    # The first step's waiting time is 15 days (the seeded ladder).
    assert found["step_due"].due_at == datetime(2026, 12, 16, 1, 0, tzinfo=UTC)
    assert found["step_due"].case_id == case.id
    assert reminders.schedule_reminders(notice) == []  # a repeat writes nothing
    assert len(rows(notice)) == 2


def test_the_answer_reminder_follows_the_setting_and_the_last_step_has_no_step_reminder(app, facility):
    settings.update({"reminder.answer_days_before": 5})
    notice = issued_notice(facility, issued_on=date(2026, 12, 1), answer_due_on=date(2026, 12, 11))
    submission = issued_notice(facility, document_type="TTr", case=open_case(facility), ladder_step=step(4))
    short = issued_notice(facility, issued_on=date(2026, 12, 1), answer_due_on=date(2026, 12, 3))
    assert [(r.kind, r.due_at.date()) for r in reminders.schedule_reminders(notice)] == [
        ("answer_due", date(2026, 12, 6))
    ]
    assert reminders.schedule_reminders(submission) == []
    assert reminders.schedule_reminders(short) == []  # due before it could be useful


def past_due(notice, kind: str, days: int) -> Reminder:
    reminder = rows(notice)[kind]
    reminder.due_at = utcnow() - timedelta(days=days)
    return reminder


def sweep() -> JobRun:
    run = defer_job(reminders.SWEEP_JOB)
    commit()  # the periodic job's run, as a scheduler tick would create it; runs after commit
    db.session.refresh(run)
    return run


def test_a_scheduler_down_for_days_only_delays_every_reminder_is_sent_once(app, facility, make_user):
    inspector = make_user("inspector", email="can.bo@snnmt.gov.vn")
    notices = []
    for days, kind in ((9, "not_connected"), (5, "lost_connection"), (2, "low_completeness")):
        notice = issued_notice(
            facility,
            case=open_case(facility, inspector, kind=kind),
            ladder_step=step(1),
            answer_due_on=utcnow().date() + timedelta(days=10),
        )
        reminders.schedule_reminders(notice)
        past_due(notice, "answer_due", days)
        past_due(notice, "step_due", days)
        notices.append(notice)
    future = issued_notice(facility, answer_due_on=utcnow().date() + timedelta(days=30))
    reminders.schedule_reminders(future)
    commit()
    with smtp_server(app) as server:
        first = sweep()
        second = sweep()
    assert first.status == "finished" and first.result["sent"] == 6
    assert second.result == {"sent": 0, "cancelled": 0, "temporary_failure": 0, "permanent_failure": 0}
    assert len(server.received) == 6
    to_enterprise = [r for r in server.received if r.message["Subject"].startswith("Nhắc hạn trả lời")]
    to_inspector = [r for r in server.received if r.message["Subject"].startswith("Hết thời gian chờ")]
    assert len(to_enterprise) == 3 and len(to_inspector) == 3
    assert all(r.rcpt_tos == ["moitruong@mekong.vn", "giamdoc@mekong.vn"] for r in to_enterprise)
    assert all(r.rcpt_tos == ["can.bo@snnmt.gov.vn"] for r in to_inspector)
    assert len({r.message["Message-ID"] for r in server.received}) == 6
    body = to_enterprise[0].message.get_body(("plain",)).get_content()
    assert "chưa ghi nhận văn bản trả lời" in body and "/portal/notices/" in body
    for notice in notices:
        assert all(
            r.sent_at is not None and r.outcome.startswith("Đã gửi tới") for r in rows(notice).values()
        )
    assert rows(future)["answer_due"].sent_at is None


def test_without_an_assigned_inspector_every_active_inspector_is_reminded(app, facility, make_user):
    make_user("inspector", email="a@snnmt.gov.vn")
    make_user("inspector", email="b@snnmt.gov.vn")
    make_user("inspector", email="c@snnmt.gov.vn").is_active_account = False
    notice = issued_notice(facility, case=open_case(facility), ladder_step=step(1))
    reminders.schedule_reminders(notice)
    past_due(notice, "step_due", 1)
    commit()
    with smtp_server(app) as server:
        sweep()
    [received] = server.received
    assert sorted(received.rcpt_tos) == ["a@snnmt.gov.vn", "b@snnmt.gov.vn"]


def test_reminders_no_longer_relevant_are_cancelled_with_the_reason(app, facility, make_user):
    inspector = make_user("inspector")
    answered = issued_notice(facility, answer_due_on=utcnow().date() + timedelta(days=10))
    closed_case = open_case(facility, inspector)
    closed = issued_notice(facility, case=closed_case, ladder_step=step(1))
    moved_on_case = Case(facility_id=facility.id, kind="exceedance", step=2, inspector_id=inspector.id)
    db.session.add(moved_on_case)
    db.session.flush()
    moved_on = issued_notice(facility, case=moved_on_case, ladder_step=step(1))
    for notice in (answered, closed, moved_on):
        reminders.schedule_reminders(notice)
    past_due(answered, "answer_due", 1)
    past_due(closed, "step_due", 1)
    past_due(moved_on, "step_due", 1)
    with acting_as("test"):
        db.session.add(NoticeAnswer(notice_id=answered.id, text="Công ty đã khắc phục."))
    closed_case.status = "closed"
    commit()
    with smtp_server(app) as server:
        run = sweep()
    assert run.result["cancelled"] == 3 and server.received == []
    assert rows(answered)["answer_due"].outcome == "Doanh nghiệp đã trả lời văn bản."
    assert rows(closed)["step_due"].outcome == "Hồ sơ đã đóng."
    assert rows(moved_on)["step_due"].outcome == "Đã ban hành văn bản ở bước sau."
    assert all(
        r.cancelled_at is not None and r.sent_at is None
        for n in (answered, closed, moved_on)
        for r in rows(n).values()
        if r.due_at <= utcnow()
    )


def test_a_temporary_refusal_leaves_the_reminder_due_for_the_next_sweep(app, facility):
    notice = issued_notice(facility, answer_due_on=utcnow().date() + timedelta(days=10))
    reminders.schedule_reminders(notice)
    past_due(notice, "answer_due", 1)
    commit()
    with smtp_server(app, data_replies=["421 4.3.2 Service shutting down"]) as server:
        first = sweep()
        assert first.result["temporary_failure"] == 1
        reminder = rows(notice)["answer_due"]
        assert reminder.sent_at is None and "421 4.3.2" in reminder.outcome
        second = sweep()
    assert second.result["sent"] == 1 and len(server.received) == 1
    assert rows(notice)["answer_due"].sent_at is not None
