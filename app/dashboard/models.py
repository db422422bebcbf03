"""Monthly snapshots of each facility's compliance: the history the dashboard's month-by-month figures read.

Live state cannot say what was installed, connected or receiving at the end of a past
month, nor keep a closed month's completeness once late files change it; a snapshot
row per facility and month keeps it, computed by ``app.dashboard.snapshots`` from the
functions every other page uses (stored obligations, coverage, derived status, the
completeness of ``flask telemetry completeness``, exceedance hours).
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import utcnow
from app.extensions import db


class FacilityMonth(db.Model):
    """One facility in one calendar month: obligation, station state at the month's end, completeness."""

    __tablename__ = "facility_months"
    __table_args__ = (
        sa.UniqueConstraint("facility_id", "month", name="facility_month"),
        sa.Index("ix_facility_months_month", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(sa.ForeignKey("facilities.id", ondelete="CASCADE"))
    # The first day of the month.
    month: Mapped[date]
    commune: Mapped[str | None] = mapped_column(sa.String(120))
    # The former district (huyện) before the 2025 reorganisation, where recorded.
    district: Mapped[str | None] = mapped_column(sa.String(120))
    industry: Mapped[str | None] = mapped_column(sa.String(60))
    is_obliged: Mapped[bool] = mapped_column(default=False)
    # Every station serving an obligation is (and there is at least one), at ``observed_at``.
    is_installed: Mapped[bool] = mapped_column(default=False)
    is_connected: Mapped[bool] = mapped_column(default=False)
    is_receiving: Mapped[bool] = mapped_column(default=False)
    serving_stations: Mapped[int] = mapped_column(default=0)
    # The weakest serving station's effective rate of the month (None: no figure).
    raw_rate: Mapped[float | None] = mapped_column(sa.Float)
    excused_rate: Mapped[float | None] = mapped_column(sa.Float)
    exceedance_hours: Mapped[int] = mapped_column(default=0)
    # The moment the state was observed: the month's end, or the refresh for the month in progress.
    observed_at: Mapped[datetime]
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
