"""Gathering what the sweep judges, for many facilities at once, from the functions that compute it.

Nothing here computes a figure: obligations are the ones ``app.compliance`` stored,
coverage comes from ``app.stations.coverage_services``, each station's status from
``app.stations.services.observe``, completeness from ``app.telemetry.figures`` (the
functions of ``flask telemetry completeness``), exceedance hours from
``app.telemetry.exceedances``. Queries are batched per chunk of facilities.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from app.cases import sweep
from app.compliance.models import Obligation, RuleVersion
from app.extensions import db
from app.facilities.models import Facility
from app.settings.services import get as setting
from app.stations.coverage import is_under_obligation
from app.stations.coverage_services import coverage_by_facility
from app.stations.models import ExcuseWindow, Station
from app.stations.services import Observed, observe, regime_at
from app.telemetry import figures
from app.telemetry.exceedances import facility_exceedances, last_full_month
from app.telemetry.slots import day_start


def _obligations(ids: list[int], regime: str | None) -> dict[tuple[int, str], Obligation]:
    if regime is None:
        return {}
    rows = db.session.scalars(
        sa.select(Obligation).where(Obligation.facility_id.in_(ids), Obligation.regime == regime)
    )
    return {(o.facility_id, o.kind): o for o in rows}


def _cited_versions(obligations: list[Obligation]) -> dict[int, tuple[int, ...]]:
    """For each obligation id: its regime header and the versions of the clauses it applies."""
    ids = sorted({i for o in obligations for i in o.rule_version_ids or ()})
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(RuleVersion.id, RuleVersion.kind, RuleVersion.clause).where(RuleVersion.id.in_(ids))
    ).all()
    known = {row.id: row for row in rows}
    found = {}
    for o in obligations:
        kept = [
            i
            for i in o.rule_version_ids or ()
            if i in known
            and (
                known[i].kind == "regime"
                or (known[i].kind == o.kind and known[i].clause in (o.clauses or ()))
            )
        ]
        found[o.id] = tuple(sorted(kept))
    return found


def _is_installed(station: Station) -> bool:
    return station.installed_at is not None or station.data_expected_from is not None


def _obligation_facts(
    facility: Facility,
    stored: dict[tuple[int, str], Obligation],
    coverages: list,
    versions: dict[int, tuple[int, ...]],
    installed: set[str],
) -> tuple[sweep.Obligation, ...]:
    found = []
    for coverage in coverages:
        row = stored.get((facility.id, coverage.kind))
        if row is None or not is_under_obligation(coverage.status, coverage.choice):
            continue
        targets = tuple(
            sweep.Target(
                source=t.source,
                required=tuple(t.required),
                monitored=tuple(t.monitored),
                missing=tuple(t.missing),
                stations=tuple(t.stations),
                installed=tuple(code for code in t.stations if code in installed),
            )
            for t in coverage.targets
        )
        basis = tuple(dict.fromkeys(c["citation"] for c in row.citations or () if c.get("citation")))
        found.append(sweep.Obligation(row.kind, row.deadline, targets, basis, versions.get(row.id, ())))
    return tuple(found)


def _station_facts(seen: Observed) -> sweep.Station:
    station = seen.station
    return sweep.Station(
        code=station.code,
        kind=station.kind,
        status=str(seen.state.status),
        is_serving=seen.is_serving,
        installed_at=station.installed_at,
        lost_since=seen.state.lost_since,
        last_reading_at=station.last_reading_at,
    )


def _with_windows(station_ids: list[int], first: date, last: date) -> set[int]:
    """The stations with an approved excuse window overlapping the period."""
    if not station_ids:
        return set()
    start, end = day_start(first), day_start(last + timedelta(days=1))
    return set(
        db.session.scalars(
            sa.select(ExcuseWindow.station_id)
            .where(
                ExcuseWindow.station_id.in_(station_ids),
                ExcuseWindow.status == "approved",
                ExcuseWindow.starts_at < end,
                sa.func.coalesce(ExcuseWindow.ends_at, ExcuseWindow.expected_end_at) > start,
            )
            .distinct()
        )
    )


def _completeness(
    stations: list[Station], month: tuple[date, date], moment: datetime
) -> dict[int, sweep.StationMonth]:
    """Last full month's figures of the stations data was expected from: raw, and excused where windows exist."""
    first, last = month
    raw = figures.stations_completeness(stations, first, last, moment, excused=False)
    excused_ids = _with_windows([s.id for s in stations], first, last)
    excused = figures.stations_completeness(
        [s for s in stations if s.id in excused_ids], first, last, moment, excused=True
    )
    return {s.id: sweep.StationMonth(s.code, raw[s.id], excused.get(s.id)) for s in stations}


def _exceedances(
    facility: Facility, month: tuple[date, date], moment: datetime, min_slots: int
) -> sweep.MonthExceedances:
    found = facility_exceedances(facility, month[0], month[1], moment, min_slots)
    by_parameter = tuple(sorted((p, found.parameter_total(p)) for p in found.by_parameter_day))
    bases = tuple(
        dict.fromkeys(
            r.limit.basis for r in found.series if r.exceeded and r.limit is not None and r.limit.basis
        )
    )
    return sweep.MonthExceedances(found.total_hours, tuple(i for i in by_parameter if i[1]), bases)


def gather(facilities: Sequence[Facility], as_of: date, moment: datetime) -> list[sweep.FacilityFacts]:
    """The sweep's facts of these facilities, checked on ``as_of`` at ``moment`` (a few queries per chunk)."""
    facilities = list(facilities)
    ids = [f.id for f in facilities]
    if not ids:
        return []
    month = last_full_month(as_of)
    month_start, month_end = day_start(month[0]), day_start(month[1] + timedelta(days=1))
    stored = _obligations(ids, regime_at(moment))
    versions = _cited_versions(list(stored.values()))
    coverages = coverage_by_facility(facilities, moment)
    stations = list(
        db.session.scalars(sa.select(Station).where(Station.facility_id.in_(ids)).order_by(Station.code_key))
    )
    observed = observe(stations, moment)
    expected = [
        s
        for s in stations
        if observed[s.id].is_serving and s.data_expected_from and s.data_expected_from < month_end
    ]
    months = _completeness(expected, month, moment) if expected else {}
    min_slots = int(setting("threshold.hourly_mean_min_slots"))
    by_facility: dict[int, list[Station]] = {}
    for station in stations:
        by_facility.setdefault(station.facility_id, []).append(station)
    found = []
    for facility in facilities:
        own = by_facility.get(facility.id, [])
        installed = {s.code for s in own if _is_installed(s)}
        # No reading measured in the month (the last one is older): no exceedance hour to count.
        sending = any(
            s.data_expected_from
            and s.data_expected_from < month_end
            and s.last_reading_at is not None
            and s.last_reading_at >= month_start
            for s in own
        )
        found.append(
            sweep.FacilityFacts(
                facility_id=facility.id,
                obligations=_obligation_facts(
                    facility, stored, coverages.get(facility.id, []), versions, installed
                ),
                stations=tuple(_station_facts(observed[s.id]) for s in own),
                month=month,
                completeness=tuple(months[s.id] for s in own if s.id in months),
                exceedances=_exceedances(facility, month, moment, min_slots) if sending else None,
            )
        )
    return found
