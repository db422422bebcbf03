"""An inspection of a facility (kiểm tra) and the requests its minutes make.

States: planned (scheduled, its record editable) -> finalising (the record frozen,
the minutes being rendered by a job) -> finalised (numbered in the BB register, PDF
stored once with its SHA-256, never changed again); a planned inspection can be
cancelled with a reason. ``facts`` is the snapshot of the system's facts printed in
the minutes, taken when the inspector finalises; ``risk`` the score parts shown when
the inspection was scheduled, kept so the choice can be defended later.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import utcnow
from app.extensions import db

STATUSES = ("planned", "finalising", "finalised", "cancelled")
REQUEST_STATUSES = ("open", "done")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Inspection(db.Model):
    """One inspection: legal basis, team, date and place, the period checked, findings and minutes."""

    __tablename__ = "inspections"
    __table_args__ = (
        sa.CheckConstraint(_in("status", STATUSES), name="status"),
        sa.CheckConstraint("period_from <= period_to", name="period"),
        sa.CheckConstraint(
            "status <> 'finalised' OR (number IS NOT NULL AND pdf_sha256 IS NOT NULL)", name="finalised"
        ),
        sa.UniqueConstraint("year", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(sa.ForeignKey("facilities.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(12), default="planned")
    decision_number: Mapped[str] = mapped_column(sa.String(120))
    decision_date: Mapped[date]
    inspected_on: Mapped[date]
    place: Mapped[str] = mapped_column(sa.String(500))
    # [{"name": ..., "title": ...}], the leader of the team first.
    team: Mapped[list[dict[str, str]]] = mapped_column(sa.JSON, default=list)
    representatives: Mapped[list[dict[str, str]]] = mapped_column(sa.JSON, default=list)
    period_from: Mapped[date]
    period_to: Mapped[date]
    findings: Mapped[str] = mapped_column(sa.Text, default="")
    opinion: Mapped[str] = mapped_column(sa.Text, default="")
    copies: Mapped[int] = mapped_column(default=2)
    risk: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    facts: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    number: Mapped[int | None]
    year: Mapped[int | None]
    number_text: Mapped[str | None] = mapped_column(sa.String(80))
    pdf_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    pdf_path: Mapped[str | None] = mapped_column(sa.String(300))
    # The public verification page of the minutes (/v/<token>), the notices' mechanism.
    verify_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    finalised_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    facility = relationship("Facility")
    requests = relationship("InspectionRequest", order_by="InspectionRequest.id", back_populates="inspection")

    @property
    def is_editable(self) -> bool:
        """Only a planned inspection's record may change."""
        return self.status == "planned"

    def __str__(self) -> str:
        return self.number_text or f"#{self.id}"


class InspectionRequest(db.Model):
    """A request of the minutes with its deadline, tracked until done."""

    __tablename__ = "inspection_requests"
    __table_args__ = (sa.CheckConstraint(_in("status", REQUEST_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("inspections.id"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    due_on: Mapped[date]
    status: Mapped[str] = mapped_column(sa.String(8), default="open")
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    inspection = relationship("Inspection", back_populates="requests")

    def is_overdue(self, today: date) -> bool:
        """Open past its deadline."""
        return self.status == "open" and self.due_on < today
