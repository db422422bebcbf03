"""What the receiver records: data files, readings, line errors, conflicts and the rollups.

Readings are keyed by (station, parameter, measurement time); on PostgreSQL the
table is partitioned by month (migrations and ``telemetry.create_partitions``).
Every figure of metrics.md comes from ``day_rollups``: per (station, parameter,
local day) 288-slot bitmaps of received and valid slots (parameter ``*`` is the
station's "any reading" bitmap) and per-hour sums of valid readings.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import utcnow
from app.extensions import db

ANY_PARAMETER = "*"
FILE_OUTCOMES = ("accepted", "accepted_with_errors", "quarantined")
FORWARD_STATUSES = ("pending", "sent", "failed", "not_applicable")


class DataFile(db.Model):
    """One received data file (duplicates by content are counted, never stored twice)."""

    __tablename__ = "data_files"
    __table_args__ = (
        sa.CheckConstraint("outcome IN ('accepted', 'accepted_with_errors', 'quarantined')", name="outcome"),
        sa.CheckConstraint(
            "forward_status IN ('pending', 'sent', 'failed', 'not_applicable')", name="forward"
        ),
        sa.Index("ix_data_files_station_received", "station_id", "received_at"),
        sa.Index("ix_data_files_outcome", "outcome", "released_at"),
        sa.Index("ix_data_files_forward", "forward_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(sa.String(64), unique=True)
    size: Mapped[int]
    original_name: Mapped[str] = mapped_column(sa.String(500))
    # The content-addressed archive path, relative to the archive root.
    archive_path: Mapped[str] = mapped_column(sa.String(200))
    station_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stations.id"))
    # "admin", "cli:<user>", "ftp:<account>", "http:<station>"
    sender: Mapped[str] = mapped_column(sa.String(120))
    received_at: Mapped[datetime]
    ingested_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str] = mapped_column(sa.String(30))
    # Machine code and readable reason of a quarantine.
    quarantine_code: Mapped[str | None] = mapped_column(sa.String(40))
    quarantine_reason: Mapped[str | None] = mapped_column(sa.Text)
    released_at: Mapped[datetime | None]
    released_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    readings_count: Mapped[int] = mapped_column(default=0)
    line_errors_count: Mapped[int] = mapped_column(default=0)
    conflicts_count: Mapped[int] = mapped_column(default=0)
    # Relay to the Ministry's system.
    forward_status: Mapped[str] = mapped_column(sa.String(20), default="not_applicable")
    forward_attempts: Mapped[int] = mapped_column(default=0)
    forwarded_at: Mapped[datetime | None]
    forward_error: Mapped[str | None] = mapped_column(sa.Text)

    station = relationship("Station")


class LineError(db.Model):
    """An invalid line of a received file (kept with quarantined files too)."""

    __tablename__ = "line_errors"
    __table_args__ = (sa.Index("ix_line_errors_station", "station_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("data_files.id"), index=True)
    station_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stations.id"))
    line_no: Mapped[int]
    code: Mapped[str] = mapped_column(sa.String(40))
    reason: Mapped[str] = mapped_column(sa.String(200))
    detail: Mapped[str | None] = mapped_column(sa.String(300))
    text: Mapped[str | None] = mapped_column(sa.String(200))


class Reading(db.Model):
    """One stored reading; the first one stored for a (station, parameter, time) stands."""

    __tablename__ = "readings"

    # No foreign key (its check per row doubled the cost of writing readings): every
    # reading is written with its station's day rollup, whose foreign key stands guard.
    station_id: Mapped[int] = mapped_column(primary_key=True)
    parameter: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    measured_at: Mapped[datetime] = mapped_column(primary_key=True)
    value: Mapped[Decimal] = mapped_column(sa.Numeric(18, 6))
    # 0 measuring, 1 calibrating, 2 device error (files' 00/01/02).
    status: Mapped[int] = mapped_column(sa.SmallInteger)
    file_id: Mapped[int] = mapped_column(sa.Integer)
    received_at: Mapped[datetime]


class ReadingConflict(db.Model):
    """A reading that contradicts one already stored (the station rewrote its history)."""

    __tablename__ = "reading_conflicts"
    __table_args__ = (sa.Index("ix_reading_conflicts_station", "station_id", "measured_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(sa.ForeignKey("stations.id"))
    parameter: Mapped[str] = mapped_column(sa.String(20))
    measured_at: Mapped[datetime]
    stored_value: Mapped[Decimal] = mapped_column(sa.Numeric(18, 6))
    stored_status: Mapped[int] = mapped_column(sa.SmallInteger)
    new_value: Mapped[Decimal] = mapped_column(sa.Numeric(18, 6))
    new_status: Mapped[int] = mapped_column(sa.SmallInteger)
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("data_files.id"))
    line_no: Mapped[int]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class DayRollup(db.Model):
    """Per (station, parameter or ``*``, local day): slot bitmaps and hourly sums of valid readings."""

    __tablename__ = "day_rollups"
    __table_args__ = (
        # A station's period without walking every day it ever sent (the key leads with parameter).
        sa.Index("ix_day_rollups_station_day", "station_id", "day"),
        # The figures' bitmaps of a (station, parameter)'s days in order, read without the table.
        sa.Index("ix_day_rollups_bitmaps", "station_id", "parameter", "day", "received", "valid"),
    )

    station_id: Mapped[int] = mapped_column(sa.ForeignKey("stations.id"), primary_key=True)
    parameter: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    # 36 bytes each: bit i = the slot starting 5*i minutes after local midnight.
    received: Mapped[bytes] = mapped_column(sa.LargeBinary(36))
    valid: Mapped[bytes] = mapped_column(sa.LargeBinary(36))
    # 24 entries each: sum and count of valid readings per local hour (None for "*").
    hour_sums: Mapped[list[float] | None] = mapped_column(sa.JSON)
    hour_counts: Mapped[list[int] | None] = mapped_column(sa.JSON)


class ParameterAlias(db.Model):
    """A name a station uses for a parameter, added by an administrator (per kind or per station)."""

    __tablename__ = "parameter_aliases"
    __table_args__ = (
        sa.UniqueConstraint("kind", "station_id", "alias_key", name="uq_parameter_aliases_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    station_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stations.id"))
    alias: Mapped[str] = mapped_column(sa.String(60))
    # NFC, case-folded: how names are compared.
    alias_key: Mapped[str] = mapped_column(sa.String(60))
    parameter: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SenderAccount(db.Model):
    """An FTP account or an HTTP upload token, scoped to one facility or one station."""

    __tablename__ = "sender_accounts"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('ftp', 'http')", name="kind"),
        sa.CheckConstraint("(facility_id IS NULL) <> (station_id IS NULL)", name="one_scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    # FTP user name, or the public prefix of an HTTP token.
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    secret_hash: Mapped[str] = mapped_column(sa.String(300))
    facility_id: Mapped[int | None] = mapped_column(sa.ForeignKey("facilities.id"))
    station_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stations.id"))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)


class FacilityLimit(db.Model):
    """A discharge limit written in a facility's environmental permit; it overrides QCVN."""

    __tablename__ = "facility_limits"
    __table_args__ = (
        sa.UniqueConstraint("facility_id", "parameter", name="uq_facility_limits_facility_parameter"),
        sa.CheckConstraint("low IS NOT NULL OR high IS NOT NULL", name="a_bound"),
        sa.CheckConstraint("low IS NULL OR high IS NULL OR low < high", name="low_below_high"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(sa.ForeignKey("facilities.id"))
    parameter: Mapped[str] = mapped_column(sa.String(20))
    # The allowed range: ``low`` for pH-like parameters, ``high`` for concentrations.
    low: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 6))
    high: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 6))
    # The permit's number and date, as written on it.
    permit_reference: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
