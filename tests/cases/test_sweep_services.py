"""The sweep on the database: cases opened, kept, updated, closed by themselves and reopened."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.cases.models import Case, CaseEvent
from app.cases.sweep_services import run_sweep
from app.extensions import db
from app.settings.services import update
from app.stations.models import ExcuseWindow
from tests.cases.conftest import AS_OF, DECEMBER, local, send


def cases_of(facility) -> dict[str, Case]:
    rows = db.session.scalars(sa.select(Case).where(Case.facility_id == facility.id))
    return {c.kind: c for c in rows}


def events_of(case: Case) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
        )
    )


def test_a_facility_without_station_gets_one_not_installed_case_once(facility):
    first = run_sweep(AS_OF)
    case = cases_of(facility)["not_installed"]
    assert case.status == "open" and case.step == 0
    assert case.evidence["as_of"] == AS_OF.isoformat()
    assert case.evidence["sentence"] == "chưa lắp đặt trạm quan trắc nước thải tự động theo quy định."
    assert case.evidence["legal_basis"] and case.rule_version_ids
    assert {
        "action": "opened",
        "case_id": case.id,
        "facility": facility.code,
        "kind": "not_installed",
    } in first["changes"]
    again = run_sweep(AS_OF + timedelta(days=1))
    assert set(cases_of(facility)) == {"not_installed"}
    assert events_of(case) == ["opened"]
    assert again["unchanged"] >= 1
    assert cases_of(facility)["not_installed"].evidence["as_of"] == "2026-01-16"
    audit = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_id == str(case.id))).all()
    assert "case.opened" in audit


def test_the_case_closes_by_itself_when_the_breach_clears_and_reopens_when_it_comes_back(
    facility, make_station
):
    run_sweep(AS_OF)
    case = cases_of(facility)["not_installed"]
    station = make_station()
    send(station, DECEMBER[0], AS_OF)
    summary = run_sweep(AS_OF)
    assert case.status == "closed" and case.closed_by_id is None and case.closed_at is not None
    assert summary["closed"] == 1 and summary["opened"] == 0, summary["changes"]
    closing = db.session.scalars(
        sa.select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == "closed")
    ).one()
    assert closing.evidence["sentence"].startswith("đã lắp đặt")
    assert set(cases_of(facility)) == {"not_installed"}, "a fully compliant station opens nothing else"
    station.installed_at = None
    station.data_expected_from = None
    db.session.flush()
    summary = run_sweep(AS_OF)
    assert summary["reopened"] == 1
    assert case.status == "open" and case.times_reopened == 1 and case.closed_at is None
    assert events_of(case) == ["opened", "closed", "reopened"]
    assert db.session.scalar(sa.select(sa.func.count(Case.id)).where(Case.facility_id == facility.id)) == 1


def test_not_connected_then_lost_connection(facility, make_station):
    station = make_station(connected=False)
    run_sweep(AS_OF)
    assert set(cases_of(facility)) == {"not_connected"}
    station.data_expected_from = local("2025-06-01 00:00")
    send(station, DECEMBER[0], date(2026, 1, 13))
    run_sweep(AS_OF)
    found = cases_of(facility)
    assert found["not_connected"].status == "closed"
    lost = found["lost_connection"]
    assert lost.status == "open"
    assert lost.evidence["stations"][0]["code"] == station.code
    assert datetime.fromisoformat(lost.evidence["stations"][0]["lost_since"]) == local("2026-01-14 01:00")


def test_lost_for_less_than_the_setting_is_no_case(facility, make_station):
    station = make_station()
    send(station, DECEMBER[0], date(2026, 1, 14))  # lost since 01:00 on the 15th: 23 hours at the check
    run_sweep(AS_OF)
    assert "lost_connection" not in cases_of(facility)
    update({"threshold.lost_case_after_hours": 22})
    run_sweep(AS_OF)
    assert cases_of(facility)["lost_connection"].evidence["hours"] == 22
    assert station.code in cases_of(facility)["lost_connection"].evidence["sentence"]


def test_low_completeness_raw_then_excused_with_an_approved_window(facility, make_station):
    station = make_station()
    gap = (local("2025-12-10 00:00"), local("2025-12-15 00:00"))
    send(station, DECEMBER[0], AS_OF, skip=lambda m: gap[0] <= m < gap[1])
    run_sweep(AS_OF)
    case = cases_of(facility)["low_completeness"]
    (row,) = case.evidence["stations"]
    assert row["basis"] == "raw" and row["is_below"] and abs(row["raw_effective_rate"] - 26 / 31) < 1e-9
    assert case.evidence["month"] == "2025-12"
    db.session.add(
        ExcuseWindow(
            station_id=station.id,
            kind="incident",
            status="approved",
            starts_at=gap[0],
            expected_end_at=gap[1],
            reason="hỏng bơm",
        )
    )
    db.session.flush()
    run_sweep(AS_OF)
    assert case.status == "closed"
    closing = db.session.scalars(
        sa.select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == "closed")
    ).one()
    assert closing.evidence["stations"][0]["basis"] == "excused"
    assert closing.evidence["stations"][0]["excused_effective_rate"] == 1.0


def test_the_target_is_a_setting(facility, make_station):
    station = make_station()
    send(station, DECEMBER[0], AS_OF, skip=lambda m: m.day == 10 and m.month == 12)
    run_sweep(AS_OF)
    assert "low_completeness" not in cases_of(facility)
    update({"threshold.completeness_target": 0.98})
    run_sweep(AS_OF)
    assert cases_of(facility)["low_completeness"].status == "open"


def test_evidence_that_changes_is_an_updated_event_only_then(facility, make_station):
    station = make_station()
    send(station, DECEMBER[0], date(2026, 2, 14), skip=lambda m: m.day <= 5)
    run_sweep(AS_OF)
    case = cases_of(facility)["low_completeness"]
    run_sweep(AS_OF + timedelta(days=3))
    assert events_of(case) == ["opened"]
    summary = run_sweep(date(2026, 2, 14))
    assert events_of(case) == ["opened", "updated"]
    assert case.evidence["month"] == "2026-01"
    assert summary["updated"] == 1


def test_exceedance_hours_from_the_setting_on(facility, make_station):
    station = make_station()
    hot = {local(f"2025-12-10 {h:02d}:00") for h in range(8)}
    send(
        station,
        DECEMBER[0],
        AS_OF,
        value_at=lambda m, code: "300" if code == "COD" and m.replace(minute=0) in hot else None,
    )
    run_sweep(AS_OF)
    case = cases_of(facility)["exceedance"]
    assert case.evidence["hours"] == 8
    assert case.evidence["table"]["rows"][0] == ["COD", 8]
    assert case.evidence["legal_basis"][0].startswith("QCVN 40:2011/BTNMT cột A")
    update({"threshold.exceedance_hours_case": 9})
    run_sweep(AS_OF)
    assert case.status == "closed"


def test_missing_parameters_of_an_installed_station(facility, make_station, required_parameters):
    station = make_station(parameters=[p for p in required_parameters if p != "COD"])
    send(station, DECEMBER[0], AS_OF)
    run_sweep(AS_OF)
    found = cases_of(facility)
    assert set(found) == {"missing_parameters"}
    assert found["missing_parameters"].evidence["targets"] == [
        {"kind": "wastewater", "source": None, "missing": ["COD"]}
    ]


def test_a_case_closed_by_an_inspector_stays_closed_until_the_evidence_changes(
    facility, make_station, make_user
):
    from app.audit.actor import acting_as
    from app.cases.services import close_case

    station = make_station(connected=False)
    run_sweep(AS_OF)
    case = cases_of(facility)["not_connected"]
    inspector = make_user("inspector")
    with acting_as(inspector.email, inspector.id):
        close_case(case, "Cơ sở đã ngừng hoạt động, đã kiểm tra thực tế.")
    summary = run_sweep(AS_OF + timedelta(days=1))
    assert case.status == "closed" and summary["kept_closed"] == 1
    station.installed_at = date(2025, 7, 1)
    db.session.flush()
    run_sweep(AS_OF + timedelta(days=2))
    assert case.status == "open" and case.times_reopened == 1 and case.closed_by_id is None
