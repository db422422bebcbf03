"""Use cases of rule administration: read the versions, check and record new ones, verify, copy a regime.

A rule version is never edited: every change records a new ``RuleVersion`` (a correction keeps
the legal validity and wins by recorded-at; a new legal version has a validity of its own),
audits it, and defers ``compliance.reevaluate_all`` so that the stored obligations follow. The
data of a new version is checked strictly (rule_checks.py) before anything is written.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.audit.actor import current_actor
from app.audit.services import record
from app.compliance import services
from app.compliance.conditions import as_date
from app.compliance.models import RuleVersion
from app.compliance.rule_checks import SYSTEM_KEYS, check_regime_code, validate_header, validate_rule
from app.db import utcnow
from app.errors import DomainError, NotFound
from app.extensions import db
from app.facilities.models import Facility
from app.jobs.dispatch import defer_job
from app.jobs.models import JobRun

REEVALUATE_JOB = "compliance.reevaluate_all"
# Data that carries legal substance (with the outcomes' conditions and statuses): changing it,
# or the validity, makes the new version "to verify".
SUBSTANCE_KEYS = ("condition", "exemptions", "parameters", "triggers", "citation", "deadline")

Span = tuple[date | None, date | None]


@dataclass(frozen=True)
class ClauseRow:
    """One clause of a regime: the version in use today, every version recorded, those still live."""

    current: RuleVersion
    history: list[RuleVersion]
    live_ids: frozenset[int]


@dataclass(frozen=True)
class RuleChange:
    """The version a change recorded, and the re-evaluation it deferred."""

    version: RuleVersion
    run: JobRun


@dataclass(frozen=True)
class NewRegime:
    """The header fields of a regime created by copying another."""

    code: str
    name: str
    valid_from: date
    valid_to: date | None = None
    deadline: date | None = None
    deadline_note: str = ""


def get_version(version_id: int) -> RuleVersion:
    """A rule version by id (NotFound otherwise)."""
    version = db.session.get(RuleVersion, version_id)
    if version is None:
        raise NotFound(_("This rule version does not exist."))
    return version


def versions_of(regime: str, kind: str | None = None, clause: str | None = None) -> list[RuleVersion]:
    """Versions of a regime (or of one of its clauses), newest recorded first."""
    query = sa.select(RuleVersion).where(RuleVersion.regime == regime)
    if kind is not None:
        query = query.where(RuleVersion.kind == kind, RuleVersion.clause == clause)
    query = query.options(selectinload(RuleVersion.recorded_by), selectinload(RuleVersion.verified_by))
    return sorted(db.session.scalars(query), key=lambda v: (v.recorded_at, v.id), reverse=True)


def _span(version: RuleVersion) -> tuple[date, date]:
    return version.valid_from or date.min, version.valid_to or date.max


def _covered(version: RuleVersion, later: list[RuleVersion]) -> bool:
    """True when versions recorded later cover the whole legal validity of ``version``."""
    cursor, end = _span(version)
    for start, stop in sorted(_span(v) for v in later):
        if stop < cursor:
            continue
        if start > cursor:
            return False
        if stop >= end:
            return True
        cursor = stop + timedelta(days=1)
    return False


def live_ids(versions: list[RuleVersion]) -> frozenset[int]:
    """Ids of the versions still used on some date (for a regime header: only its latest)."""
    ordered = sorted(versions, key=lambda v: (v.recorded_at, v.id))
    if ordered and ordered[0].kind == "regime":
        return frozenset([ordered[-1].id])
    return frozenset(v.id for i, v in enumerate(ordered) if not _covered(v, ordered[i + 1 :]))


def is_live(version: RuleVersion) -> bool:
    """True when no later version replaces this one on every date it is valid."""
    return version.id in live_ids(versions_of(version.regime, version.kind, version.clause))


def _ensure_live(version: RuleVersion) -> None:
    if not is_live(version):
        raise DomainError(
            _("Version #%(id)d has been superseded: change the current version.", id=version.id)
        )


def regime_summaries() -> list[dict[str, Any]]:
    """Every regime: header, deadline, whether in force today, its clauses and how many to verify."""
    on = services.today()
    in_force = services.regime_in_force(on)
    summaries = []
    for header in services.regime_headers():
        rules = services.rule_set(header.regime, on)
        summaries.append(
            {
                "header": rules.header,
                "deadline": as_date(rules.header.data.get("deadline")),
                "in_force": header.regime == in_force,
                "clauses": len(rules.rules),
                "to_verify": sum(1 for rule in rules.rules if not rule.is_verified),
            }
        )
    return summaries


def regime_detail(regime: str) -> dict[str, Any]:
    """A regime's header and its clauses per kind in table order, each with its version history."""
    if regime not in services.regime_codes():
        raise NotFound(_("Unknown regime: %(code)s.", code=regime))
    rules = services.rule_set(regime, services.today())
    in_use = {v.id for v in (rules.header, *rules.rules)}
    grouped: dict[tuple[str, str], list[RuleVersion]] = {}
    for version in versions_of(regime):
        grouped.setdefault((version.kind, version.clause), []).append(version)
    header_history = grouped.pop(("regime", "*"))
    clauses: dict[str, list[ClauseRow]] = {"wastewater": [], "emission": []}
    for (kind, _clause), history in grouped.items():
        current = next((v for v in history if v.id in in_use), history[0])
        clauses[kind].append(ClauseRow(current, history, live_ids(history)))
    for rows in clauses.values():
        rows.sort(key=lambda row: (row.current.data.get("order", 0), row.current.clause))
    return {
        "header": rules.header,
        "deadline": as_date(rules.header.data.get("deadline")),
        "header_history": header_history,
        "header_live": live_ids(header_history),
        "as_of": rules.as_of,
        "in_force": services.regime_in_force(services.today()) == regime,
        "in_use": in_use,
        "clauses": clauses,
    }


def editable_data(version: RuleVersion) -> dict[str, Any]:
    """A copy of the version's data without the keys the system sets (validity, confidence)."""
    return {k: copy.deepcopy(v) for k, v in version.data.items() if k not in SYSTEM_KEYS}


def _flat_changes(old: Any, new: Any, path: str, out: dict[str, list[Any]]) -> None:
    """Changed leaves as 'condition.of.1.value' -> [old, new] (lists of plain values whole)."""
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in dict.fromkeys([*old, *new]):
            _flat_changes(old.get(key), new.get(key), f"{path}.{key}" if path else key, out)
    elif (
        isinstance(old, list)
        and isinstance(new, list)
        and len(old) == len(new)
        and any(isinstance(item, dict | list) for item in old)
    ):
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            _flat_changes(a, b, f"{path}.{index}", out)
    else:
        out[path] = [old, new]


def _substance(data: dict[str, Any]) -> dict[str, Any]:
    outcomes = [{k: v for k, v in o.items() if k != "explanation"} for o in data.get("outcomes") or []]
    return {**{key: data.get(key) for key in SUBSTANCE_KEYS}, "outcomes": outcomes}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _verification(version: RuleVersion) -> dict[str, Any]:
    return {
        "verified_at": version.verified_at,
        "verified_by_id": version.verified_by_id,
        "verified_source": version.verified_source,
    }


def _add_version(
    regime: str, kind: str, clause: str, data: dict[str, Any], span: Span, confidence: str, **columns: Any
) -> RuleVersion:
    valid_from, valid_to = span
    stored = {**data, "valid_from": _iso(valid_from), "valid_to": _iso(valid_to), "confidence": confidence}
    version = RuleVersion(
        regime=regime,
        kind=kind,
        clause=clause,
        data=stored,
        valid_from=valid_from,
        valid_to=valid_to,
        recorded_at=utcnow(),
        recorded_by_id=current_actor().user_id,
        confidence=confidence,
        **columns,
    )
    db.session.add(version)
    db.session.flush()
    return version


def _successor(base: RuleVersion, data: dict[str, Any], span: Span, **columns: Any) -> RuleVersion:
    confidence = columns.pop("confidence", base.confidence)
    return _add_version(
        base.regime, base.kind, base.clause, data, span, confidence, supersedes_id=base.id, **columns
    )


def _reevaluate_later() -> JobRun:
    # One re-evaluation per transaction, however many versions it records: the run reads them all.
    return defer_job(REEVALUATE_JOB, requested_by_id=current_actor().user_id, once_per_transaction=True)


def _required_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("A reason is required."), field="reason")
    return reason


def _check_validity(base: RuleVersion, span: Span) -> None:
    valid_from, valid_to = span
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        raise DomainError(_("The end of validity is before its start."), field="valid_to")
    if base.kind == "regime":
        return
    if valid_from is None:
        raise DomainError(_("A new legal version needs the date it applies from."), field="valid_from")
    start, end = _span(services.rule_set(base.regime).header)
    if not start <= valid_from <= end:
        raise DomainError(_("The new version must start within the regime's validity."), field="valid_from")


def _remainders(base: RuleVersion, span: Span) -> list[Span]:
    """The parts of the base's validity outside the new version's, which keep the base's data."""
    base_start, base_end = _span(base)
    start, stop = span[0] or date.min, span[1] or date.max
    if stop < base_start or start > base_end:
        return []
    parts: list[Span] = []
    if base_start < start:
        parts.append((base.valid_from, start - timedelta(days=1)))
    if stop < base_end:
        parts.append((stop + timedelta(days=1), base.valid_to))
    return parts


def record_version(
    base: RuleVersion, data: dict[str, Any], reason: str | None, new_validity: Span | None = None
) -> RuleChange:
    """Record a correction (``new_validity`` None) or a new legal version of a clause or header."""
    reason = _required_reason(reason)
    _ensure_live(base)
    cleaned = validate_header(data, base) if base.kind == "regime" else validate_rule(data, base)
    old = editable_data(base)
    span = (base.valid_from, base.valid_to)
    if new_validity is not None:
        _check_validity(base, new_validity)
        span = new_validity
    if cleaned == old and span == (base.valid_from, base.valid_to):
        raise DomainError(_("Nothing changed."))
    changes: dict[str, list[Any]] = {}
    _flat_changes(old, cleaned, "", changes)
    if span != (base.valid_from, base.valid_to):
        changes.update(valid_from=[base.valid_from, span[0]], valid_to=[base.valid_to, span[1]])
    columns: dict[str, Any] = {"change_reason": reason}
    if _substance(old) != _substance(cleaned) or span != (base.valid_from, base.valid_to):
        columns["confidence"] = "to_verify"
    else:
        columns.update(_verification(base))
    if base.kind != "regime" and new_validity is not None:
        kept = [
            _successor(base, old, part, change_reason=reason, **_verification(base))
            for part in _remainders(base, span)
        ]
        if kept:
            changes["kept_versions"] = [None, [v.id for v in kept]]
    version = _successor(base, cleaned, span, **columns)
    if version.confidence != base.confidence:
        changes["confidence"] = [base.confidence, version.confidence]
    changes["version"] = [base.id, version.id]
    record("rule.version_recorded", version, changes=changes, reason=reason)
    return RuleChange(version, _reevaluate_later())


def verify_version(version: RuleVersion, source: str | None, note: str | None = None) -> RuleChange:
    """Mark a version verified: a new version with the same data, naming the official text read."""
    source = (source or "").strip()
    if not source:
        raise DomainError(_("Name the official text you read."), field="source")
    if version.is_verified:
        raise DomainError(_("This version is already verified."))
    _ensure_live(version)
    note = (note or "").strip() or None
    verified = _successor(
        version,
        editable_data(version),
        (version.valid_from, version.valid_to),
        change_reason=note,
        verified_at=utcnow(),
        verified_by_id=current_actor().user_id,
        verified_source=source,
    )
    changes = {"verified_source": [None, source], "version": [version.id, verified.id]}
    record("rule.verified", verified, changes=changes, reason=note)
    return RuleChange(verified, _reevaluate_later())


def copy_regime(source: str, new: NewRegime, reason: str | None, end_source: bool = False) -> RuleChange:
    """Create a regime from another's current clauses, all marked to verify; optionally end the source."""
    reason = _required_reason(reason)
    codes = services.regime_codes()
    if source not in codes:
        raise NotFound(_("Unknown regime: %(code)s.", code=source))
    check_regime_code(new.code, codes)
    if not new.name.strip():
        raise DomainError(_("The regime needs a name."), field="name")
    if new.valid_to is not None and new.valid_to < new.valid_from:
        raise DomainError(_("The end of validity is before its start."), field="valid_to")
    rules = services.rule_set(source, new.valid_from)
    span = (new.valid_from, new.valid_to)
    header_data = {
        **editable_data(rules.header),
        "code": new.code,
        "name": new.name.strip(),
        "deadline": _iso(new.deadline) or rules.header.data.get("deadline"),
        "deadline_note": new.deadline_note.strip() or rules.header.data.get("deadline_note", ""),
    }
    origin = f"{reason} (sao chép từ {source}"
    header = _add_version(new.code, "regime", "*", header_data, span, "to_verify", change_reason=f"{origin})")
    for rule in rules.rules:
        data = {**editable_data(rule), "regime": new.code}
        note = f"{origin}, phiên bản #{rule.id})"
        _add_version(new.code, rule.kind, rule.clause, data, span, "to_verify", change_reason=note)
    changes: dict[str, list[Any]] = {
        "code": [None, new.code],
        "name": [None, header_data["name"]],
        "valid_from": [None, new.valid_from],
        "valid_to": [None, new.valid_to],
        "deadline": [None, header_data["deadline"]],
        "copied_from": [None, source],
        "clauses": [None, len(rules.rules)],
    }
    if end_source:
        changes[f"{source}.valid_to"] = _end_regime(rules.header, new.valid_from, reason)
    record("regime.copied", header, changes=changes, reason=reason)
    return RuleChange(header, _reevaluate_later())


def _end_regime(header: RuleVersion, next_start: date, reason: str) -> list[date | None]:
    """End a regime the day before ``next_start``: a new version of its header."""
    last_day = next_start - timedelta(days=1)
    start, end = _span(header)
    if last_day < start or end < next_start:
        day = last_day.strftime("%d/%m/%Y")
        message = _("The regime %(code)s cannot end on %(day)s.", code=header.regime, day=day)
        raise DomainError(message, field="end_source")
    span = (header.valid_from, last_day)
    _successor(header, editable_data(header), span, change_reason=reason, **_verification(header))
    return [header.valid_to, last_day]


def facility_ids() -> list[int]:
    """Ids of every facility, by code."""
    return list(db.session.scalars(sa.select(Facility.id).order_by(Facility.code)))


def reevaluate_ids(ids: list[int]) -> int:
    """Store fresh obligations for the facilities with these ids (those that still exist)."""
    facilities = db.session.scalars(
        sa.select(Facility)
        .where(Facility.id.in_(ids))
        .options(selectinload(Facility.sources), selectinload(Facility.obligations))
        .order_by(Facility.code)
    ).all()
    return services.reevaluate_facilities(list(facilities))
