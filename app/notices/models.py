"""Official notices (văn bản), their register numbers, delivery, receipts and answers.

States: draft -> submitted -> approved -> issued, or cancelled before issue
(workflow.md, "Notices"). Issue has two steps: the register number is reserved
on the approved notice in a short transaction (``register_counters``, one row
per register and year, taken under a row lock), then the PDF is rendered with
it and the notice becomes issued. A reserved notice (approved, with a number)
is always issued, by a retry or the sweeper, with the same number: numbers are
unique and gapless. From reservation on, the printed columns never change
(only the PDF's hash and path, and the status to issued, are still set); once
issued, nothing of the content changes. The services refuse it,
``app.notices.guard`` refuses any flush that tries, and so do the database triggers.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import utcnow
from app.extensions import db

NOTICE_STATUSES = ("draft", "submitted", "approved", "issued", "cancelled")
DOCUMENT_TYPES = ("CV", "GM", "TB", "TTr", "BB", "BC")
DELIVERY_STATUSES = ("pending", "sent", "failed")
RECEIPT_KINDS = ("opened", "acknowledged")
REMINDER_KINDS = ("answer_due", "step_due")

# What an issued notice may never change (everything printed or proving what was printed).
CONTENT_COLUMNS = (
    "document_type",
    "register",
    "summary",
    "addressee",
    "body",
    "facts",
    "legal_basis",
    "requests",
    "copies_to",
    "answer_due_on",
    "number",
    "year",
    "number_text",
    "issued_on",
    "issued_at",
    "issued_by_id",
    "pdf_sha256",
    "pdf_path",
    "verify_token",
    "facility_id",
    "case_id",
    "ladder_step_id",
    "supersedes_id",
    "signer_name",
    "signer_title",
    "signer_authority",
    "site_url",
)
# What finishing the issue of a reserved notice still sets (with the status, to "issued").
FINISHED_COLUMNS = ("pdf_sha256", "pdf_path")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class RegisterCounter(db.Model):
    """The last number given in a register (CV, GM, TB, ...) in a calendar year."""

    __tablename__ = "register_counters"

    register: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


class Notice(db.Model):
    """One document to an enterprise (or, a submission, to the leadership)."""

    __tablename__ = "notices"
    __table_args__ = (
        sa.CheckConstraint(_in("status", NOTICE_STATUSES), name="status"),
        sa.CheckConstraint(_in("document_type", DOCUMENT_TYPES), name="document_type"),
        sa.CheckConstraint(
            "status <> 'issued' OR (number IS NOT NULL AND issued_on IS NOT NULL AND pdf_sha256 IS NOT NULL)",
            name="issued_complete",
        ),
        sa.UniqueConstraint("register", "year", "number", name="uq_notices_register_year_number"),
        sa.Index("ix_notices_status", "status", "issued_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    facility_id: Mapped[int] = mapped_column(sa.ForeignKey("facilities.id"), index=True)
    ladder_step_id: Mapped[int | None] = mapped_column(sa.ForeignKey("ladder_steps.id"))
    # The ladder position at drafting (0 when not drafted from a step).
    step_position: Mapped[int] = mapped_column(default=0)
    document_type: Mapped[str] = mapped_column(sa.String(8))
    register: Mapped[str] = mapped_column(sa.String(8))
    status: Mapped[str] = mapped_column(sa.String(12), default="draft")
    summary: Mapped[str] = mapped_column(sa.Text)
    addressee: Mapped[str] = mapped_column(sa.Text, default="")
    # Editable text of the body: paragraphs separated by blank lines.
    body: Mapped[str] = mapped_column(sa.Text, default="")
    # The data behind the breach: {"caption": str, "header": [...], "rows": [[...]]} or {}.
    facts: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    legal_basis: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    requests: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    copies_to: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # Rule versions the notice rests on: none may be marked "to verify" at issue.
    rule_version_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    answer_due_on: Mapped[date | None]
    signer_name: Mapped[str | None] = mapped_column(sa.String(200))
    signer_title: Mapped[str | None] = mapped_column(sa.String(200))
    signer_authority: Mapped[str | None] = mapped_column(sa.String(200))
    # Issue: number in its register and year, the local issue date, the PDF's hash and file.
    number: Mapped[int | None]
    year: Mapped[int | None]
    number_text: Mapped[str | None] = mapped_column(sa.String(80))
    issued_on: Mapped[date | None]
    issued_at: Mapped[datetime | None]
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    pdf_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    # Relative to the instance folder.
    pdf_path: Mapped[str | None] = mapped_column(sa.String(300))
    # The site the verification link printed on the PDF points to (set when the number is reserved).
    site_url: Mapped[str | None] = mapped_column(sa.String(300))
    # Unguessable token of the public verification page (set when drafted).
    verify_token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # Stable Message-ID of every e-mail carrying this notice.
    message_id: Mapped[str | None] = mapped_column(sa.String(200))
    supersedes_id: Mapped[int | None] = mapped_column(sa.ForeignKey("notices.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    returned_reason: Mapped[str | None] = mapped_column(sa.Text)
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(sa.Text)

    case = relationship("Case", backref="notices")
    facility = relationship("Facility")
    ladder_step = relationship("LadderStep")
    supersedes = relationship("Notice", remote_side=[id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    issued_by = relationship("User", foreign_keys=[issued_by_id])
    approved_by = relationship("User", foreign_keys=[approved_by_id])

    def __str__(self) -> str:
        return self.number_text or f"{self.document_type} #{self.id}"

    @property
    def is_reserved(self) -> bool:
        """Approved with its register number reserved: its issue is being finished."""
        return self.status == "approved" and self.number is not None


class NoticeDelivery(db.Model):
    """An e-mail of an issued notice to one address; retried by a job until sent or failed."""

    __tablename__ = "notice_deliveries"
    __table_args__ = (
        sa.CheckConstraint(_in("status", DELIVERY_STATUSES), name="status"),
        sa.UniqueConstraint("notice_id", "recipient", name="uq_notice_deliveries_notice_recipient"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(sa.ForeignKey("notices.id"), index=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    notice = relationship("Notice", backref="deliveries")
    log = relationship("DeliveryLogEntry", back_populates="delivery", order_by="DeliveryLogEntry.id")


class DeliveryLogEntry(db.Model):
    """One attempt to send a delivery: when, the outcome, and the mail server's answer."""

    __tablename__ = "delivery_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(sa.ForeignKey("notice_deliveries.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str] = mapped_column(sa.String(20))
    detail: Mapped[str | None] = mapped_column(sa.Text)
    message_id: Mapped[str | None] = mapped_column(sa.String(200))

    delivery = relationship("NoticeDelivery", back_populates="log")


class NoticeReceipt(db.Model):
    """An enterprise user opened or acknowledged an issued notice."""

    __tablename__ = "notice_receipts"
    __table_args__ = (
        sa.CheckConstraint(_in("kind", RECEIPT_KINDS), name="kind"),
        # Opened once per user, acknowledged once per notice, even when two requests arrive together.
        sa.Index(
            "uq_notice_receipts_opened",
            "notice_id",
            "user_id",
            unique=True,
            sqlite_where=sa.text("kind = 'opened'"),
            postgresql_where=sa.text("kind = 'opened'"),
        ),
        sa.Index(
            "uq_notice_receipts_acknowledged",
            "notice_id",
            unique=True,
            sqlite_where=sa.text("kind = 'acknowledged'"),
            postgresql_where=sa.text("kind = 'acknowledged'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(sa.ForeignKey("notices.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    notice = relationship("Notice", backref="receipts")
    user = relationship("User")


class NoticeAnswer(db.Model):
    """An enterprise's answer to a notice; attachments are evidence files of object type "notice_answers"."""

    __tablename__ = "notice_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(sa.ForeignKey("notices.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    notice = relationship("Notice", backref="answers")
    author = relationship("User")


class Reminder(db.Model):
    """A deadline to remind of, swept by a periodic job: losing the scheduler only delays it."""

    __tablename__ = "reminders"
    __table_args__ = (
        sa.CheckConstraint(_in("kind", REMINDER_KINDS), name="kind"),
        sa.UniqueConstraint("notice_id", "kind", name="uq_reminders_notice_kind"),
        sa.Index("ix_reminders_due", "sent_at", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    notice_id: Mapped[int] = mapped_column(sa.ForeignKey("notices.id"))
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"))
    due_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(sa.Text)

    notice = relationship("Notice")
    case = relationship("Case")
