"""Stations (trạm quan trắc tự động)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import utcnow
from app.extensions import db

STATION_KINDS = ("wastewater", "emission", "ambient")


class Station(db.Model):
    """An automatic station; its code is the one in its data files' names."""

    __tablename__ = "stations"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('wastewater', 'emission', 'ambient')", name="kind"),
        sa.CheckConstraint("(facility_id IS NOT NULL) OR kind = 'ambient'", name="facility_unless_ambient"),
        sa.CheckConstraint("code_key = lower(code)", name="code_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40))
    # Codes are unique compared case-insensitively.
    code_key: Mapped[str] = mapped_column(sa.String(40), unique=True)
    facility_id: Mapped[int | None] = mapped_column(sa.ForeignKey("facilities.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    parameters: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    source_id: Mapped[int | None] = mapped_column(sa.ForeignKey("emission_sources.id"))
    # Set: the installation is declared and verified.
    installed_at: Mapped[date | None]
    # Set: the connection is declared and verified; data is expected from then on.
    data_expected_from: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    facility = relationship("Facility", backref="stations")
    source = relationship("EmissionSource")

    def __str__(self) -> str:
        return self.code
