"""Rules as dated data, and the obligations found for each facility.

A rule version is never edited: a change records a new version. Versions of the
same (regime, kind, clause) carry a legal validity (``valid_from``..``valid_to``,
inclusive) and a ``recorded_at`` time; on a date, the version used is the latest
recorded among those legally valid then. Each regime also has versions of its
own header (kind ``regime``): name, validity and deadline.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import utcnow
from app.extensions import db

RULE_KINDS = ("regime", "wastewater", "emission")
OBLIGATION_STATUSES = ("required", "optional", "not_required")


class RuleVersion(db.Model):
    """One version of one clause of a regime (or of the regime's header)."""

    __tablename__ = "rule_versions"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('regime', 'wastewater', 'emission')", name="kind"),
        sa.CheckConstraint("confidence IN ('confirmed', 'to_verify')", name="confidence"),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from", name="validity"
        ),
        sa.Index("ix_rule_versions_clause", "regime", "kind", "clause", "recorded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    regime: Mapped[str] = mapped_column(sa.String(60))
    kind: Mapped[str] = mapped_column(sa.String(20))
    # "*" for the regime header.
    clause: Mapped[str] = mapped_column(sa.String(40))
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    change_reason: Mapped[str | None] = mapped_column(sa.Text)
    confidence: Mapped[str] = mapped_column(sa.String(20))
    # Who marked it verified, naming the official text read.
    verified_at: Mapped[datetime | None]
    verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    verified_source: Mapped[str | None] = mapped_column(sa.Text)
    # The version this one supersedes (a correction or a new decree), if any.
    supersedes_id: Mapped[int | None] = mapped_column(sa.ForeignKey("rule_versions.id"))

    recorded_by = relationship("User", foreign_keys=[recorded_by_id])
    verified_by = relationship("User", foreign_keys=[verified_by_id])

    def __str__(self) -> str:
        return f"{self.regime} {self.kind} {self.clause} #{self.id}"

    @property
    def is_verified(self) -> bool:
        """True when confirmed by the regulation notes or verified by an administrator."""
        return self.confidence == "confirmed" or self.verified_at is not None


class Obligation(db.Model):
    """What a facility must do under a regime, for one kind, as last evaluated."""

    __tablename__ = "obligations"
    __table_args__ = (
        sa.UniqueConstraint("facility_id", "regime", "kind", name="uq_obligations_facility_regime_kind"),
        sa.CheckConstraint("kind IN ('wastewater', 'emission')", name="kind"),
        sa.CheckConstraint("status IN ('required', 'optional', 'not_required')", name="status"),
        sa.Index("ix_obligations_regime_status", "regime", "kind", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(sa.ForeignKey("facilities.id", ondelete="CASCADE"), index=True)
    regime: Mapped[str] = mapped_column(sa.String(60))
    kind: Mapped[str] = mapped_column(sa.String(20))
    status: Mapped[str] = mapped_column(sa.String(20))
    clauses: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    sources: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    parameters: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    deadline: Mapped[date | None]
    explanation: Mapped[str] = mapped_column(sa.Text, default="")
    # Attributes a rule needed that the facility left blank.
    missing: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    citations: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    # The rule versions (regime header included) this evaluation used.
    rule_version_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    as_of: Mapped[date]
    evaluated_at: Mapped[datetime] = mapped_column(default=utcnow)

    facility = relationship("Facility", backref=sa.orm.backref("obligations", cascade="all, delete-orphan"))
