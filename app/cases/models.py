"""Cases (hồ sơ theo dõi vi phạm) and the escalation ladder, as tables.

A case is one facility's one kind of breach; it is opened by the daily
compliance sweep, updated with fresh evidence, closed by itself when the breach
clears (or by an inspector with a reason) and reopened when it comes back.
The ladder's steps are effective-dated rows: an edit supersedes a row, never
changes it, and every notice records the step row it was drafted from.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.cases.sweep import KINDS
from app.db import utcnow
from app.extensions import db

BREACH_KINDS = KINDS
CASE_STATUSES = ("open", "closed")
EVENT_KINDS = ("opened", "updated", "closed", "reopened", "notice_issued", "note")
LADDER_DOCUMENT_TYPES = ("CV", "GM", "TB", "TTr")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class LadderStep(db.Model):
    """One step of the escalation ladder, valid from ``valid_from`` until superseded."""

    __tablename__ = "ladder_steps"
    __table_args__ = (
        sa.CheckConstraint(_in("document_type", LADDER_DOCUMENT_TYPES), name="document_type"),
        sa.CheckConstraint("position >= 1", name="position"),
        sa.CheckConstraint("answer_days IS NULL OR answer_days >= 1", name="answer_days"),
        sa.CheckConstraint("wait_days IS NULL OR wait_days >= 1", name="wait_days"),
        sa.Index("ix_ladder_steps_position", "position", "superseded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int]
    document_type: Mapped[str] = mapped_column(sa.String(8))
    name: Mapped[str] = mapped_column(sa.String(200))
    # Wording templates, str.format fields: {facility} {enterprise} {breach} {facts}
    # {legal_basis} {deadline} {answer_days} {previous} {agency} {province}.
    summary_template: Mapped[str] = mapped_column(sa.Text)
    body_template: Mapped[str] = mapped_column(sa.Text)
    request_template: Mapped[str] = mapped_column(sa.Text, default="")
    # Calendar days from the issue date; None: nothing is asked / no step follows.
    answer_days: Mapped[int | None]
    wait_days: Mapped[int | None]
    valid_from: Mapped[datetime] = mapped_column(default=utcnow)
    superseded_at: Mapped[datetime | None]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(sa.Text)

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class Case(db.Model):
    """One facility's one kind of breach, followed up along the ladder."""

    __tablename__ = "cases"
    __table_args__ = (
        sa.CheckConstraint(_in("kind", BREACH_KINDS), name="kind"),
        sa.CheckConstraint(_in("status", CASE_STATUSES), name="status"),
        sa.CheckConstraint("step >= 0", name="step"),
        sa.UniqueConstraint("facility_id", "kind", name="uq_cases_facility_kind"),
        sa.Index("ix_cases_status_kind", "status", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(sa.ForeignKey("facilities.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    status: Mapped[str] = mapped_column(sa.String(10), default="open")
    # The evidence behind the breach at the last check: plain JSON (figures, station codes ...).
    evidence: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # The rule versions the breach was judged against (obligation clauses).
    rule_version_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_checked_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    close_reason: Mapped[str | None] = mapped_column(sa.Text)
    times_reopened: Mapped[int] = mapped_column(default=0)
    # The highest ladder position issued so far (0: none) and when (local date).
    step: Mapped[int] = mapped_column(default=0)
    step_issued_on: Mapped[date | None]
    inspector_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    facility = relationship("Facility", backref="cases")
    events = relationship("CaseEvent", back_populates="case", order_by="CaseEvent.id")
    inspector = relationship("User", foreign_keys=[inspector_id])
    closed_by = relationship("User", foreign_keys=[closed_by_id])

    def __str__(self) -> str:
        return f"#{self.id} {self.kind}"


class CaseEvent(db.Model):
    """A step in a case's history, with the evidence at that moment: append-only."""

    __tablename__ = "case_events"
    __table_args__ = (sa.CheckConstraint(_in("kind", EVENT_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    evidence: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    text: Mapped[str | None] = mapped_column(sa.Text)
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    notice_id: Mapped[int | None] = mapped_column(sa.ForeignKey("notices.id"))

    case = relationship("Case", back_populates="events")
    by = relationship("User")
