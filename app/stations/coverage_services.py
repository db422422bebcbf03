"""Use cases of coverage: do a facility's stations monitor what its obligations require?

Gathers the stored obligations of the regime in force, the facility's stations and, for
emissions, the parameters each triggering source requires under the exact rule versions the
obligation was evaluated with; app.stations.coverage does the comparison. Also records the
facility's choice, automatic or periodic, for an ``optional`` obligation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from app.audit.services import diff, record
from app.compliance.models import Obligation, RuleVersion
from app.db import utcnow
from app.errors import DomainError
from app.extensions import db
from app.facilities.models import EmissionSource, Facility
from app.stations.coverage import (
    CHOICES,
    ObligationCoverage,
    ObligationFacts,
    facility_coverage,
    has_missing,
    source_parameters,
)
from app.stations.models import Station
from app.stations.services import Observed, obligation_facts, observe, regime_at, station_facts
from app.telemetry.slots import to_local

FACILITY_KINDS = ("wastewater", "emission")


@dataclass(frozen=True)
class FacilityStations:
    """What the facility page shows about stations: each with its status, and the coverage."""

    regime: str | None
    stations: list[Observed]
    coverages: list[ObligationCoverage]

    @property
    def has_missing(self) -> bool | None:
        """True when a required parameter is not monitored; None when nothing is due."""
        return has_missing(self.coverages)


def _emission_rules(obligations: Sequence[Obligation]) -> dict[int, RuleVersion]:
    ids = sorted({i for o in obligations for i in o.rule_version_ids or []})
    if not ids:
        return {}
    rows = db.session.scalars(
        sa.select(RuleVersion).where(RuleVersion.id.in_(ids), RuleVersion.kind == "emission")
    )
    return {row.id: row for row in rows}


def coverage_by_facility(
    facilities: Sequence[Facility], as_of: datetime | None = None
) -> dict[int, list[ObligationCoverage]]:
    """The coverage of each facility's obligations under the regime in force (a few queries in all)."""
    as_of = to_local(as_of or utcnow())
    ids = [f.id for f in facilities]
    if not ids:
        return {}
    regime = regime_at(as_of)
    facts = obligation_facts(ids, regime)
    emissions = list(
        db.session.scalars(
            sa.select(Obligation).where(
                Obligation.facility_id.in_(ids),
                Obligation.regime == regime,
                Obligation.kind == "emission",
                Obligation.status.in_(("required", "optional")),
            )
        )
    )
    emission_of = {o.facility_id: o for o in emissions}
    rules = _emission_rules(emissions)
    sources: dict[int, list[EmissionSource]] = {}
    for source in db.session.scalars(sa.select(EmissionSource).where(EmissionSource.facility_id.in_(ids))):
        sources.setdefault(source.facility_id, []).append(source)
    codes = {s.id: s.code for own in sources.values() for s in own}
    stations: dict[int, list[Station]] = {}
    for station in db.session.scalars(sa.select(Station).where(Station.facility_id.in_(ids))):
        stations.setdefault(station.facility_id, []).append(station)
    found: dict[int, list[ObligationCoverage]] = {}
    for facility in facilities:
        own = facts.get(facility.id, [])
        emission = emission_of.get(facility.id)
        if emission is not None and emission.sources:
            clause_rules = [
                rules[i].data
                for i in emission.rule_version_ids or []
                if i in rules and rules[i].clause in (emission.clauses or [])
            ]
            per_source = source_parameters(
                clause_rules,
                facility.attributes(),
                [s.attributes() for s in sources.get(facility.id, [])],
                emission.sources,
            )
            own = [replace(o, source_parameters=per_source) if o.kind == "emission" else o for o in own]
        found[facility.id] = facility_coverage(
            own, [station_facts(s, codes) for s in stations.get(facility.id, [])]
        )
    return found


def missing_flags(facilities: Sequence[Facility], as_of: datetime | None = None) -> dict[int, bool | None]:
    """For each facility: True when a required parameter is not monitored, None when nothing is due."""
    return {fid: has_missing(found) for fid, found in coverage_by_facility(facilities, as_of).items()}


def facility_stations(facility: Facility, as_of: datetime | None = None) -> FacilityStations:
    """The facility's stations with their status, and the coverage of its obligations."""
    as_of = to_local(as_of or utcnow())
    stations = list(
        db.session.scalars(
            sa.select(Station).where(Station.facility_id == facility.id).order_by(Station.code_key)
        )
    )
    observed = observe(stations, as_of)
    return FacilityStations(
        regime=regime_at(as_of),
        stations=[observed[s.id] for s in stations],
        coverages=coverage_by_facility([facility], as_of).get(facility.id, []),
    )


def obligation_in_force(facility: Facility, kind: str) -> ObligationFacts | None:
    """The facility's stored obligation of a kind under the regime in force today."""
    found = obligation_facts([facility.id], regime_at(utcnow())).get(facility.id, [])
    return next((o for o in found if o.kind == kind), None)


def record_monitoring_choice(facility: Facility, kind: str, choice: str, reason: str | None = None) -> dict:
    """Record the facility's choice, automatic or periodic, for an optional obligation (audited)."""
    if kind not in FACILITY_KINDS:
        raise DomainError(_("Unknown kind of obligation: %(kind)s.", kind=kind), field="kind")
    if choice not in CHOICES:
        raise DomainError(_("Choose automatic or periodic monitoring."), field="choice")
    obligation = obligation_in_force(facility, kind)
    if obligation is None or obligation.status != "optional":
        raise DomainError(
            _("Only an optional obligation leaves this choice to the facility."), field="choice"
        )
    changes = diff(facility, {f"{kind}_monitoring_choice": choice})
    if changes:
        db.session.flush()
        record("facility.monitoring_choice", facility, changes=changes, reason=(reason or "").strip() or None)
    return changes
