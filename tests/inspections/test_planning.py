"""Planning: each part of the score gathered from the system for many facilities at once."""

from __future__ import annotations

import json
from datetime import date

import pytest

from app.cases.models import Case
from app.extensions import db
from app.inspections import planning, risk
from app.inspections.models import Inspection
from app.settings.services import update
from app.stations.models import StationCertificate, StationStatusChange
from tests.inspections.conftest import local

MOMENT = local("2026-01-15 09:00")


def test_the_parts_come_from_cases_figures_timelines_certificates_and_inspections(
    facility, stations, make_facility
):
    first, second, _third = stations
    db.session.add_all(
        [
            Case(facility_id=facility.id, kind="low_completeness", status="open", step=2, evidence={}),
            Case(facility_id=facility.id, kind="exceedance", status="closed", step=1, evidence={}),
            StationStatusChange(station_id=second.id, status="receiving", since=local("2025-11-01 00:00")),
            StationStatusChange(station_id=second.id, status="lost", since=local("2025-12-21 01:00")),
            StationStatusChange(station_id=first.id, status="lost", since=local("2025-12-10 09:00")),
            StationStatusChange(station_id=first.id, status="receiving", since=local("2025-12-10 11:00")),
            StationCertificate(
                station_id=first.id,
                kind="calibration",
                issued_on=date(2025, 1, 1),
                expires_on=date(2026, 1, 1),
            ),
            Inspection(
                facility_id=facility.id,
                status="finalised",
                decision_number="1/QĐ",
                decision_date=date(2025, 10, 1),
                inspected_on=date(2025, 10, 5),
                place="x",
                team=[{"name": "A", "title": ""}],
                representatives=[],
                period_from=date(2025, 9, 1),
                period_to=date(2025, 9, 30),
                findings="",
                opinion="",
                copies=2,
                risk={},
                number=1,
                year=2025,
                pdf_sha256="0" * 64,
            ),
        ]
    )
    db.session.flush()
    quiet = make_facility()

    ranked = planning.rank_facilities(MOMENT, [quiet, facility])
    assert [s.facility_id for s in ranked] == [facility.id, quiet.id]
    found = next(s for s in ranked if s.facility_id == facility.id)

    assert found.part("open_cases").raw == [2]
    assert found.part("effective_rate").raw == pytest.approx(5760 / 8928)  # NT02 stopped on 20 December
    # NT02 lost from 21/12 01:00 to the end of December (263 h); NT01 2 h on 10/12.
    assert found.part("lost_hours").quantity == pytest.approx(263 + 2)
    assert found.part("exceedance_hours").raw == 0
    assert found.part("expired_certificates").raw == 1
    assert found.part("days_since_inspection").quantity == (date(2026, 1, 15) - date(2025, 10, 5)).days

    other = next(s for s in ranked if s.facility_id == quiet.id)
    assert other.part("effective_rate").raw is None and other.part("exceedance_hours").raw is None
    assert other.part("days_since_inspection").quantity == risk.NEVER_DAYS


def test_the_weights_are_settings(facility, stations):
    update({"risk.open_cases": 0.0, "risk.days_since_inspection": 2.0})
    (found,) = planning.rank_facilities(MOMENT, [facility])

    assert found.part("open_cases").weight == 0
    assert found.part("days_since_inspection").points == 2 * risk.NEVER_DAYS


def test_candidates_are_the_facilities_with_a_station_or_an_obligation(facility, make_facility):
    bare = make_facility()

    ids = {f.id for f in planning.candidates(MOMENT)}
    assert facility.id in ids and bare.id not in ids


def test_flask_inspections_rank_prints_the_parts_and_refuses_a_bad_date(app, facility, stations):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["inspections", "rank", "--as-of", "2026-01-15", "--json"])

    assert result.exit_code == 0, result.output
    (row,) = [r for r in json.loads(result.stdout) if r["facility"] == facility.code]
    assert [p["name"] for p in row["parts"]] == list(risk.PARTS)
    assert row["parts"][1]["raw"] == pytest.approx(5760 / 8928)
    assert row["total"] == pytest.approx(sum(p["points"] for p in row["parts"]), abs=0.01)

    bad = runner.invoke(args=["inspections", "rank", "--as-of", "15/01/2026"])
    assert bad.exit_code == 1 and "--as-of" in bad.stderr and bad.stdout == ""
