"""Enterprises and facilities."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import utcnow
from app.extensions import db


class Enterprise(db.Model):
    """A legal entity (doanh nghiệp) owning one or more facilities."""

    __tablename__ = "enterprises"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    tax_code: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    address: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    facilities = relationship("Facility", back_populates="enterprise", order_by="Facility.code")

    def __str__(self) -> str:
        return self.name


class Facility(db.Model):
    """A site that discharges wastewater or emissions (cơ sở)."""

    __tablename__ = "facilities"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    enterprise_id: Mapped[int] = mapped_column(sa.ForeignKey("enterprises.id"), index=True)
    commune: Mapped[str | None] = mapped_column(sa.String(120), index=True)
    # The former district (before 1 July 2025), kept for history only.
    district: Mapped[str | None] = mapped_column(sa.String(120))
    address: Mapped[str | None] = mapped_column(sa.String(500))
    industrial_park: Mapped[str | None] = mapped_column(sa.String(200))
    industry_type: Mapped[str | None] = mapped_column(sa.String(60), index=True)
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    enterprise = relationship("Enterprise", back_populates="facilities", lazy="joined")

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"
