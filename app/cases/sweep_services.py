"""The daily compliance sweep as a use case: judge every facility, then open, update, close or reopen cases.

One case per facility and kind of breach (the table's unique key): a breach found
opens it (or reopens it, ``times_reopened`` + 1), a breach still there refreshes its
evidence (an ``updated`` event only when the evidence changed), a breach gone closes
it by itself with the evidence of the check. A case an inspector closed with a reason
stays closed while the same breach is found with the same evidence; it reopens when
the evidence changes (a new month's figures, another station lost). Nothing commits
here: the job and the CLI commit per chunk of facilities.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from app.audit.services import record
from app.cases import sweep
from app.cases.facts import gather
from app.cases.models import Case, CaseEvent
from app.compliance.services import today
from app.db import utcnow
from app.extensions import db
from app.facilities.models import Facility
from app.settings.services import get as setting
from app.telemetry.slots import day_start

CHUNK_SIZE = 200
ACTIONS = ("opened", "reopened", "updated", "unchanged", "closed", "kept_closed")


def thresholds() -> sweep.Thresholds:
    """The sweep's thresholds from the settings."""
    return sweep.Thresholds(
        completeness_target=float(setting("threshold.completeness_target")),
        lost_case_after_hours=int(setting("threshold.lost_case_after_hours")),
        exceedance_hours_case=int(setting("threshold.exceedance_hours_case")),
    )


def check_moment(as_of: date, now: datetime | None = None) -> datetime:
    """The moment a check of the local date ``as_of`` looks at: now, or the end of a past day."""
    now = now or utcnow()
    return min(now, day_start(as_of + timedelta(days=1)))


def _plain(evidence: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in evidence.items() if k != "as_of"}, sort_keys=True, default=str)


def same_evidence(old: dict[str, Any] | None, new: dict[str, Any]) -> bool:
    """Whether two evidences say the same thing (the date of the check aside)."""
    return old is not None and _plain(old) == _plain(json.loads(json.dumps(new, default=str)))


def _event(case: Case, kind: str, evidence: dict[str, Any], text: str | None = None) -> None:
    db.session.add(CaseEvent(case=case, kind=kind, at=utcnow(), evidence=evidence, text=text))


def _open(finding: sweep.Finding, now: datetime) -> Case:
    case = Case(
        facility_id=finding.facility_id,
        kind=finding.kind,
        status="open",
        evidence=finding.evidence,
        rule_version_ids=finding.rule_version_ids,
        opened_at=now,
        last_checked_at=now,
    )
    db.session.add(case)
    _event(case, "opened", finding.evidence)
    return case


def _reopen(case: Case, finding: sweep.Finding, now: datetime) -> None:
    case.status = "open"
    case.times_reopened += 1
    case.closed_at = case.closed_by_id = case.close_reason = None
    case.evidence, case.rule_version_ids, case.last_checked_at = (
        finding.evidence,
        finding.rule_version_ids,
        now,
    )
    _event(case, "reopened", finding.evidence)


def _close(case: Case, finding: sweep.Finding, now: datetime) -> None:
    case.status, case.closed_at, case.closed_by_id, case.close_reason = "closed", now, None, None
    case.last_checked_at = now
    _event(case, "closed", finding.evidence, "Vi phạm đã được khắc phục (kiểm tra tự động).")


def apply_finding(case: Case | None, finding: sweep.Finding, now: datetime) -> tuple[Case | None, str | None]:
    """Bring one case in line with one finding; returns the case and what was done (None: nothing)."""
    if not finding.is_breach:
        if case is not None and case.status == "open":
            _close(case, finding, now)
            return case, "closed"
        return case, None
    if case is None:
        return _open(finding, now), "opened"
    if case.status == "closed":
        if case.closed_by_id is not None and same_evidence(case.evidence, finding.evidence):
            case.last_checked_at = now
            return case, "kept_closed"
        _reopen(case, finding, now)
        return case, "reopened"
    changed = not same_evidence(case.evidence, finding.evidence)
    case.evidence, case.rule_version_ids, case.last_checked_at = (
        finding.evidence,
        finding.rule_version_ids,
        now,
    )
    if changed:
        _event(case, "updated", finding.evidence)
        return case, "updated"
    return case, "unchanged"


def apply_findings(findings: list[sweep.Finding], now: datetime) -> list[tuple[Case, str]]:
    """Apply the findings of some facilities to their cases (one query for the existing ones)."""
    ids = sorted({f.facility_id for f in findings})
    existing = {
        (c.facility_id, c.kind): c
        for c in db.session.scalars(sa.select(Case).where(Case.facility_id.in_(ids)))
    }
    done = []
    for finding in findings:
        case, action = apply_finding(existing.get((finding.facility_id, finding.kind)), finding, now)
        if action is not None:
            done.append((case, action))
    db.session.flush()
    for case, action in done:
        if action in ("opened", "reopened", "closed"):
            record(
                f"case.{action}",
                case,
                label=f"#{case.id} {case.kind}",
                changes={"status": [None, case.status]},
            )
    return done


def sweep_facilities(facilities: list[Facility], as_of: date, moment: datetime, limits: sweep.Thresholds):
    """Judge these facilities and apply the findings; returns (findings, actions)."""
    findings = [
        f for facts in gather(facilities, as_of, moment) for f in sweep.detect(facts, as_of, moment, limits)
    ]
    return findings, apply_findings(findings, utcnow())


def _summary(
    as_of: date, facilities: int, findings: Counter, actions: list[dict[str, Any]]
) -> dict[str, Any]:
    counts = Counter(a["action"] for a in actions)
    open_by_kind = dict(
        db.session.execute(
            sa.select(Case.kind, sa.func.count()).where(Case.status == "open").group_by(Case.kind)
        ).all()
    )
    return {
        "as_of": as_of.isoformat(),
        "facilities": facilities,
        "breaches": sum(findings.values()),
        **{action: counts.get(action, 0) for action in ACTIONS},
        "open_cases": sum(open_by_kind.values()),
        "by_kind": {
            k: {"breaches": findings.get(k, 0), "open_cases": open_by_kind.get(k, 0)} for k in sweep.KINDS
        },
        "changes": [a for a in actions if a["action"] != "unchanged"],
    }


def run_sweep(
    as_of: date | None = None,
    chunk_size: int = CHUNK_SIZE,
    after_chunk: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Sweep every facility on the local date ``as_of`` (today by default); the summary of the CLI contract."""
    as_of = as_of or today()
    moment = check_moment(as_of)
    limits = thresholds()
    ids = list(db.session.scalars(sa.select(Facility.id).order_by(Facility.id)))
    breaches: Counter = Counter()
    actions: list[dict[str, Any]] = []
    for start in range(0, len(ids), chunk_size):
        chunk = list(
            db.session.scalars(sa.select(Facility).where(Facility.id.in_(ids[start : start + chunk_size])))
        )
        codes = {f.id: f.code for f in chunk}
        findings, done = sweep_facilities(chunk, as_of, moment, limits)
        breaches.update(f.kind for f in findings if f.is_breach)
        actions += [
            {"case_id": c.id, "facility": codes[c.facility_id], "kind": c.kind, "action": a} for c, a in done
        ]
        if after_chunk is not None:
            after_chunk(min(start + chunk_size, len(ids)), len(ids))
    return _summary(as_of, len(ids), breaches, actions)
