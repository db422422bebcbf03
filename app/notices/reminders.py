"""Reminders as rows: due dates written on issue, swept by a periodic job, each sent once.

``schedule_reminders`` (called right after issue) writes up to two rows:

- ``answer_due``: ``reminder.answer_days_before`` days before the answer is due,
  to the enterprise's addresses (cancelled if the enterprise has answered);
- ``step_due``: when the step's waiting time ends (``next_step_due`` of the
  ladder), to the case's inspector, else to every active inspector (cancelled
  if the case is closed or a later step was issued meanwhile).

Both are due at 08:00 local time that day. The periodic job
``notices.send_reminders`` takes every row due and neither sent nor cancelled:
a scheduler that was down only delays them, and the next sweep sends each once.
A reminder is marked sent right after the mail server accepts it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app

from app.auth.models import User
from app.auth.roles import INSPECTOR
from app.cases.ladder import Step, next_step_due
from app.db import utcnow
from app.extensions import db
from app.formatting import LOCAL_TZ, format_date
from app.notices import mail
from app.notices.delivery import enterprise_addresses, is_delivered, message_domain
from app.notices.delivery_content import answer_reminder_content, step_reminder_content
from app.notices.models import Notice, NoticeAnswer, Reminder

SWEEP_JOB = "notices.send_reminders"
SEND_AT = time(8, 0)
BATCH_LIMIT = 500


def morning_of(day: date) -> datetime:
    """08:00 local time on that day, as an aware UTC moment."""
    return datetime.combine(day, SEND_AT, tzinfo=LOCAL_TZ).astimezone(UTC)


def step_due_on(notice: Notice) -> date | None:
    """The day the waiting time after this notice's ladder step ends (None: no step follows)."""
    step = notice.ladder_step
    if step is None or notice.issued_on is None:
        return None
    return next_step_due(notice.issued_on, Step(step.position, step.answer_days, step.wait_days))


def schedule_reminders(notice: Notice) -> list[Reminder]:
    """Write the reminder rows of an issued notice (each kind once); flushed, not committed."""
    from app.settings.services import get as setting

    if notice.status != "issued":
        return []
    existing = set(db.session.scalars(sa.select(Reminder.kind).where(Reminder.notice_id == notice.id)))
    created = []
    if "answer_due" not in existing and is_delivered(notice) and notice.answer_due_on:
        day = notice.answer_due_on - timedelta(days=int(setting("reminder.answer_days_before")))
        if day > notice.issued_on:
            created.append(Reminder(kind="answer_due", due_at=morning_of(day)))
    due_on = step_due_on(notice) if notice.case_id else None
    if "step_due" not in existing and due_on is not None:
        created.append(Reminder(kind="step_due", due_at=morning_of(due_on)))
    for reminder in created:
        reminder.notice_id, reminder.case_id = notice.id, notice.case_id
        db.session.add(reminder)
    db.session.flush()
    return created


def recipients(reminder: Reminder) -> list[str]:
    """Who a reminder goes to: the enterprise's addresses, or the case's inspector (else all inspectors)."""
    if reminder.kind == "answer_due":
        return [a for a in enterprise_addresses(reminder.notice.facility) if mail.is_address(a)]
    inspector = reminder.case.inspector if reminder.case is not None else None
    if inspector is not None and inspector.is_active_account and mail.is_address(inspector.email):
        return [inspector.email]
    everyone = db.session.scalars(
        sa.select(User.email)
        .where(User.role == INSPECTOR, User.is_active_account.is_(True))
        .order_by(User.id)
    )
    return [address for address in everyone if mail.is_address(address)]


def cancel_reason(reminder: Reminder) -> str | None:
    """Why a due reminder is no longer relevant (None: send it)."""
    notice = reminder.notice
    if reminder.kind == "answer_due":
        answered = db.session.scalar(
            sa.select(NoticeAnswer.id).where(NoticeAnswer.notice_id == notice.id).limit(1)
        )
        if answered is not None:
            return "Doanh nghiệp đã trả lời văn bản."
    else:
        case = reminder.case
        if case is None or case.status != "open":
            return "Hồ sơ đã đóng."
        if case.step > notice.step_position:
            return "Đã ban hành văn bản ở bước sau."
    superseding = db.session.scalar(
        sa.select(Notice.number_text)
        .where(Notice.supersedes_id == notice.id, Notice.status == "issued")
        .limit(1)
    )
    if superseding:
        return f"Văn bản đã được thay thế bằng văn bản số {superseding}."
    if not recipients(reminder):
        return "Không có địa chỉ e-mail nào để gửi nhắc."
    return None


@dataclass(frozen=True)
class Prepared:
    """A reminder ready to send: its id, recipients and message."""

    reminder_id: int
    recipients: list[str]
    message: EmailMessage


def due_reminders(now: datetime, limit: int = BATCH_LIMIT) -> list[int]:
    """Ids of reminders due and neither sent nor cancelled, earliest first."""
    return list(
        db.session.scalars(
            sa.select(Reminder.id)
            .where(Reminder.sent_at.is_(None), Reminder.cancelled_at.is_(None), Reminder.due_at <= now)
            .order_by(Reminder.due_at, Reminder.id)
            .limit(limit)
        )
    )


def prepare(reminder_id: int, now: datetime) -> Prepared | None:
    """Cancel a reminder no longer relevant, or build its message (None: nothing to send); flushed."""
    reminder = db.session.get(Reminder, reminder_id, populate_existing=True)
    if reminder is None or reminder.sent_at or reminder.cancelled_at or reminder.due_at > now:
        return None
    reason = cancel_reason(reminder)
    if reason is not None:
        reminder.cancelled_at, reminder.outcome = now, reason
        db.session.flush()
        return None
    notice = reminder.notice
    if reminder.kind == "answer_due":
        content = answer_reminder_content(notice)
    else:
        content = step_reminder_content(notice, format_date(step_due_on(notice)))
    to = recipients(reminder)
    message = mail.build_message(
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
        recipients=to,
        subject=content.subject,
        text=content.text,
        html=content.html,
        message_id=f"<reminder-{reminder.id}.{reminder.kind}@{message_domain()}>",
    )
    return Prepared(reminder.id, to, message)


def record_result(prepared: Prepared, result: mail.SendResult, now: datetime) -> Reminder:
    """Mark a reminder sent (or why not); a temporary failure leaves it due for the next sweep."""
    reminder = db.session.get(Reminder, prepared.reminder_id, populate_existing=True)
    if result.is_sent:
        accepted = [r for r in prepared.recipients if r not in result.refused]
        refused = f"; từ chối: {', '.join(result.refused)}" if result.refused else ""
        reminder.sent_at = now
        reminder.outcome = f"Đã gửi tới {', '.join(accepted)}{refused} ({result.detail})"[:2000]
    elif result.outcome == mail.PERMANENT:
        reminder.cancelled_at = now
        reminder.outcome = f"Không gửi được, máy chủ thư từ chối: {result.detail}"[:2000]
    else:
        reminder.outcome = f"Chưa gửi được, sẽ thử lại ở lần quét sau: {result.detail}"[:2000]
    db.session.flush()
    return reminder


def send_due_reminders(after_each: Callable[[], None], now: datetime | None = None) -> dict[str, int]:
    """Send every due reminder once, calling ``after_each`` (a commit) before and after each send."""
    counts = {"sent": 0, "cancelled": 0, "temporary_failure": 0, "permanent_failure": 0}
    config = mail.MailConfig.from_config(current_app.config)
    for reminder_id in due_reminders(now or utcnow()):
        prepared = prepare(reminder_id, now or utcnow())
        after_each()
        if prepared is None:
            counts["cancelled"] += 1
            continue
        result = mail.send(config, prepared.message, prepared.recipients)
        record_result(prepared, result, now or utcnow())
        after_each()
        counts[result.outcome] += 1
    return counts
