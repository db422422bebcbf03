"""The facts an inspection's record is pre-filled with, for its facility and period, as plain JSON.

Every figure comes from the function that computes it everywhere else: obligations as
``app.compliance`` stored them, coverage from ``app.stations.coverage_services``, each
station's status from ``app.stations.services``, completeness raw and excused from
``app.telemetry.figures.stations_completeness`` (the function of ``flask telemetry
completeness``), exceedance hours from ``app.telemetry.exceedances``. The snapshot is
what the minutes print; it is frozen on the inspection when it is finalised.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from app.cases.models import Case
from app.compliance.models import Obligation
from app.extensions import db
from app.facilities.models import EmissionSource, Facility
from app.notices.models import Notice, NoticeAnswer
from app.settings.services import get as setting
from app.stations.coverage_services import facility_stations
from app.stations.models import StationCertificate, StationStatusChange
from app.telemetry import figures
from app.telemetry.exceedances import facility_exceedances
from app.telemetry.metrics import GAP_OVER_1H_SLOTS
from app.telemetry.slots import day_start


def _day(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def obligations(facility: Facility, regime: str | None) -> list[dict[str, Any]]:
    """The facility's stored obligations under the regime in force, with their clauses and bases."""
    rows = db.session.scalars(
        sa.select(Obligation)
        .where(Obligation.facility_id == facility.id, Obligation.regime == regime)
        .order_by(Obligation.kind)
    )
    return [
        {
            "kind": o.kind,
            "status": o.status,
            "clauses": list(o.clauses or ()),
            "parameters": list(o.parameters or ()),
            "deadline": _day(o.deadline),
            "basis": list(dict.fromkeys(c["citation"] for c in o.citations or () if c.get("citation"))),
        }
        for o in rows
    ]


def _certificates(station_ids: list[int], today: date) -> dict[int, list[dict[str, Any]]]:
    rows = db.session.scalars(
        sa.select(StationCertificate)
        .where(StationCertificate.station_id.in_(station_ids))
        .order_by(StationCertificate.station_id, StationCertificate.kind, StationCertificate.issued_on)
    )
    found: dict[int, list[dict[str, Any]]] = {}
    for c in rows:
        found.setdefault(c.station_id, []).append(
            {
                "kind": c.kind,
                "number": c.number or "",
                "issued_on": _day(c.issued_on),
                "expires_on": _day(c.expires_on),
                "is_expired": c.expires_on is not None and c.expires_on < today,
            }
        )
    return found


def _timelines(station_ids: list[int], start: datetime, end: datetime) -> dict[int, list[dict[str, str]]]:
    """Each station's status steps in [start, end), led by the status it started the period in."""
    rows = db.session.scalars(
        sa.select(StationStatusChange)
        .where(StationStatusChange.station_id.in_(station_ids), StationStatusChange.since < end)
        .order_by(StationStatusChange.station_id, StationStatusChange.since, StationStatusChange.id)
    )
    found: dict[int, list[dict[str, str]]] = {}
    for change in rows:
        steps = found.setdefault(change.station_id, [])
        if change.since <= start and steps:
            steps.clear()
        steps.append({"status": change.status, "since": change.since.isoformat()})
    return found


def _sources(facility: Facility) -> dict[int, str]:
    rows = db.session.execute(
        sa.select(EmissionSource.id, EmissionSource.code).where(EmissionSource.facility_id == facility.id)
    )
    return dict(rows.all())


def _figures(values: dict[str, Any]) -> dict[str, Any]:
    """A contract object without its gap lists (the long gaps are kept apart)."""
    kept = {k: v for k, v in values.items() if k != "gaps"}
    kept["parameters"] = {
        code: {k: v for k, v in item.items() if k != "gaps"} for code, item in values["parameters"].items()
    }
    return kept


def _station_row(seen: Any, source: str, certificates: list, timeline: list) -> dict[str, Any]:
    s = seen.station
    return {
        "code": s.code,
        "name": s.name or "",
        "kind": s.kind,
        "source": source,
        "parameters": list(s.parameters or ()),
        "has_camera": bool(s.has_camera),
        "has_sampler": bool(s.has_sampler),
        "datalogger": " ".join(filter(None, [s.datalogger_make, s.datalogger_ip])),
        "installed_at": _day(s.installed_at),
        "data_expected_from": _day(s.data_expected_from),
        "last_reading_at": _day(s.last_reading_at),
        "status": str(seen.state.status),
        "certificates": certificates,
        "timeline": timeline,
    }


def _coverage(coverages: list) -> list[dict[str, Any]]:
    return [
        {
            "kind": c.kind,
            "status": c.status,
            "is_under_obligation": c.is_under_obligation,
            "targets": [
                {
                    "source": t.source,
                    "required": list(t.required),
                    "monitored": list(t.monitored),
                    "missing": list(t.missing),
                    "stations": list(t.stations),
                }
                for t in c.targets
            ],
        }
        for c in coverages
    ]


def stations_and_figures(facility: Facility, first: date, last: date, moment: datetime) -> dict[str, Any]:
    """The stations (equipment, certificates, status timeline) and their completeness, raw and excused."""
    found = facility_stations(facility, moment)
    stations = [seen.station for seen in found.stations]
    ids = [s.id for s in stations]
    certificates = _certificates(ids, moment.date())
    timelines = _timelines(ids, day_start(first), day_start(last + timedelta(days=1)))
    sources = _sources(facility)
    raw = figures.stations_completeness(stations, first, last, moment, excused=False)
    excused = figures.stations_completeness(stations, first, last, moment, excused=True)
    rows, completeness, gaps = [], [], []
    for seen in found.stations:
        s = seen.station
        source = sources.get(s.source_id, "") if s.source_id else ""
        rows.append(_station_row(seen, source, certificates.get(s.id, []), timelines.get(s.id, [])))
        completeness.append(
            {"station": s.code, "raw": _figures(raw[s.id]), "excused": _figures(excused[s.id])}
        )
        gaps += [{"station": s.code, **g} for g in raw[s.id]["gaps"] if g["slots"] >= GAP_OVER_1H_SLOTS]
    return {
        "regime": found.regime,
        "coverage": _coverage(found.coverages),
        "stations": rows,
        "completeness": completeness,
        "gaps": gaps,
    }


def exceedances(facility: Facility, first: date, last: date, moment: datetime) -> dict[str, Any]:
    """The facility's exceedance hours of the period: the total and per parameter."""
    found = facility_exceedances(
        facility, first, last, moment, int(setting("threshold.hourly_mean_min_slots"))
    )
    by_parameter = [[p, found.parameter_total(p)] for p in sorted(found.by_parameter_day)]
    return {"total_hours": found.total_hours, "by_parameter": [i for i in by_parameter if i[1]]}


def cases_and_notices(facility: Facility) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The facility's open cases with their step, and its issued notices with the answers."""
    cases = db.session.scalars(
        sa.select(Case).where(Case.facility_id == facility.id, Case.status == "open").order_by(Case.opened_at)
    )
    notices = list(
        db.session.scalars(
            sa.select(Notice)
            .where(Notice.facility_id == facility.id, Notice.status == "issued")
            .order_by(Notice.issued_on, Notice.id)
        )
    )
    answers: dict[int, list[dict[str, str]]] = {}
    if notices:
        rows = db.session.scalars(
            sa.select(NoticeAnswer)
            .where(NoticeAnswer.notice_id.in_([n.id for n in notices]))
            .order_by(NoticeAnswer.created_at)
        )
        for answer in rows:
            answers.setdefault(answer.notice_id, []).append(
                {"at": answer.created_at.isoformat(), "text": answer.text}
            )
    return (
        [{"kind": c.kind, "step": c.step, "opened_at": c.opened_at.isoformat()} for c in cases],
        [
            {
                "number": n.number_text or "",
                "issued_on": _day(n.issued_on),
                "summary": n.summary,
                "answer_due_on": _day(n.answer_due_on),
                "answers": answers.get(n.id, []),
            }
            for n in notices
        ],
    )


def gather_facts(facility: Facility, first: date, last: date, moment: datetime) -> dict[str, Any]:
    """The snapshot of the record for the facility and the period first..last, figures as of ``moment``."""
    stations = stations_and_figures(facility, first, last, moment)
    cases, notices = cases_and_notices(facility)
    return {
        "period": [first.isoformat(), last.isoformat()],
        "as_of": moment.isoformat(),
        "regime": stations["regime"],
        "obligations": obligations(facility, stations["regime"]),
        "coverage": stations["coverage"],
        "stations": stations["stations"],
        "completeness": stations["completeness"],
        "gaps": stations["gaps"],
        "exceedances": exceedances(facility, first, last, moment),
        "cases": cases,
        "notices": notices,
    }
