"""``flask stations ...``: station commands from the shell (import-format.md, "CLI contract").

``flask stations excuse`` records an approved maintenance window as an
administrator would; other station commands join the same group.
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import NoReturn

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.audit.actor import cli_actor
from app.audit.services import record
from app.db import commit, rollback, utcnow
from app.errors import DomainError
from app.extensions import db
from app.formatting import LOCAL_TZ
from app.stations.models import ExcuseWindow, Station

stations_cli = AppGroup("stations", help="Monitoring stations: status and excused windows.")

DATETIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M")


def parse_local_datetime(text: str) -> datetime:
    """``YYYY-MM-DDThh:mm`` or ``YYYY-MM-DD hh:mm`` as an aware local moment; ValueError otherwise."""
    for pattern in DATETIME_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).replace(tzinfo=LOCAL_TZ)
        except ValueError:
            continue
    raise ValueError(f"not a date-time (YYYY-MM-DDThh:mm or YYYY-MM-DD hh:mm): {text!r}")


def find_station(code: str) -> Station | None:
    """The station with this code, compared case-insensitively."""
    return db.session.scalar(sa.select(Station).where(Station.code_key == code.strip().lower()))


def record_maintenance(station: Station, starts_at: datetime, ends_at: datetime, reason: str) -> ExcuseWindow:
    """Record an approved maintenance window for the current actor (flushed and audited)."""
    if ends_at <= starts_at:
        raise DomainError("the end must be after the start")
    if not reason.strip():
        raise DomainError("a reason is required")
    now = utcnow()
    window = ExcuseWindow(
        station_id=station.id,
        station=station,
        kind="maintenance",
        status="approved",
        starts_at=starts_at,
        expected_end_at=ends_at,
        reason=reason.strip(),
        requested_at=now,
        decided_at=now,
        decision_reason=reason.strip(),
    )
    db.session.add(window)
    db.session.flush()
    start = starts_at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
    record(
        "window.approved",
        window,
        label=f"{station.code} maintenance {start}",
        changes={
            "kind": [None, "maintenance"],
            "status": [None, "approved"],
            "starts_at": [None, starts_at],
            "expected_end_at": [None, ends_at],
        },
        reason=window.reason,
    )
    return window


def _fail(message: str) -> NoReturn:
    rollback()
    click.echo(message, err=True)
    sys.exit(1)


def _arguments(code: str | None, start: str | None, end: str | None, reason: str | None) -> tuple:
    """The checked arguments, or exit 1 naming the first problem (the contract's exit status)."""
    for name, value in (("--station", code), ("--start", start), ("--end", end), ("--reason", reason)):
        if value is None or not value.strip():
            _fail(f"{name} is required")
    try:
        starts_at = parse_local_datetime(start)
        ends_at = parse_local_datetime(end)
    except ValueError as exc:
        _fail(str(exc))
    if ends_at <= starts_at:
        _fail(f"the end must be after the start: --start {start} --end {end}")
    return code.strip(), starts_at, ends_at, reason.strip()


@stations_cli.command("excuse")
@click.option("--station", "code", help="Station code (any case).")
@click.option("--start", "start", help="Local start: YYYY-MM-DDThh:mm or YYYY-MM-DD hh:mm.")
@click.option("--end", "end", help="Local end: YYYY-MM-DDThh:mm or YYYY-MM-DD hh:mm.")
@click.option("--reason", help="Why the station's data is excused.")
def excuse_command(code: str | None, start: str | None, end: str | None, reason: str | None) -> None:
    """Record an approved maintenance window (as an administrator would): its slots are excused."""
    code, starts_at, ends_at, reason = _arguments(code, start, end, reason)
    with cli_actor():
        station = find_station(code)
        if station is None:
            _fail(f"unknown station: {code}")
        try:
            window = record_maintenance(station, starts_at, ends_at, reason)
        except DomainError as exc:
            _fail(exc.message)
        commit()
    click.echo(
        f"maintenance window #{window.id} approved for {station.code}: "
        f"{starts_at:%Y-%m-%d %H:%M} .. {ends_at:%Y-%m-%d %H:%M} (local time)"
    )
