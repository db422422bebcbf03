"""Use cases of a station's connection status: derived from stored rows, never typed in.

``station_status`` gathers what metrics.md's table needs (whether the station serves an
obligation of the regime in force, approved suspensions, declared moments, the last
reading, the lost-after setting) and asks app.telemetry.status for the status. The
``statuses_for`` batch does the same for many stations in a few queries; the refresh job
records a step of each station's timeline whenever its status changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from app.auth.access import ensure_enterprise, scope_to_enterprise
from app.compliance.models import Obligation
from app.compliance.services import regime_in_force
from app.db import among_ids, utcnow
from app.errors import NotFound
from app.extensions import db
from app.facilities.models import EmissionSource, Enterprise, Facility
from app.settings.services import get as setting
from app.stations.coverage import ObligationFacts, StationFacts, serves_any
from app.stations.models import ExcuseWindow, Station, StationStatusChange
from app.stations.timeline import StatusFacts, is_change, status_began
from app.telemetry.slots import Window, day_start, to_local
from app.telemetry.status import ConnectionState, connection_status, covers


@dataclass(frozen=True)
class Filters:
    """What the station list is filtered by."""

    text: str | None = None
    kind: str | None = None
    facility: str | None = None
    status: str | None = None


def station_query(filters: Filters) -> sa.Select:
    """Stations the current user may see (an enterprise: its own), filtered, by code."""
    query = sa.select(Station).outerjoin(Facility, Station.facility_id == Facility.id)
    query = scope_to_enterprise(query, Facility.enterprise_id)
    if filters.text:
        pattern = f"%{filters.text.strip()}%"
        query = query.outerjoin(Enterprise, Facility.enterprise_id == Enterprise.id).where(
            sa.or_(
                Station.code.ilike(pattern),
                Station.name.ilike(pattern),
                Facility.code.ilike(pattern),
                Facility.name.ilike(pattern),
                Enterprise.name.ilike(pattern),
            )
        )
    if filters.kind:
        query = query.where(Station.kind == filters.kind)
    if filters.facility:
        query = query.where(Facility.code == filters.facility.strip())
    # The facility comes with the join above; the source in the same query (no list of ids sent back).
    options = (contains_eager(Station.facility), joinedload(Station.source))
    return query.options(*options).order_by(Station.code_key)


def list_stations(filters: Filters, as_of: datetime | None = None) -> list[Observed]:
    """The visible stations matching the filters, each with its status (filtered on it too)."""
    stations = list(db.session.scalars(station_query(filters)))
    observed = observe(stations, as_of)
    rows = [observed[station.id] for station in stations]
    if filters.status:
        rows = [row for row in rows if row.state.status == filters.status]
    return rows


def find_station(code: str) -> Station | None:
    """The station with this code, compared case-insensitively."""
    return db.session.scalar(sa.select(Station).where(Station.code_key == (code or "").strip().lower()))


def visible_station(code: str) -> Station:
    """The station with this code, if the current user may see it (else NotFound or 404)."""
    station = find_station(code)
    if station is None:
        raise NotFound(code)
    ensure_enterprise(station.facility.enterprise_id if station.facility else None)
    return station


def lost_after() -> timedelta:
    """The *lost-after* threshold (a setting, in minutes)."""
    return timedelta(minutes=int(setting("threshold.lost_after_minutes")))


def regime_at(as_of: datetime) -> str | None:
    """The regime in force on the local day of a moment."""
    return regime_in_force(to_local(as_of).date())


def obligation_facts(facility_ids: Iterable[int], regime: str | None) -> dict[int, list[ObligationFacts]]:
    """The stored obligations of these facilities under a regime, with each facility's choices.

    Only the columns the coverage needs are read: at national size the full rows
    (clauses, citations, explanations) cost more to decode than the rest of the page.
    """
    ids = sorted(set(facility_ids))
    found: dict[int, list[ObligationFacts]] = {}
    if not ids or regime is None:
        return found
    rows = db.session.execute(
        sa.select(
            Obligation.facility_id,
            Obligation.kind,
            Obligation.status,
            Obligation.sources,
            Obligation.parameters,
            Facility.wastewater_monitoring_choice,
            Facility.emission_monitoring_choice,
        )
        .join(Facility, Facility.id == Obligation.facility_id)
        .where(among_ids(Obligation.facility_id, ids), Obligation.regime == regime)
        .order_by(Obligation.id)
    )
    for facility_id, kind, status, sources, parameters, wastewater_choice, emission_choice in rows:
        choice = {"wastewater": wastewater_choice, "emission": emission_choice}.get(kind)
        found.setdefault(facility_id, []).append(
            ObligationFacts(
                kind=kind,
                status=status,
                sources=tuple(sources or ()),
                parameters=tuple(parameters or ()),
                choice=choice,
            )
        )
    return found


def source_codes(source_ids: Iterable[int | None]) -> dict[int, str]:
    """The codes of these emission sources by id."""
    ids = sorted({i for i in source_ids if i is not None})
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(EmissionSource.id, EmissionSource.code).where(among_ids(EmissionSource.id, ids))
    )
    return {row.id: row.code for row in rows}


def station_facts(station: Station, sources: dict[int, str]) -> StationFacts:
    """A station as the pure coverage module reads it."""
    return StationFacts(
        code=station.code,
        kind=station.kind,
        source_code=sources.get(station.source_id) if station.source_id else None,
        parameters=tuple(station.parameters or ()),
    )


def suspension_windows(station_ids: Iterable[int]) -> dict[int, list[Window]]:
    """Approved suspensions by station, each ``[start, actual end or expected end)``."""
    ids = sorted(set(station_ids))
    found: dict[int, list[Window]] = {}
    if not ids:
        return found
    rows = db.session.scalars(
        sa.select(ExcuseWindow).where(
            among_ids(ExcuseWindow.station_id, ids),
            ExcuseWindow.kind == "suspension",
            ExcuseWindow.status == "approved",
        )
    )
    for window in rows:
        found.setdefault(window.station_id, []).append((window.starts_at, window.excused_until))
    return found


@dataclass
class Observed:
    """A station's derived status at a moment, with what dates it."""

    station: Station
    state: ConnectionState
    facts: StatusFacts
    is_serving: bool
    suspensions: list[Window] = field(default_factory=list)


def observe(stations: Sequence[Station], as_of: datetime | None = None) -> dict[int, Observed]:
    """Derive the status of every station at ``as_of`` (now by default), by station id."""
    as_of = to_local(as_of or utcnow())
    stations = list(stations)
    regime = regime_at(as_of)
    obligations = obligation_facts((s.facility_id for s in stations if s.facility_id), regime)
    sources = source_codes(s.source_id for s in stations)
    windows = suspension_windows(s.id for s in stations)
    threshold = lost_after()
    found: dict[int, Observed] = {}
    for station in stations:
        is_serving = serves_any(station_facts(station, sources), obligations.get(station.facility_id, []))
        own_windows = windows.get(station.id, [])
        state = connection_status(
            as_of=as_of,
            kind=station.kind,
            serves_obligation=is_serving,
            installed_at=day_start(station.installed_at) if station.installed_at else None,
            data_expected_from=station.data_expected_from,
            last_reading_at=station.last_reading_at,
            suspensions=own_windows,
            lost_after=threshold,
        )
        starts = [start for start, end in own_windows if covers([(start, end)], as_of) and start is not None]
        facts = StatusFacts(
            created_at=station.created_at,
            installed_at=station.installed_at,
            data_expected_from=station.data_expected_from,
            last_reading_at=station.last_reading_at,
            suspension_start=max(starts, default=None),
        )
        found[station.id] = Observed(station, state, facts, is_serving, own_windows)
    return found


def statuses_for(stations: Sequence[Station], as_of: datetime | None = None) -> dict[int, ConnectionState]:
    """The connection status of each station at ``as_of`` (now by default), by station id."""
    return {station_id: seen.state for station_id, seen in observe(stations, as_of).items()}


def station_status(station: Station, as_of: datetime | None = None) -> ConnectionState:
    """The connection status of one station at ``as_of`` (now by default)."""
    return statuses_for([station], as_of)[station.id]


def last_changes(station_ids: Iterable[int]) -> dict[int, StationStatusChange]:
    """The last recorded step of each station's timeline."""
    ids = sorted(set(station_ids))
    if not ids:
        return {}
    latest = (
        sa.select(sa.func.max(StationStatusChange.id))
        .where(StationStatusChange.station_id.in_(ids))
        .group_by(StationStatusChange.station_id)
    )
    rows = db.session.scalars(sa.select(StationStatusChange).where(StationStatusChange.id.in_(latest)))
    return {row.station_id: row for row in rows}


def timeline(station: Station) -> list[StationStatusChange]:
    """A station's recorded status steps, newest first."""
    return list(
        db.session.scalars(
            sa.select(StationStatusChange)
            .where(StationStatusChange.station_id == station.id)
            .order_by(StationStatusChange.id.desc())
        )
    )


def refresh_statuses(
    as_of: datetime | None = None, station_ids: Iterable[int] | None = None
) -> dict[str, int]:
    """Record a timeline step for every station whose status differs from its last recorded one."""
    as_of = to_local(as_of or utcnow())
    query = sa.select(Station).order_by(Station.id)
    if station_ids is not None:
        query = query.where(Station.id.in_(list(station_ids)))
    stations = list(db.session.scalars(query))
    observed = observe(stations, as_of)
    previous = last_changes(observed)
    changed = 0
    for station_id, seen in observed.items():
        last = previous.get(station_id)
        if not is_change(last.status if last else None, seen.state):
            continue
        since = status_began(seen.state, seen.facts, as_of, last.since if last else None)
        db.session.add(StationStatusChange(station_id=station_id, status=str(seen.state.status), since=since))
        changed += 1
    db.session.flush()
    return {"stations": len(stations), "changes": changed}
