"""The VN_AQI rule data, kept as effective-dated versions (superseded, never edited)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import utcnow
from app.extensions import db


class AqiRuleVersion(db.Model):
    """One version of the VN_AQI data: breakpoints, bands, NowCast and sufficiency rules."""

    __tablename__ = "aqi_rule_versions"
    __table_args__ = (
        sa.CheckConstraint("confidence IN ('confirmed', 'to_verify')", name="confidence"),
        sa.CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="validity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The content of app.public.aqi_data.seed_aqi.
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]
    # The text the values come from, and whether they were checked against it.
    source: Mapped[str] = mapped_column(sa.Text)
    confidence: Mapped[str] = mapped_column(sa.String(20))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    change_reason: Mapped[str | None] = mapped_column(sa.Text)
    supersedes_id: Mapped[int | None] = mapped_column(sa.ForeignKey("aqi_rule_versions.id"))

    @property
    def is_verified(self) -> bool:
        """True when the values were checked against the decision's annex."""
        return self.confidence == "confirmed"
