"""The province's receipt at a glance: what arrived in the last hour and which stations are silent.

Stations **expected** to send now are those whose derived status is ``receiving``,
``lost`` or ``awaiting_data`` (connection declared, serving an obligation, not
suspended: metrics.md, "Connection status"). A station **reports** when a file of it
was received in the last hour and stored readings (accepted, with errors or not).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.stations.models import Station
from app.stations.services import Observed, observe
from app.telemetry.models import FILE_OUTCOMES, DataFile
from app.telemetry.status import ConnectionStatus

EXPECTED = (ConnectionStatus.RECEIVING, ConnectionStatus.LOST, ConnectionStatus.AWAITING_DATA)
WINDOW = timedelta(hours=1)
SILENT_LISTED = 20


@dataclass
class LastHour:
    """What arrived since ``since``: files by outcome, readings, and the stations that reported."""

    since: datetime
    files: dict[str, int] = field(default_factory=dict)
    readings: int = 0
    line_errors: int = 0
    expected: int = 0
    reporting: int = 0
    others_reporting: int = 0

    @property
    def files_total(self) -> int:
        """Files received in the hour, whatever their outcome."""
        return sum(self.files.values())


@dataclass
class Overview:
    """The overview page's content."""

    now: datetime
    last_hour: LastHour
    silent: list[Observed]
    quarantined: int


def _reporting_station_ids(since: datetime) -> set[int]:
    rows = db.session.scalars(
        sa.select(DataFile.station_id)
        .where(
            DataFile.received_at >= since,
            DataFile.station_id.is_not(None),
            DataFile.outcome.in_(("accepted", "accepted_with_errors")),
        )
        .distinct()
    )
    return set(rows)


def last_hour(now: datetime, expected_ids: set[int]) -> LastHour:
    """Files, readings and reporting stations of the hour before ``now``."""
    since = now - WINDOW
    found = LastHour(since=since, files=dict.fromkeys(FILE_OUTCOMES, 0))
    rows = db.session.execute(
        sa.select(
            DataFile.outcome,
            sa.func.count(DataFile.id),
            sa.func.coalesce(sa.func.sum(DataFile.readings_count), 0),
            sa.func.coalesce(sa.func.sum(DataFile.line_errors_count), 0),
        )
        .where(DataFile.received_at >= since)
        .group_by(DataFile.outcome)
    )
    for outcome, count, readings, errors in rows:
        found.files[outcome] = int(count)
        found.readings += int(readings)
        found.line_errors += int(errors)
    reporting = _reporting_station_ids(since)
    found.expected = len(expected_ids)
    found.reporting = len(reporting & expected_ids)
    found.others_reporting = len(reporting - expected_ids)
    return found


def _silence_key(seen: Observed) -> tuple[int, datetime]:
    station = seen.station
    if station.last_reading_at is None:
        return 0, station.data_expected_from or station.created_at
    return 1, station.last_reading_at


def receipt_overview(now: datetime) -> Overview:
    """The last hour's arrivals, the expected stations silent for longest, the quarantine's size."""
    stations = list(db.session.scalars(sa.select(Station).options(joinedload(Station.facility))))
    observed = observe(stations, now)
    expected = [seen for seen in observed.values() if seen.state.status in EXPECTED]
    silent = sorted(expected, key=_silence_key)[:SILENT_LISTED]
    quarantined = db.session.scalar(
        sa.select(sa.func.count(DataFile.id)).where(DataFile.outcome == "quarantined")
    )
    return Overview(
        now=now,
        last_hour=last_hour(now, {seen.station.id for seen in expected}),
        silent=silent,
        quarantined=int(quarantined or 0),
    )
