"""The risk score: every part computed from what was found, weighted, summed; timelines and certificates."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from app.formatting import LOCAL_TZ
from app.inspections import risk

WEIGHTS = {name: 1.0 for name in risk.PARTS}
TODAY = date(2026, 1, 15)


def moment(day: int, hour: int = 0) -> datetime:
    return datetime(2025, 12, day, hour, tzinfo=LOCAL_TZ)


def test_each_part_is_its_quantity_times_its_weight_and_the_score_their_sum():
    inputs = risk.Inputs(
        open_case_steps=[2, 0],
        lowest_effective_rate=0.873,
        lost_hours=12.5,
        exceedance_hours=9,
        expired_certificates=1,
        last_inspected_on=TODAY - timedelta(days=100),
    )
    weights = {**WEIGHTS, "open_cases": 10.0, "exceedance_hours": 2.0, "days_since_inspection": 0.05}
    found = risk.score(7, inputs, weights, TODAY)

    assert [p.name for p in found.parts] == list(risk.PARTS)
    assert found.part("open_cases").quantity == 4  # (1 + 2) + (1 + 0)
    assert found.part("open_cases").points == 40
    assert found.part("effective_rate").quantity == pytest.approx(12.7)
    assert found.part("lost_hours").points == 12.5
    assert found.part("exceedance_hours").points == 18
    assert found.part("expired_certificates").points == 1
    assert found.part("days_since_inspection").points == pytest.approx(5.0)
    assert found.total == pytest.approx(40 + 12.7 + 12.5 + 18 + 1 + 5)
    assert found.as_dict()["parts"][0] == {
        "name": "open_cases",
        "raw": [2, 0],
        "quantity": 4.0,
        "weight": 10.0,
        "points": 40.0,
    }


def test_nothing_found_scores_only_the_time_since_never_inspected():
    found = risk.score(1, risk.Inputs(), WEIGHTS, TODAY)

    assert found.part("days_since_inspection").quantity == risk.NEVER_DAYS
    assert found.part("days_since_inspection").raw is None
    assert found.total == risk.NEVER_DAYS


def test_a_zero_weight_removes_a_part_and_ranking_is_by_score_then_id():
    busy = risk.Inputs(open_case_steps=[3], last_inspected_on=TODAY)
    quiet = risk.Inputs(last_inspected_on=TODAY)
    weights = {**WEIGHTS, "open_cases": 0.0}

    assert risk.score(1, busy, weights, TODAY).total == 0
    ranked = risk.rank(
        [risk.score(i, quiet, WEIGHTS, TODAY) for i in (5, 2)] + [risk.score(9, busy, WEIGHTS, TODAY)]
    )
    assert [s.facility_id for s in ranked] == [9, 2, 5]


def test_lost_hours_clip_the_timeline_to_the_period_and_start_from_the_status_before_it():
    start, end = moment(1), moment(31) + timedelta(days=1)
    changes = [
        ("lost", moment(1) - timedelta(hours=5)),  # lost before the month: counts from its start
        ("receiving", moment(1, 3)),
        ("lost", moment(20, 10)),
        ("receiving", moment(20, 22)),
        ("lost", moment(31, 23)),  # still lost at the end
    ]
    assert risk.lost_hours(changes, start, end) == pytest.approx(3 + 12 + 1)
    assert risk.lost_hours([("receiving", moment(1))], start, end) == 0


def test_only_the_latest_certificate_of_a_kind_counts_as_expired():
    certificates = [
        ("calibration", date(2024, 1, 1), date(2025, 1, 1)),  # renewed below
        ("calibration", date(2025, 1, 2), date(2026, 1, 2)),  # expired before 15/01/2026
        ("inspection", date(2025, 6, 1), date(2026, 6, 1)),
    ]
    assert risk.expired_count(certificates, TODAY) == 1
    assert risk.expired_count(certificates[:1] + certificates[2:], date(2024, 6, 1)) == 0
    assert risk.days_since(None, TODAY) == risk.NEVER_DAYS
    assert risk.days_since(TODAY - timedelta(days=3000), TODAY) == risk.NEVER_DAYS
