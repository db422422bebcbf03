"""Use cases of obligations: which rule versions apply, evaluating and storing obligations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from app.audit.services import record
from app.compliance.evaluator import evaluate, regime_for_date
from app.compliance.models import Obligation, RuleVersion
from app.db import utcnow
from app.errors import DomainError, NotFound
from app.extensions import db
from app.facilities.models import Facility
from app.formatting import LOCAL_TZ


def today() -> date:
    """Today's date in Việt Nam."""
    return datetime.now(LOCAL_TZ).date()


def _valid_on(version: RuleVersion, on: date) -> bool:
    return (version.valid_from is None or version.valid_from <= on) and (
        version.valid_to is None or on <= version.valid_to
    )


def _latest(versions: list[RuleVersion], on: date | None) -> RuleVersion | None:
    """The latest recorded version among those legally valid on the date (any date if None)."""
    candidates = [v for v in versions if on is None or _valid_on(v, on)]
    return max(candidates, key=lambda v: (v.recorded_at, v.id), default=None)


def _versions_by_key(regime: str | None = None) -> dict[tuple[str, str, str], list[RuleVersion]]:
    query = sa.select(RuleVersion)
    if regime is not None:
        query = query.where(RuleVersion.regime == regime)
    grouped: dict[tuple[str, str, str], list[RuleVersion]] = {}
    for version in db.session.scalars(query):
        grouped.setdefault((version.regime, version.kind, version.clause), []).append(version)
    return grouped


def regime_headers() -> list[RuleVersion]:
    """The latest recorded header of every regime, ordered by legal start."""
    headers = [
        _latest(versions, None) for (_, kind, _), versions in _versions_by_key().items() if kind == "regime"
    ]
    return sorted(headers, key=lambda h: (h.valid_from or date.min, h.regime))


def regime_codes() -> list[str]:
    """Every regime's code, oldest first."""
    return [header.regime for header in regime_headers()]


def regime_in_force(on: date) -> str | None:
    """The code of the regime in force on a date."""
    found = regime_for_date([h.data for h in regime_headers()], on)
    return found["code"] if found else None


def clamp_to_regime(header: RuleVersion, on: date) -> date:
    """The date within the regime's validity closest to ``on`` (its last day once it ended)."""
    if header.valid_to is not None and on > header.valid_to:
        return header.valid_to
    if header.valid_from is not None and on < header.valid_from:
        return header.valid_from
    return on


@dataclass(frozen=True)
class RuleSet:
    """The versions one evaluation uses: the regime header and its clauses."""

    regime: str
    as_of: date
    header: RuleVersion
    rules: list[RuleVersion]

    @property
    def version_ids(self) -> list[int]:
        """Ids of every version used, header first."""
        return [self.header.id, *sorted(r.id for r in self.rules)]

    @property
    def unverified(self) -> list[RuleVersion]:
        """The versions still marked to verify."""
        return [v for v in (self.header, *self.rules) if not v.is_verified]


def rule_set(regime: str, as_of: date | None = None) -> RuleSet:
    """The rule versions of a regime legally valid on ``as_of`` (clamped to the regime's validity)."""
    grouped = _versions_by_key(regime)
    header_versions = grouped.get((regime, "regime", "*"))
    if not header_versions:
        raise NotFound(f"unknown regime: {regime}")
    on = clamp_to_regime(_latest(header_versions, None), as_of or today())
    header = _latest(header_versions, on) or _latest(header_versions, None)
    rules = []
    for (_, kind, _), versions in grouped.items():
        if kind == "regime":
            continue
        chosen = _latest(versions, on)
        if chosen is not None:
            rules.append(chosen)
    rules.sort(key=lambda v: (v.kind, v.data.get("order", 0)))
    return RuleSet(regime, on, header, rules)


def evaluate_facility(facility: Facility, rules: RuleSet) -> list[dict[str, Any]]:
    """The facility's two obligations under a rule set (pure evaluation of stored data)."""
    sources = [source.attributes() for source in facility.sources]
    return evaluate(facility.attributes(), sources, rules.header.data, [r.data for r in rules.rules])


def store_obligations(facility: Facility, as_of: date | None = None) -> list[Obligation]:
    """Evaluate the facility under every regime and store the results (status changes audited)."""
    stored = {(o.regime, o.kind): o for o in facility.obligations}
    results = []
    for regime in regime_codes():
        rules = rule_set(regime, as_of)
        for found in evaluate_facility(facility, rules):
            obligation = stored.get((regime, found["kind"]))
            if obligation is None:
                obligation = Obligation(facility=facility, regime=regime, kind=found["kind"])
                db.session.add(obligation)
            elif obligation.status != found["status"]:
                record(
                    "obligation.status_changed",
                    facility,
                    changes={f"{regime}/{found['kind']}": [obligation.status, found["status"]]},
                )
            obligation.status = found["status"]
            obligation.clauses = found["clauses"]
            obligation.sources = found["sources"]
            obligation.parameters = found["parameters"]
            obligation.deadline = found["deadline"]
            obligation.explanation = found["explanation"]
            obligation.missing = found.get("missing", [])
            obligation.citations = found.get("citations", [])
            obligation.rule_version_ids = rules.version_ids
            obligation.as_of = rules.as_of
            obligation.evaluated_at = utcnow()
            results.append(obligation)
    db.session.flush()
    return results


def reevaluate_facilities(facilities: list[Facility], as_of: date | None = None) -> int:
    """Store fresh obligations for the facilities (after an edit or an import)."""
    for facility in facilities:
        store_obligations(facility, as_of)
    return len(facilities)


def current_obligations(facility: Facility) -> dict[str, dict[str, Obligation]]:
    """Stored obligations by regime then kind."""
    found: dict[str, dict[str, Obligation]] = {}
    for obligation in facility.obligations:
        found.setdefault(obligation.regime, {})[obligation.kind] = obligation
    return found


def ensure_verified(rules: RuleSet, clauses: dict[str, list[str]]) -> None:
    """Refuse when a cited clause (by kind) or the regime header is still marked to verify."""
    cited = [r for r in rules.rules if r.clause in clauses.get(r.kind, [])]
    pending = [v for v in (rules.header, *cited) if not v.is_verified]
    if pending:
        names = ", ".join(f"{v.kind}/{v.clause}" for v in pending)
        raise DomainError(f"Quy định còn đánh dấu cần kiểm tra lại: {names}.")
