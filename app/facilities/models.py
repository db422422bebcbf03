"""Enterprises and facilities."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

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
    production_capacity_t_year: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 3))
    # The attributes the rules read (regulation.md), booleans false unless set.
    pollution_risk_type: Mapped[bool] = mapped_column(default=False)
    central_wwtp: Mapped[bool] = mapped_column(default=False)
    central_wwtp_cluster: Mapped[bool] = mapped_column(default=False)
    in_industrial_park: Mapped[bool] = mapped_column(default=False)
    exempt_from_connection: Mapped[bool] = mapped_column(default=False)
    connected_to_central_wwtp: Mapped[bool] = mapped_column(default=False)
    hazardous_waste_treatment: Mapped[bool] = mapped_column(default=False)
    solid_waste_treatment_provincial: Mapped[bool] = mapped_column(default=False)
    imported_scrap: Mapped[bool] = mapped_column(default=False)
    eia_required: Mapped[bool] = mapped_column(default=False)
    repeat_wastewater_violator: Mapped[bool] = mapped_column(default=False)
    ppc_designated: Mapped[bool] = mapped_column(default=False)
    aquaculture: Mapped[bool] = mapped_column(default=False)
    wastewater_flow_m3_day: Mapped[Decimal] = mapped_column(sa.Numeric(14, 3), default=0)
    extra_parameters: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    operation_start_date: Mapped[date | None]
    obligation_deadline: Mapped[date | None]
    # Inputs of computed limits (regulation.md, "Limits").
    qcvn_column: Mapped[str | None] = mapped_column(sa.String(1))
    kq: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 3))
    kf: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 3))
    kp: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 3))
    kv: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 3))
    # For an ``optional`` obligation: the facility's recorded choice, automatic or periodic.
    wastewater_monitoring_choice: Mapped[str | None] = mapped_column(sa.String(20))
    emission_monitoring_choice: Mapped[str | None] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    enterprise = relationship("Enterprise", back_populates="facilities", lazy="joined")
    sources = relationship(
        "EmissionSource", back_populates="facility", order_by="EmissionSource.code", cascade="all"
    )

    __table_args__ = (
        sa.CheckConstraint("wastewater_flow_m3_day >= 0", name="flow_not_negative"),
        sa.CheckConstraint("qcvn_column IS NULL OR qcvn_column IN ('A', 'B')", name="qcvn_column"),
        sa.CheckConstraint(
            "wastewater_monitoring_choice IS NULL OR wastewater_monitoring_choice IN ('automatic', 'periodic')",
            name="wastewater_choice",
        ),
        sa.CheckConstraint(
            "emission_monitoring_choice IS NULL OR emission_monitoring_choice IN ('automatic', 'periodic')",
            name="emission_choice",
        ),
        sa.CheckConstraint("NOT exempt_from_connection OR in_industrial_park", name="exempt_needs_park"),
        sa.CheckConstraint(
            "NOT connected_to_central_wwtp OR NOT (exempt_from_connection OR central_wwtp OR central_wwtp_cluster)",
            name="connected_contradiction",
        ),
    )

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def attributes(self) -> dict[str, Any]:
        """The facility as the evaluator reads it (plain values, import-format keys)."""
        values = {key: getattr(self, key) for key in RULE_ATTRIBUTES}
        for key in ("production_capacity_t_year", "wastewater_flow_m3_day"):
            values[key] = None if values[key] is None else float(values[key])
        values["extra_parameters"] = list(self.extra_parameters or [])
        values["facility_code"] = self.code
        return values


class EmissionSource(db.Model):
    """A stack or process whose emissions a rule may require to be monitored (nguồn thải)."""

    __tablename__ = "emission_sources"
    __table_args__ = (sa.CheckConstraint("flow_m3_h IS NULL OR flow_m3_h >= 0", name="flow_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    facility_id: Mapped[int] = mapped_column(sa.ForeignKey("facilities.id"), index=True)
    source_kind: Mapped[str] = mapped_column(sa.String(40))
    fuel: Mapped[str | None] = mapped_column(sa.String(120))
    capacity: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 3))
    capacity_unit: Mapped[str | None] = mapped_column(sa.String(20))
    flow_m3_h: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 3))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    facility = relationship("Facility", back_populates="sources")

    def __str__(self) -> str:
        return self.code

    def attributes(self) -> dict[str, Any]:
        """The source as the evaluator reads it."""
        return {
            "source_code": self.code,
            "source_kind": self.source_kind,
            "fuel": self.fuel,
            "capacity": None if self.capacity is None else float(self.capacity),
            "capacity_unit": self.capacity_unit,
            "flow_m3_h": None if self.flow_m3_h is None else float(self.flow_m3_h),
        }


BOOLEAN_ATTRIBUTES = (
    "pollution_risk_type",
    "central_wwtp",
    "central_wwtp_cluster",
    "in_industrial_park",
    "exempt_from_connection",
    "connected_to_central_wwtp",
    "hazardous_waste_treatment",
    "solid_waste_treatment_provincial",
    "imported_scrap",
    "eia_required",
    "repeat_wastewater_violator",
    "ppc_designated",
    "aquaculture",
)
RULE_ATTRIBUTES = (
    "industry_type",
    "production_capacity_t_year",
    *BOOLEAN_ATTRIBUTES,
    "wastewater_flow_m3_day",
    "extra_parameters",
    "operation_start_date",
    "obligation_deadline",
)
