"""Helpers of the ingest tests: stations, data files, and the ``flask telemetry`` commands."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa

from app.extensions import db
from app.facilities.models import Enterprise, Facility
from app.stations.models import Station
from app.telemetry.models import DataFile, DayRollup, LineError, Reading, ReadingConflict
from app.telemetry.slots import LOCAL_TZ

DAY = date(2026, 1, 15)
CONTRACT_KEYS = [
    "files",
    "accepted",
    "accepted_with_errors",
    "duplicates",
    "quarantined",
    "readings",
    "line_errors",
    "conflicts",
]


def at(hour: int, minute: int = 0, second: int = 0, day: date = DAY) -> datetime:
    """Return a local moment of the test day."""
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=LOCAL_TZ)


def stamp(moment: datetime) -> str:
    """Return the 14-digit local time of a file name or a line."""
    return moment.astimezone(LOCAL_TZ).strftime("%Y%m%d%H%M%S")


def line(name: str, value: str, moment: datetime, status: str = "00", unit: str = "mg/L") -> str:
    """Return one data line (TAB-separated)."""
    return f"{name}\t{value}\t{unit}\t{stamp(moment)}\t{status}"


def write(folder: Path, name: str | bytes, lines: Iterable[str] | bytes) -> Path:
    """Write a data file (lines joined with CRLF, or raw bytes) and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    data = lines if isinstance(lines, bytes) else "".join(f"{text}\r\n" for text in lines).encode()
    path = folder / (os.fsdecode(name) if isinstance(name, bytes) else name)
    path.write_bytes(data)
    return path


def file_name(code: str, moment: datetime, province: str = "HG", facility: str = "NMGIAY") -> str:
    """Return the common layout's name of a station's file."""
    return f"{province}_{facility}_{code}_{stamp(moment)}.txt"


def run(app, *args: str):
    """Run ``flask telemetry ARGS`` and return click's result."""
    return app.test_cli_runner().invoke(args=["telemetry", *map(str, args)])


def ingest(app, *paths) -> dict:
    """Run ``flask telemetry ingest PATHS --json``; check it ran and its counts add up."""
    result = run(app, "ingest", *paths, "--json")
    assert result.exit_code == 0, (result.output, result.stderr)
    report = json.loads(result.stdout)
    assert list(report) == CONTRACT_KEYS
    outcomes = ("accepted", "accepted_with_errors", "duplicates", "quarantined")
    assert report["files"] == sum(report[key] for key in outcomes)
    return report


def completeness(app, *args: str) -> dict:
    """Run ``flask telemetry completeness ARGS --json`` and return its JSON."""
    result = run(app, "completeness", *args, "--json")
    assert result.exit_code == 0, (result.output, result.stderr)
    return json.loads(result.stdout)


def readings(station: Station | None = None) -> list[Reading]:
    """Stored readings (of a station), by parameter and time."""
    query = sa.select(Reading).order_by(Reading.station_id, Reading.parameter, Reading.measured_at)
    if station is not None:
        query = query.where(Reading.station_id == station.id)
    return list(db.session.scalars(query))


def files(outcome: str | None = None) -> list[DataFile]:
    """Recorded files (of an outcome), in order of recording."""
    query = sa.select(DataFile).order_by(DataFile.id)
    if outcome is not None:
        query = query.where(DataFile.outcome == outcome)
    return list(db.session.scalars(query))


def conflicts() -> list[ReadingConflict]:
    """Recorded conflicts, in order of recording."""
    return list(db.session.scalars(sa.select(ReadingConflict).order_by(ReadingConflict.id)))


def line_errors(data_file: DataFile) -> list[LineError]:
    """The line errors kept with a file."""
    query = sa.select(LineError).where(LineError.file_id == data_file.id).order_by(LineError.line_no)
    return list(db.session.scalars(query))


def rollups(station: Station) -> dict[tuple[str, date], DayRollup]:
    """A station's rollups by (parameter, day)."""
    query = sa.select(DayRollup).where(DayRollup.station_id == station.id)
    return {(row.parameter, row.day): row for row in db.session.scalars(query)}


def new_station(code: str = "NT1", kind: str = "wastewater", **values) -> Station:
    """Create a station (wastewater by default, of a new facility unless ambient)."""
    facility_id = None
    if kind != "ambient":
        enterprise = Enterprise(name=f"Công ty {uuid.uuid4().hex[:6]}")
        db.session.add(enterprise)
        db.session.flush()
        facility = Facility(
            code=f"F{uuid.uuid4().hex[:6].upper()}", name="Nhà máy", enterprise_id=enterprise.id
        )
        db.session.add(facility)
        db.session.flush()
        facility_id = facility.id
    station = Station(
        code=code,
        code_key=code.lower(),
        kind=kind,
        facility_id=facility_id,
        parameters=values.pop("parameters", ["pH", "TSS", "COD"]),
        **values,
    )
    db.session.add(station)
    db.session.flush()
    return station
