"""The demo's stations and received data, after its facilities and users exist.

In this order: the facilities' choices for optional obligations, the stations
and their certificates, the portal's items (``seed_portal_demo``: declarations
and windows, which shape the data: an approved maintenance window is an outage,
an incident still open stops a station's data), the approved suspension, the readings
and rollups written straight into the tables, the real files through the
receiver, and the status timelines (one step when each data station's connection
began, then the status at the build).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from app.db import utcnow
from app.demo import files, readings, stations
from app.demo.province_stations import StationSeed
from app.extensions import db
from app.facilities.models import Facility
from app.portal.demo import seed_portal_demo
from app.stations.models import ExcuseWindow, Station
from app.stations.services import refresh_statuses, statuses_for
from app.telemetry import partitions
from app.telemetry.slots import local_day

DEMO_DAYS = 30


def build_telemetry(facilities: list[Facility], days: int = DEMO_DAYS) -> dict[str, Any]:
    """Add the stations, the portal's items and ``days`` days of data; return their counts."""
    now = utcnow()
    choices = stations.record_choices(facilities)
    created = stations.create_stations(facilities, now, days)
    portal = seed_portal_demo()
    stations.suspend(now)
    db.session.flush()
    written = write_readings(created, now, days)
    report = files.send_files(now)
    db.session.flush()
    timeline = _refresh([station for station, _ in created], now)
    observed = statuses_for([station for station, _ in created], now)
    return {
        "monitoring_choices": choices,
        "stations": dict(Counter(str(state.status) for state in observed.values())),
        "station_statuses": {station.code: str(observed[station.id].status) for station, _ in created},
        "readings": written + report.readings,
        "days": days,
        "files": report.as_json(),
        "portal": portal,
        "timeline_steps": timeline,
    }


def _create_partitions(now: datetime, days: int) -> None:
    """On PostgreSQL, the monthly partitions of the readings from the first day on."""
    first = local_day(now) - timedelta(days=days)
    today = local_day(now)
    months = (today.year - first.year) * 12 + today.month - first.month
    partitions.create_partitions(first, months_ahead=months + partitions.MONTHS_AHEAD)


def write_readings(created: list[tuple[Station, StationSeed]], now: datetime, days: int) -> int:
    """Write the connected stations' readings and their rollups; return how many readings."""
    _create_partitions(now, days)
    windows: dict[int, list[ExcuseWindow]] = defaultdict(list)
    for window in db.session.scalars(sa.select(ExcuseWindow).order_by(ExcuseWindow.id)):
        windows[window.station_id].append(window)
    ctx = readings.Context(now, days)
    for station, seed in created:
        if seed.plan is None:
            continue
        item = readings.StationInput(
            station, seed.plan, files.scale_of(station), readings.limits_of(station), windows[station.id]
        )
        readings.write_station(item, ctx)
    readings.write_rollups(ctx)
    db.session.flush()
    return ctx.rows


def _refresh(all_stations: list[Station], now: datetime) -> int:
    """Record the timelines: data stations as of an hour after their connection, then all at the build."""
    groups: dict[datetime, list[int]] = defaultdict(list)
    for station in all_stations:
        if station.last_reading_at is not None and station.data_expected_from is not None:
            groups[station.data_expected_from + timedelta(hours=1)].append(station.id)
    steps = 0
    for moment, ids in sorted(groups.items()):
        if moment < now:
            steps += refresh_statuses(as_of=moment, station_ids=ids)["changes"]
    return steps + refresh_statuses(as_of=now)["changes"]
