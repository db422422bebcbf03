"""The demo's rule attributes and sources: every clause of every regime is at work somewhere."""

from __future__ import annotations

from collections import Counter

import pytest
import sqlalchemy as sa

from app.compliance.evaluator import KINDS, evaluate_rule, validate_facility
from app.compliance.models import Obligation
from app.compliance.rules_emission import SOURCE_KINDS
from app.compliance.services import regime_codes, regime_in_force, rule_set, today
from app.demo import province_rules
from app.demo.province_facilities import facility_rows
from app.demo.province_rules import rule_values, source_rows
from app.demo.services import build_demo
from app.extensions import db
from app.facilities.models import Facility

# The data, without a database.

# Days of readings: a small demo keeps these tests fast (test_demo_data.py builds a full one).
DAYS = 2


def _plain_facility(row: dict) -> dict:
    values = {**row, **rule_values(row)}
    for key in ("production_capacity_t_year", "wastewater_flow_m3_day"):
        values[key] = None if values[key] is None else float(values[key])
    return values


def _plain_source(row: dict) -> dict:
    values = {key: row[key] for key in ("source_kind", "fuel", "capacity_unit")}
    values["source_code"] = row["code"]
    for key in ("capacity", "flow_m3_h"):
        values[key] = None if row[key] is None else float(row[key])
    return values


def test_every_facility_has_plausible_consistent_attributes():
    rows = facility_rows()
    assert set(province_rules.ATTRIBUTES) == {r["code"] for r in rows}
    sources = source_rows()
    assert len({s["code"] for s in sources}) == len(sources)
    by_facility: dict[str, list[dict]] = {}
    for source in sources:
        assert source["source_kind"] in SOURCE_KINDS and len(source["code"]) <= 40
        by_facility.setdefault(source["facility_code"], []).append(_plain_source(source))
    assert set(by_facility) <= set(province_rules.ATTRIBUTES)
    flags: Counter[str] = Counter()
    for row in rows:
        values = _plain_facility(row)
        assert values["in_industrial_park"] == bool(row["industrial_park"])
        assert values["central_wwtp"] == (row["industry_type"] == "central_wwtp")
        assert values["wastewater_flow_m3_day"] > 0
        assert validate_facility(values, by_facility.get(row["code"], [])) == [], row["code"]
        flags.update(key for key, value in values.items() if value is True)
    assert flags["exempt_from_connection"] == 1 and flags["connected_to_central_wwtp"] >= 3
    for flag in (
        "hazardous_waste_treatment",
        "solid_waste_treatment_provincial",
        "imported_scrap",
        "repeat_wastewater_violator",
        "ppc_designated",
        "aquaculture",
    ):
        assert flags[flag] >= 1, flag


# After build_demo, inside the test's transaction.


@pytest.fixture
def demo():
    summary = build_demo(reset=False, days=DAYS)
    facilities = {f.code: f for f in db.session.scalars(sa.select(Facility))}
    obligations = db.session.scalars(sa.select(Obligation)).all()
    return summary, facilities, obligations


def test_obligations_are_stored_for_every_facility_and_regime(demo):
    summary, facilities, obligations = demo
    regimes = regime_codes()
    assert len(obligations) == len(facilities) * len(regimes) * len(KINDS)
    assert {(o.facility.code, o.regime, o.kind) for o in obligations} == {
        (code, regime, kind) for code in facilities for regime in regimes for kind in KINDS
    }
    counts = summary["obligations"]
    assert counts["regime"] == regime_in_force(today())
    for kind in KINDS:
        assert sum(counts[kind].values()) == summary["facilities"]
    assert summary["sources"] == len(source_rows())


@pytest.mark.parametrize("kind", KINDS)
def test_every_clause_of_every_regime_applies_to_some_demo_facility(demo, kind):
    _, _, obligations = demo
    for regime in regime_codes():
        expected = {r.clause for r in rule_set(regime).rules if r.kind == kind}
        applied = {c for o in obligations if (o.regime, o.kind) == (regime, kind) for c in o.clauses}
        assert expected or (regime, kind) == ("decree-38-2015", "emission"), regime
        assert applied == expected, regime


def test_decree_05_shows_its_required_and_optional_bands(demo):
    _, facilities, obligations = demo
    rules = [r.data for r in rule_set("decree-05-2025").rules if r.kind == "wastewater"]
    found = set()
    for facility in facilities.values():
        sources = [s.attributes() for s in facility.sources]
        for rule in rules:
            result = evaluate_rule(rule, facility.attributes(), sources)
            if result["applies"]:
                found.add((rule["clause"], result["status"]))
    assert found == {
        ("row1", "required"),
        ("row2", "required"),
        ("row2", "optional"),
        ("row3", "required"),
        ("row3", "optional"),
    }
    assert any(o.regime == "decree-05-2025" and o.status == "optional" for o in obligations)


def test_every_regime_has_facilities_that_owe_nothing(demo):
    _, _, obligations = demo
    for regime in regime_codes():
        for kind in KINDS:
            assert any((o.regime, o.kind, o.status) == (regime, kind, "not_required") for o in obligations), (
                regime,
                kind,
            )


def _status(facilities, code: str, regime: str, kind: str) -> Obligation:
    return next(o for o in facilities[code].obligations if (o.regime, o.kind) == (regime, kind))


def test_facilities_just_under_a_threshold_owe_nothing(demo):
    _, facilities, _ = demo
    at_risk_under_500 = [
        f for f in facilities.values() if f.pollution_risk_type and 450 <= f.wastewater_flow_m3_day < 500
    ]
    assert at_risk_under_500
    for facility in at_risk_under_500:
        assert _status(facilities, facility.code, "decree-40-2019", "wastewater").status == "not_required"
        assert _status(facilities, facility.code, "decree-05-2025", "wastewater").status == "optional"
    gas_plants = [
        f
        for f in facilities.values()
        if f.industry_type == "thermal_power"
        and f.sources
        and all(s.fuel == "natural_gas" for s in f.sources)
    ]
    assert gas_plants
    small_incinerators = [
        f
        for f in facilities.values()
        if any(s.source_kind == "incinerator" and 0.4 <= float(s.capacity) / 1000 < 0.5 for s in f.sources)
    ]
    assert small_incinerators
    small_mills = [
        f
        for f in facilities.values()
        if f.industry_type == "steel" and f.production_capacity_t_year <= 200000
    ]
    assert small_mills
    for facility in gas_plants + small_incinerators + small_mills:
        for regime in ("decree-40-2019", "decree-08-2022", "decree-05-2025"):
            assert _status(facilities, facility.code, regime, "emission").status == "not_required"


def test_exemptions_and_deadlines_show(demo):
    _, facilities, _ = demo
    connected = [
        f
        for f in facilities.values()
        if f.connected_to_central_wwtp and f.pollution_risk_type and f.wastewater_flow_m3_day >= 500
    ]
    assert connected
    for facility in connected:
        obligation = _status(facilities, facility.code, "decree-08-2022", "wastewater")
        assert obligation.status == "not_required" and "đấu nối" in obligation.explanation
    (farm,) = [f for f in facilities.values() if f.aquaculture]
    assert _status(facilities, farm.code, "decree-40-2019", "wastewater").status == "required"
    assert _status(facilities, farm.code, "decree-05-2025", "wastewater").status == "not_required"
    (new,) = [f for f in facilities.values() if f.operation_start_date]
    assert _status(facilities, new.code, "decree-05-2025", "wastewater").deadline == new.operation_start_date
    (sanctioned,) = [f for f in facilities.values() if f.obligation_deadline]
    assert sanctioned.repeat_wastewater_violator
    obligation = _status(facilities, sanctioned.code, "decree-05-2025", "wastewater")
    assert obligation.deadline == sanctioned.obligation_deadline
