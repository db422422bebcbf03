"""Planning: the facilities to inspect, ranked by the risk score, with the facts behind each part.

Nothing here computes a figure of its own: last full month's completeness and
exceedance hours come from ``app.cases.facts.gather`` (the functions of the
compliance sweep, ``flask telemetry completeness`` and the exceedance pages), the
rate judged is the sweep's, open cases and their steps from ``app.cases``, lost
hours from the stations' recorded status timelines, certificates from
``app.stations``, the last inspection from this domain. Queries are batched over
all the facilities ranked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from app.cases.facts import gather
from app.cases.models import Case
from app.cases.sweep import judged_rate
from app.compliance.models import Obligation
from app.extensions import db
from app.facilities.models import Facility
from app.inspections import risk
from app.inspections.models import Inspection
from app.settings.services import all_values
from app.stations.models import Station, StationCertificate, StationStatusChange
from app.stations.services import regime_at
from app.telemetry.exceedances import last_full_month
from app.telemetry.slots import day_start, to_local


def weights() -> dict[str, float]:
    """The weights of the score's parts (settings ``risk.<part>``)."""
    values = all_values()
    return {name: float(values[f"risk.{name}"]) for name in risk.PARTS}


def candidates(moment: datetime) -> list[Facility]:
    """Facilities worth ranking: with a station, or under a required or optional obligation now."""
    regime = regime_at(moment)
    with_station = sa.select(Station.facility_id).where(Station.facility_id.is_not(None))
    obliged = sa.select(Obligation.facility_id).where(
        Obligation.regime == regime, Obligation.status.in_(("required", "optional"))
    )
    query = (
        sa.select(Facility)
        .where(sa.or_(Facility.id.in_(with_station), Facility.id.in_(obliged)))
        .order_by(Facility.code)
    )
    return list(db.session.scalars(query))


def open_case_steps(ids: Sequence[int]) -> dict[int, list[int]]:
    """The steps of each facility's open cases."""
    found: dict[int, list[int]] = defaultdict(list)
    rows = db.session.execute(
        sa.select(Case.facility_id, Case.step).where(Case.facility_id.in_(ids), Case.status == "open")
    )
    for facility_id, step in rows:
        found[facility_id].append(step)
    return found


def lost_hours(ids: Sequence[int], start: datetime, end: datetime) -> dict[int, float]:
    """Hours each facility's stations were lost in [start, end), from their status timelines."""
    rows = db.session.execute(
        sa.select(Station.facility_id, StationStatusChange.station_id, StationStatusChange.status)
        .add_columns(StationStatusChange.since)
        .join(Station, Station.id == StationStatusChange.station_id)
        .where(Station.facility_id.in_(ids), StationStatusChange.since < end)
        .order_by(StationStatusChange.station_id, StationStatusChange.since, StationStatusChange.id)
    )
    timelines: dict[tuple[int, int], list[tuple[str, datetime]]] = defaultdict(list)
    for facility_id, station_id, status, since in rows:
        timelines[(facility_id, station_id)].append((status, since))
    found: dict[int, float] = defaultdict(float)
    for (facility_id, _station_id), changes in timelines.items():
        found[facility_id] += risk.lost_hours(changes, start, end)
    return found


def expired_certificates(ids: Sequence[int], today: date) -> dict[int, int]:
    """Each facility's expired certificates (the latest of each kind per station)."""
    rows = db.session.execute(
        sa.select(
            Station.facility_id,
            StationCertificate.station_id,
            StationCertificate.kind,
            StationCertificate.issued_on,
            StationCertificate.expires_on,
        )
        .join(Station, Station.id == StationCertificate.station_id)
        .where(Station.facility_id.in_(ids))
    )
    per_station: dict[tuple[int, int], list] = defaultdict(list)
    for facility_id, station_id, kind, issued_on, expires_on in rows:
        per_station[(facility_id, station_id)].append((kind, issued_on, expires_on))
    found: dict[int, int] = defaultdict(int)
    for (facility_id, _station_id), certificates in per_station.items():
        found[facility_id] += risk.expired_count(certificates, today)
    return found


def last_inspections(ids: Sequence[int]) -> dict[int, date]:
    """Each facility's last finalised inspection day."""
    rows = db.session.execute(
        sa.select(Inspection.facility_id, sa.func.max(Inspection.inspected_on))
        .where(Inspection.facility_id.in_(ids), Inspection.status == "finalised")
        .group_by(Inspection.facility_id)
    )
    return dict(rows.all())


def rank_facilities(moment: datetime, facilities: Sequence[Facility] | None = None) -> list[risk.Score]:
    """The facilities (default: ``candidates``) ranked by their risk score at ``moment``."""
    facilities = list(candidates(moment) if facilities is None else facilities)
    ids = [f.id for f in facilities]
    if not ids:
        return []
    today = to_local(moment).date()
    first, last = last_full_month(today)
    start, end = day_start(first), day_start(last + timedelta(days=1))
    facts = {f.facility_id: f for f in gather(facilities, today, moment)}
    cases = open_case_steps(ids)
    lost = lost_hours(ids, start, end)
    expired = expired_certificates(ids, today)
    inspected = last_inspections(ids)
    chosen = weights()
    scores = []
    for facility in facilities:
        found = facts[facility.id]
        rates = [rate for _basis, rate in map(judged_rate, found.completeness) if rate is not None]
        inputs = risk.Inputs(
            open_case_steps=sorted(cases.get(facility.id, []), reverse=True),
            lowest_effective_rate=min(rates, default=None),
            lost_hours=lost.get(facility.id, 0.0),
            exceedance_hours=found.exceedances.total_hours if found.exceedances is not None else None,
            expired_certificates=expired.get(facility.id, 0),
            last_inspected_on=inspected.get(facility.id),
        )
        scores.append(risk.score(facility.id, inputs, chosen, today))
    return risk.rank(scores)
