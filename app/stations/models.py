"""Stations (trạm quan trắc tự động)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

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
    name: Mapped[str | None] = mapped_column(sa.String(200))
    has_camera: Mapped[bool] = mapped_column(default=False)
    has_sampler: Mapped[bool] = mapped_column(default=False)
    datalogger_make: Mapped[str | None] = mapped_column(sa.String(120))
    datalogger_ip: Mapped[str | None] = mapped_column(sa.String(64))
    # Kept by the receiver: the latest measurement time stored, and the last file's receipt.
    last_reading_at: Mapped[datetime | None]
    last_file_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    facility = relationship("Facility", backref="stations")
    source = relationship("EmissionSource")
    certificates = relationship(
        "StationCertificate", back_populates="station", order_by="StationCertificate.expires_on"
    )

    def __str__(self) -> str:
        return self.code


class StationCertificate(db.Model):
    """A calibration or inspection certificate of a station, with its expiry."""

    __tablename__ = "station_certificates"
    __table_args__ = (sa.CheckConstraint("kind IN ('calibration', 'inspection')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(sa.ForeignKey("stations.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    number: Mapped[str | None] = mapped_column(sa.String(120))
    issued_on: Mapped[date | None]
    expires_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    station = relationship("Station", back_populates="certificates")


class EvidenceFile(db.Model):
    """An uploaded PDF or image, stored under the instance folder by content hash."""

    __tablename__ = "evidence_files"
    __table_args__ = (sa.Index("ix_evidence_files_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    size: Mapped[int]
    mime_type: Mapped[str] = mapped_column(sa.String(80))
    original_name: Mapped[str] = mapped_column(sa.String(255))
    # The enterprise whose evidence it is (None: the department's own).
    enterprise_id: Mapped[int | None] = mapped_column(sa.ForeignKey("enterprises.id"), index=True)
    # What it is evidence for: "declarations", "excuse_windows", "station_certificates", ...
    object_type: Mapped[str | None] = mapped_column(sa.String(60))
    object_id: Mapped[int | None]
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Declaration(db.Model):
    """An enterprise's declaration of a station's installation or connection, awaiting verification."""

    __tablename__ = "declarations"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('installation', 'connection')", name="kind"),
        sa.CheckConstraint("status IN ('pending', 'verified', 'rejected')", name="status"),
        sa.Index("ix_declarations_status", "status", "declared_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(sa.ForeignKey("stations.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    status: Mapped[str] = mapped_column(sa.String(20), default="pending")
    # installation: installed_on, parameters, has_camera, has_sampler, datalogger_make, note;
    # connection: connected_since (ISO local date-time), datalogger_ip, note.
    values: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    declared_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    declared_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)

    station = relationship("Station")
    declared_by = relationship("User", foreign_keys=[declared_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])


class ExcuseWindow(db.Model):
    """A maintenance window, incident or suspension; once approved its slots are excused."""

    __tablename__ = "excuse_windows"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('maintenance', 'incident', 'suspension')", name="kind"),
        sa.CheckConstraint("status IN ('pending', 'approved', 'rejected', 'cancelled')", name="status"),
        sa.CheckConstraint("expected_end_at > starts_at", name="expected_after_start"),
        sa.CheckConstraint("ends_at IS NULL OR ends_at > starts_at", name="end_after_start"),
        sa.Index("ix_excuse_windows_station_status", "station_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(sa.ForeignKey("stations.id"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    status: Mapped[str] = mapped_column(sa.String(20), default="pending")
    starts_at: Mapped[datetime]
    expected_end_at: Mapped[datetime]
    # The actual end, recorded by the inspector when approving or closing (metrics.md).
    ends_at: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(sa.Text)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)

    station = relationship("Station")

    @property
    def excused_until(self) -> datetime:
        """The end of the excused stretch: the actual end once known, else the expected end."""
        return self.ends_at or self.expected_end_at


class StationStatusChange(db.Model):
    """One step of a station's connection-status timeline (derived, recorded when it changes)."""

    __tablename__ = "station_status_changes"
    __table_args__ = (sa.Index("ix_station_status_changes_station", "station_id", "since"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(sa.ForeignKey("stations.id"))
    status: Mapped[str] = mapped_column(sa.String(20))
    since: Mapped[datetime]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
