"""The daily compliance sweep's detection: plain facts of one facility in, one finding per breach kind out.

Pure: no Flask, no database. The facts (stored obligations and their coverage, each
station's derived status, last full month's completeness and exceedance hours) are
gathered by ``app.cases.facts`` from the functions that compute them everywhere else;
this module only decides, for each of the six kinds of workflow.md ("Cases and the
escalation ladder"), whether the facility is in breach, and writes the evidence
(``app.cases.wording``): what a notice prints and a case page shows.

- not installed: an obligation is due (its deadline passed) and one of its targets (the
  wastewater outlet, or each triggering emission source) has no installed station serving it;
- not connected: a station serving a due obligation is installed but its connection is
  not declared and verified (derived status ``installed``);
- lost connection: a serving station has been ``lost`` for longer than the setting;
- low completeness: a station's effective rate of the last full month is below the
  target: the excused rate where approved excuse windows overlap the month, else raw;
- missing parameters: a target of a due obligation has an installed station but a
  required parameter is not monitored (emissions: per triggering source);
- exceedance: the facility had at least the setting's exceedance hours last month.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from app.cases import wording as w

KINDS = (
    "not_installed",
    "not_connected",
    "lost_connection",
    "low_completeness",
    "missing_parameters",
    "exceedance",
)
INSTALLED = "installed"
LOST = "lost"
NOT_INSTALLED = "not_installed"
NOT_REQUIRED = "not_required"


@dataclass(frozen=True)
class Thresholds:
    """The settings the sweep judges by."""

    completeness_target: float = 0.9
    lost_case_after_hours: int = 24
    exceedance_hours_case: int = 8


@dataclass(frozen=True)
class Target:
    """What one obligation asks to be monitored: the outlet, or one triggering emission source."""

    source: str | None
    required: tuple[str, ...] = ()
    monitored: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    # Serving stations (codes), and those of them that are installed.
    stations: tuple[str, ...] = ()
    installed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Obligation:
    """A stored obligation the facility is under (required, or optional with automatic chosen)."""

    kind: str
    deadline: date | None
    targets: tuple[Target, ...] = ()
    legal_basis: tuple[str, ...] = ()
    rule_version_ids: tuple[int, ...] = ()

    def is_due(self, as_of: date) -> bool:
        """True once the deadline has passed (no deadline: due at once)."""
        return self.deadline is None or self.deadline < as_of


@dataclass(frozen=True)
class Station:
    """A station of the facility with its derived status at the moment of the check."""

    code: str
    kind: str
    status: str
    is_serving: bool = True
    installed_at: date | None = None
    lost_since: datetime | None = None
    last_reading_at: datetime | None = None


@dataclass(frozen=True)
class StationMonth:
    """A station's completeness figures of the month: raw, and excused when approved windows exist."""

    code: str
    raw: dict[str, Any]
    excused: dict[str, Any] | None = None


@dataclass(frozen=True)
class MonthExceedances:
    """The facility's exceedance hours of the month: the total, per parameter, and the limits' bases."""

    total_hours: int
    by_parameter: tuple[tuple[str, int], ...] = ()
    bases: tuple[str, ...] = ()


@dataclass(frozen=True)
class FacilityFacts:
    """Everything the sweep knows about one facility."""

    facility_id: int
    obligations: tuple[Obligation, ...] = ()
    stations: tuple[Station, ...] = ()
    month: tuple[date, date] | None = None
    completeness: tuple[StationMonth, ...] = ()
    exceedances: MonthExceedances | None = None


@dataclass(frozen=True)
class Finding:
    """One kind of breach judged for one facility: in breach or clear, with the evidence either way."""

    facility_id: int
    kind: str
    is_breach: bool
    evidence: dict[str, Any]
    rule_version_ids: list[int] = field(default_factory=list)


def _ids(obligations: list[Obligation]) -> list[int]:
    return sorted({i for o in obligations for i in o.rule_version_ids})


def _basis(obligations: list[Obligation]) -> list[str]:
    return list(dict.fromkeys(text for o in obligations for text in o.legal_basis))


def _finding(facts: FacilityFacts, kind: str, rows: list, obligations: list[Obligation], **extra) -> Finding:
    evidence = w.evidence(kind, rows, _basis(obligations), **extra)
    return Finding(facts.facility_id, kind, bool(rows), evidence, _ids(obligations) if rows else [])


def not_installed(facts: FacilityFacts, as_of: date) -> Finding:
    """Targets of due obligations without any installed station serving them."""
    rows, cited = [], []
    for o in facts.obligations:
        bare = [t for t in o.targets if not t.installed] if o.is_due(as_of) else []
        rows += [(o.kind, t.source, t.required, o.deadline, t.stations) for t in bare]
        cited += [o] if bare else []
    return _finding(facts, "not_installed", rows, cited)


def not_connected(facts: FacilityFacts, as_of: date) -> Finding:
    """Installed stations serving a due obligation whose connection is not verified yet."""
    due = {o.kind: o for o in facts.obligations if o.is_due(as_of)}
    stations = [s for s in facts.stations if s.is_serving and s.status == INSTALLED and s.kind in due]
    rows = [(s.code, s.kind, s.installed_at, due[s.kind].deadline) for s in stations]
    return _finding(facts, "not_connected", rows, [due[k] for k in dict.fromkeys(s.kind for s in stations)])


def lost_connection(facts: FacilityFacts, moment: datetime, thresholds: Thresholds) -> Finding:
    """Serving stations lost for longer than the setting."""
    limit = timedelta(hours=thresholds.lost_case_after_hours)
    stations = [
        s
        for s in facts.stations
        if s.is_serving and s.status == LOST and s.lost_since is not None and moment - s.lost_since > limit
    ]
    rows = [(s.code, s.lost_since, s.last_reading_at) for s in stations]
    kinds = {s.kind for s in stations}
    cited = [o for o in facts.obligations if o.kind in kinds]
    return _finding(facts, "lost_connection", rows, cited, hours=thresholds.lost_case_after_hours)


def judged_rate(item: StationMonth) -> tuple[str, float | None]:
    """The effective rate the sweep judges a station-month by: excused where windows exist, else raw."""
    figures = item.excused if item.excused is not None else item.raw
    return ("excused" if item.excused is not None else "raw"), figures.get("effective_rate")


def low_completeness(facts: FacilityFacts, thresholds: Thresholds) -> Finding:
    """Stations whose effective rate of the last full month is below the target."""
    target = thresholds.completeness_target
    table, below = [], []
    for item in facts.completeness:
        basis, rate = judged_rate(item)
        if rate is None:
            continue
        excused_rate = item.excused.get("effective_rate") if item.excused is not None else None
        table.append((item.code, item.raw, excused_rate, basis, rate < target))
        if rate < target:
            below.append(item.code)
    kinds = {s.kind for s in facts.stations if s.code in below}
    cited = [o for o in facts.obligations if o.kind in kinds]
    evidence = w.evidence(
        "low_completeness", table, _basis(cited), month=facts.month, target=target, below=below
    )
    return Finding(facts.facility_id, "low_completeness", bool(below), evidence, _ids(cited) if below else [])


def missing_parameters(facts: FacilityFacts, as_of: date) -> Finding:
    """Targets of due obligations with an installed station that leave a required parameter unmonitored."""
    rows, cited = [], []
    for o in facts.obligations:
        short = [t for t in o.targets if t.installed and t.missing] if o.is_due(as_of) else []
        rows += [(o.kind, t.source, t.required, t.monitored, t.missing) for t in short]
        cited += [o] if short else []
    return _finding(facts, "missing_parameters", rows, cited)


def exceedance(facts: FacilityFacts, thresholds: Thresholds) -> Finding:
    """The facility's exceedance hours of the last full month, against the setting."""
    found = facts.exceedances or MonthExceedances(0)
    is_breach = found.total_hours >= thresholds.exceedance_hours_case
    evidence = w.exceedance_evidence(found, facts.month, thresholds.exceedance_hours_case, is_breach)
    return Finding(facts.facility_id, "exceedance", is_breach, evidence, [])


def detect(facts: FacilityFacts, as_of: date, moment: datetime, thresholds: Thresholds) -> list[Finding]:
    """One finding per kind of breach for the facility, checked on the local date ``as_of``."""
    findings = [
        not_installed(facts, as_of),
        not_connected(facts, as_of),
        lost_connection(facts, moment, thresholds),
        low_completeness(facts, thresholds),
        missing_parameters(facts, as_of),
        exceedance(facts, thresholds),
    ]
    for finding in findings:
        finding.evidence["as_of"] = as_of.isoformat()
    return findings
