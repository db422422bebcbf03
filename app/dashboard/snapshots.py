"""Computing the monthly snapshots (``FacilityMonth``) and live rows from the functions every page uses.

Nothing here computes a figure of its own: obligations and their coverage come from
``app.stations.coverage_services``, each station's status and whether it serves an
obligation from ``app.stations.services.observe``, completeness from
``app.telemetry.figures`` (the functions of ``flask telemetry completeness``),
exceedance hours from ``app.telemetry.exceedances``. A facility's rate is the lowest
of its serving stations' (metrics.md: the weakest link; a null makes it null). Queries
are batched per chunk of facilities. Services never commit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from app.dashboard.models import FacilityMonth
from app.db import utcnow
from app.extensions import db
from app.facilities.models import Facility
from app.settings.services import get as setting
from app.stations.coverage_services import coverage_by_facility
from app.stations.models import Station
from app.stations.services import Observed, observe
from app.telemetry import figures
from app.telemetry.exceedances import facility_exceedances
from app.telemetry.slots import day_start

CHUNK_SIZE = 200
CONNECTED = frozenset({"awaiting_data", "receiving", "lost", "suspended"})


def month_bounds(month: date) -> tuple[date, date]:
    """The first and last day of ``month``'s calendar month."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def _weakest(rates: list[float | None]) -> float | None:
    if not rates or any(r is None for r in rates):
        return None
    return min(rates)


def _state(own: list[Observed]) -> dict[str, Any]:
    serving = [seen for seen in own if seen.is_serving]
    has = bool(serving)
    return {
        "serving_stations": len(serving),
        "is_installed": has and all(s.station.installed_at or s.station.data_expected_from for s in serving),
        "is_connected": has and all(str(s.state.status) in CONNECTED for s in serving),
        "is_receiving": has and all(str(s.state.status) == "receiving" for s in serving),
    }


def _obliged(facilities: Sequence[Facility], moment: datetime) -> dict[int, bool]:
    coverages = coverage_by_facility(facilities, moment)
    return {f.id: any(c.is_under_obligation for c in coverages.get(f.id, [])) for f in facilities}


def _stations(ids: list[int]) -> dict[int, list[Station]]:
    found: dict[int, list[Station]] = {}
    query = sa.select(Station).where(Station.facility_id.in_(ids)).order_by(Station.code_key)
    for station in db.session.scalars(query):
        found.setdefault(station.facility_id, []).append(station)
    return found


def chunk_facts(facilities: Sequence[Facility], month: date, moment: datetime) -> list[dict[str, Any]]:
    """The snapshot values of these facilities for the month, observed at ``moment``."""
    first, last = month_bounds(month)
    ids = [f.id for f in facilities]
    obliged = _obliged(facilities, moment)
    stations = _stations(ids)
    observed = observe([s for own in stations.values() for s in own], moment)
    serving = [s for own in stations.values() for s in own if observed[s.id].is_serving]
    raw = figures.stations_completeness(serving, first, last, moment, excused=False)
    excused = figures.stations_completeness(serving, first, last, moment, excused=True)
    min_slots = int(setting("threshold.hourly_mean_min_slots"))
    month_start = day_start(first)
    found = []
    for facility in facilities:
        own = stations.get(facility.id, [])
        mine = [s for s in own if observed[s.id].is_serving]
        sending = any(s.last_reading_at and s.last_reading_at >= month_start for s in mine)
        hours = facility_exceedances(facility, first, last, moment, min_slots).total_hours if sending else 0
        found.append(
            {
                "facility_id": facility.id,
                "month": first,
                "commune": facility.commune,
                "district": facility.district,
                "industry": facility.industry_type,
                "is_obliged": obliged[facility.id],
                **_state([observed[s.id] for s in own]),
                "raw_rate": _weakest([raw[s.id]["effective_rate"] for s in mine]),
                "excused_rate": _weakest([excused[s.id]["effective_rate"] for s in mine]),
                "exceedance_hours": hours,
                "observed_at": moment,
            }
        )
    return found


def _store(values: list[dict[str, Any]], now: datetime) -> None:
    if not values:
        return
    existing = {
        (row.facility_id, row.month): row
        for row in db.session.scalars(
            sa.select(FacilityMonth).where(
                FacilityMonth.month == values[0]["month"],
                FacilityMonth.facility_id.in_([v["facility_id"] for v in values]),
            )
        )
    }
    for item in values:
        row = existing.get((item["facility_id"], item["month"]))
        if row is None:
            row = FacilityMonth(facility_id=item["facility_id"], month=item["month"])
            db.session.add(row)
        for key, value in item.items():
            setattr(row, key, value)
        row.computed_at = now
    db.session.flush()


def snapshot_month(
    month: date,
    now: datetime | None = None,
    chunk_size: int = CHUNK_SIZE,
    after_chunk: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Compute and store every facility's snapshot of the month (state at its end, or now if it is running)."""
    now = now or utcnow()
    first, last = month_bounds(month)
    moment = min(now, day_start(last + timedelta(days=1)))
    if moment <= day_start(first):
        raise ValueError(f"the month {first:%Y-%m} has not begun")
    ids = list(db.session.scalars(sa.select(Facility.id).order_by(Facility.id)))
    obliged = 0
    for start in range(0, len(ids), chunk_size):
        chunk = list(
            db.session.scalars(sa.select(Facility).where(Facility.id.in_(ids[start : start + chunk_size])))
        )
        values = chunk_facts(chunk, first, moment)
        _store(values, now)
        obliged += sum(1 for v in values if v["is_obliged"])
        if after_chunk is not None:
            after_chunk(min(start + chunk_size, len(ids)), len(ids))
    return {"month": f"{first:%Y-%m}", "facilities": len(ids), "obliged": obliged, "observed_at": moment}


def live_state(facility_ids: Sequence[int], now: datetime | None = None) -> dict[int, dict[str, Any]]:
    """Each facility's installed / connected / receiving now (derived status of its serving stations)."""
    stations = _stations(list(facility_ids))
    observed = observe([s for own in stations.values() for s in own], now or utcnow())
    return {fid: _state([observed[s.id] for s in stations.get(fid, [])]) for fid in facility_ids}
