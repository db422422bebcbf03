"""Delivery of issued notices by e-mail, at least once, with a stable Message-ID per notice.

``schedule_delivery`` (called right after issue) creates one ``NoticeDelivery``
per distinct address of the enterprise (the facility's contact e-mail and the
enterprise's active users), sets the notice's Message-ID once, and defers the
job ``notices.deliver``. Submissions (TTr) are internal and never delivered.

Each attempt is *claimed* first, in its own committed transaction: the attempt
count goes up, ``next_attempt_at`` moves a lease ahead (so no other run takes
it meanwhile) and a log entry ``started`` is written. The message is then sent
with no transaction open, and the outcome is committed right after the server
answers. A worker that dies between the server's acceptance and that commit
leaves the entry ``started``; once the lease ends the periodic sweep
``notices.deliver_due`` sends again, with the same Message-ID, and the log
shows both attempts (the first one marked ``interrupted``). That window is the
only way a duplicate arises. Temporary failures (4xx, no connection) are tried
again after a growing pause; a permanent one (5xx), or too many attempts,
marks the delivery ``failed`` for the department to see.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app

from app.audit.services import record
from app.auth.models import User
from app.auth.roles import ENTERPRISE
from app.db import utcnow
from app.extensions import db
from app.facilities.models import Facility
from app.jobs.dispatch import defer_job
from app.notices import mail
from app.notices.delivery_content import MissingPdf, notice_content, pdf_attachment
from app.notices.models import DeliveryLogEntry, Notice, NoticeDelivery
from app.settings import services as settings

DELIVER_JOB = "notices.deliver"
SWEEP_JOB = "notices.deliver_due"
NOT_DELIVERED = ("TTr",)
STARTED = "started"
INTERRUPTED = "interrupted"
# Long enough for any SMTP exchange (its timeout is 60 s): a claim older than this was abandoned.
LEASE = timedelta(minutes=10)
# Pause after the n-th failed attempt (the last one repeats).
BACKOFF = tuple(timedelta(minutes=m) for m in (1, 5, 15, 30, 60, 120, 240, 480))
INVALID_ADDRESS = "Địa chỉ e-mail không hợp lệ."
BATCH_LIMIT = 500


def is_delivered(notice: Notice) -> bool:
    """Whether a notice goes to the enterprise at all (every issued type except submissions)."""
    return notice.status == "issued" and notice.document_type not in NOT_DELIVERED


def enterprise_addresses(facility: Facility) -> list[str]:
    """The facility's contact e-mail(s) and its enterprise's active users, each address once (any case)."""
    found = [part for part in re.split(r"[;,\s]+", facility.contact_email or "") if part]
    users = db.session.scalars(
        sa.select(User.email)
        .where(
            User.role == ENTERPRISE,
            User.enterprise_id == facility.enterprise_id,
            User.is_active_account.is_(True),
        )
        .order_by(User.id)
    )
    found.extend(users)
    seen: set[str] = set()
    distinct = []
    for address in found:
        if address.casefold() not in seen:
            seen.add(address.casefold())
            distinct.append(address)
    return distinct


def message_domain() -> str:
    """The right-hand side of our Message-IDs: the sender's domain, else the public URL's host."""
    config = current_app.config
    return (
        mail.domain_of(config.get("MAIL_DEFAULT_SENDER") or "")
        or mail.domain_of(config.get("PUBLIC_BASE_URL") or "")
        or "quantrac.localhost"
    )


def new_message_id(notice: Notice) -> str:
    """``<notice-12.3f9a0c1d2e4b5a69@domain>``: the notice's id and a random part, set once."""
    return f"<notice-{notice.id}.{secrets.token_hex(8)}@{message_domain()}>"


def schedule_delivery(notice: Notice) -> list[NoticeDelivery]:
    """Create the deliveries of an issued notice (none for a submission) and defer the job that sends them."""
    if not is_delivered(notice):
        return []
    if not notice.message_id:
        notice.message_id = new_message_id(notice)
    existing = {
        r.casefold()
        for r in db.session.scalars(
            sa.select(NoticeDelivery.recipient).where(NoticeDelivery.notice_id == notice.id)
        )
    }
    created = []
    for address in enterprise_addresses(notice.facility):
        if address.casefold() in existing:
            continue
        valid = mail.is_address(address)
        delivery = NoticeDelivery(
            notice_id=notice.id,
            recipient=address[:254],
            status="pending" if valid else "failed",
            last_error=None if valid else INVALID_ADDRESS,
        )
        db.session.add(delivery)
        created.append(delivery)
    db.session.flush()
    if any(d.status == "pending" for d in created):
        defer_job(DELIVER_JOB, notice_id=notice.id)
    if created:
        record(
            "notice.delivery_scheduled",
            notice,
            changes={
                "recipients": [None, [d.recipient for d in created]],
                "message_id": [None, notice.message_id],
            },
        )
    return created


@dataclass(frozen=True)
class Attempt:
    """A claimed attempt: what to send, to whom, and where to record the outcome."""

    delivery_id: int
    log_id: int
    recipient: str
    message: EmailMessage | None
    # Set when the attempt failed before any mail server was asked (the PDF is missing).
    result: mail.SendResult | None = None


def due_deliveries(now: datetime, notice_id: int | None = None, limit: int = BATCH_LIMIT) -> list[int]:
    """Ids of pending deliveries whose next attempt is due (of one notice, or all), oldest first."""
    query = sa.select(NoticeDelivery.id).where(
        NoticeDelivery.status == "pending",
        sa.or_(NoticeDelivery.next_attempt_at.is_(None), NoticeDelivery.next_attempt_at <= now),
    )
    if notice_id is not None:
        query = query.where(NoticeDelivery.notice_id == notice_id)
    return list(db.session.scalars(query.order_by(NoticeDelivery.id).limit(limit)))


def claim(delivery_id: int, now: datetime) -> Attempt | None:
    """Take one due delivery for an attempt (None when another run has it or it is done); flushed."""
    taken = db.session.execute(
        sa.update(NoticeDelivery)
        .where(
            NoticeDelivery.id == delivery_id,
            NoticeDelivery.status == "pending",
            sa.or_(NoticeDelivery.next_attempt_at.is_(None), NoticeDelivery.next_attempt_at <= now),
        )
        .values(attempts=NoticeDelivery.attempts + 1, next_attempt_at=now + LEASE)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        return None
    db.session.execute(
        sa.update(DeliveryLogEntry)
        .where(DeliveryLogEntry.delivery_id == delivery_id, DeliveryLogEntry.outcome == STARTED)
        .values(
            outcome=INTERRUPTED, detail="Lần gửi bị gián đoạn trước khi ghi kết quả; thư có thể đã được gửi."
        )
        .execution_options(synchronize_session=False)
    )
    delivery = db.session.get(NoticeDelivery, delivery_id, populate_existing=True)
    notice = delivery.notice
    entry = DeliveryLogEntry(delivery_id=delivery.id, at=now, outcome=STARTED, message_id=notice.message_id)
    db.session.add(entry)
    db.session.flush()
    try:
        message = notice_message(notice, delivery.recipient)
    except MissingPdf as exc:
        return Attempt(
            delivery.id, entry.id, delivery.recipient, None, mail.SendResult(mail.TEMPORARY, str(exc))
        )
    return Attempt(delivery.id, entry.id, delivery.recipient, message)


def notice_message(notice: Notice, recipient: str) -> EmailMessage:
    """The e-mail of a notice to one recipient, its PDF attached, its stable Message-ID."""
    content = notice_content(notice)
    return mail.build_message(
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
        recipients=[recipient],
        subject=content.subject,
        text=content.text,
        html=content.html,
        message_id=notice.message_id,
        attachments=[pdf_attachment(notice)],
    )


def send_attempt(attempt: Attempt) -> mail.SendResult:
    """Send a claimed attempt (no database access: the claim is committed before)."""
    if attempt.result is not None:
        return attempt.result
    config = mail.MailConfig.from_config(current_app.config)
    return mail.send(config, attempt.message, [attempt.recipient])


def pause_after(attempts: int) -> timedelta:
    """How long a delivery waits after its ``attempts``-th failed attempt."""
    return BACKOFF[min(attempts, len(BACKOFF)) - 1]


def record_outcome(attempt: Attempt, result: mail.SendResult, now: datetime) -> NoticeDelivery:
    """Write the server's answer on the attempt's log entry and move the delivery on; flushed."""
    delivery = db.session.get(NoticeDelivery, attempt.delivery_id, populate_existing=True)
    entry = db.session.get(DeliveryLogEntry, attempt.log_id)
    entry.outcome, entry.detail = result.outcome, result.detail
    if result.is_sent:
        delivery.status, delivery.sent_at = "sent", now
        delivery.next_attempt_at, delivery.last_error = None, None
    elif result.outcome == mail.PERMANENT or delivery.attempts >= int(settings.get("delivery.max_attempts")):
        delivery.status, delivery.next_attempt_at, delivery.last_error = "failed", None, result.detail
    else:
        delivery.next_attempt_at, delivery.last_error = now + pause_after(delivery.attempts), result.detail
    db.session.flush()
    return delivery


def deliver_due(
    after_each: Callable[[], None], notice_id: int | None = None, now: datetime | None = None
) -> dict[str, int]:
    """Attempt every due delivery (of one notice, or all), calling ``after_each`` (a commit) around each send."""
    counts = {"sent": 0, "temporary_failure": 0, "permanent_failure": 0, "failed": 0, "skipped": 0}
    for delivery_id in due_deliveries(now or utcnow(), notice_id):
        attempt = claim(delivery_id, now or utcnow())
        after_each()
        if attempt is None:
            counts["skipped"] += 1
            continue
        result = send_attempt(attempt)
        delivery = record_outcome(attempt, result, now or utcnow())
        after_each()
        counts[result.outcome] += 1
        counts["failed"] += delivery.status == "failed"
    return counts


def retry_delivery(delivery: NoticeDelivery) -> NoticeDelivery:
    """Put a failed delivery back in the queue (the department corrected the address or the server)."""
    if delivery.status != "failed" or not mail.is_address(delivery.recipient):
        return delivery
    delivery.status, delivery.next_attempt_at, delivery.attempts = "pending", None, 0
    db.session.flush()
    defer_job(DELIVER_JOB, notice_id=delivery.notice_id)
    record("notice.delivery_retried", delivery, label=f"{delivery.notice} → {delivery.recipient}")
    return delivery
