"""The seed rule data: regimes, clause tables, confidence marks, and data-driven evaluation."""

from __future__ import annotations

import json
from datetime import date

import pytest

from app.compliance.evaluator import evaluate, regime_for_date
from app.compliance.parameters import CANONICAL_ORDER
from app.compliance.rules_data import REGIMES, RULES, seed_regimes, seed_rules

from .helpers import REGIME_CODES, make_facility

CLAUSES = {
    ("decree-38-2015", "wastewater"): ["ip", "flow"],
    ("decree-38-2015", "emission"): [],
    ("decree-40-2019", "wastewater"): ["a", "b", "c", "d", "dd", "e"],
    ("decree-08-2022", "wastewater"): ["row1", "row2", "row3"],
    ("decree-05-2025", "wastewater"): ["row1", "row2", "row3"],
}
EMISSION_CLAUSES = ["steel", "thermal_power", "cement", "chemicals", "incinerator"]
for _code in ("decree-40-2019", "decree-08-2022", "decree-05-2025"):
    CLAUSES[(_code, "emission")] = EMISSION_CLAUSES

CONFIRMED = {
    ("decree-38-2015", "ip"),
    ("decree-38-2015", "flow"),
    *(("decree-40-2019", c) for c in ["a", "b", "c", "d", "dd", "e"]),
    *(("decree-40-2019", c) for c in ["steel", "thermal_power", "cement", "chemicals"]),
    *(("decree-08-2022", c) for c in ["row1", "row2", "row3"]),
}


def test_seed_data_is_json_serialisable() -> None:
    assert json.loads(json.dumps(RULES)) == RULES
    assert json.loads(json.dumps(REGIMES)) == REGIMES


def test_regime_table() -> None:
    table = {r["code"]: (r["valid_from"], r["valid_to"], r["deadline"]) for r in REGIMES}
    assert table == {
        "decree-38-2015": (None, "2019-06-30", None),
        "decree-40-2019": ("2019-07-01", "2022-01-09", "2021-12-31"),
        "decree-08-2022": ("2022-01-10", "2025-01-05", "2024-12-31"),
        "decree-05-2025": ("2025-01-06", None, "2024-12-31"),
    }
    assert {r["code"]: r["confidence"] for r in REGIMES}["decree-05-2025"] == "to_verify"
    assert all(r["name"] for r in REGIMES)


@pytest.mark.parametrize(
    ("on", "code"),
    [
        (date(2012, 5, 1), "decree-38-2015"),
        (date(2019, 6, 30), "decree-38-2015"),
        (date(2019, 7, 1), "decree-40-2019"),
        (date(2022, 1, 9), "decree-40-2019"),
        (date(2022, 1, 10), "decree-08-2022"),
        (date(2025, 1, 5), "decree-08-2022"),
        (date(2025, 1, 6), "decree-05-2025"),
        (date(2040, 1, 1), "decree-05-2025"),
    ],
)
def test_regime_for_date(on: date, code: str) -> None:
    assert regime_for_date(seed_regimes(), on)["code"] == code


def test_regime_for_date_outside_every_regime() -> None:
    regimes = [{"code": "x", "valid_from": "2020-01-01", "valid_to": "2020-12-31"}]
    assert regime_for_date(regimes, date(2021, 1, 1)) is None
    assert regime_for_date(regimes, date(2020, 12, 31))["code"] == "x"


@pytest.mark.parametrize(("key", "clauses"), CLAUSES.items())
def test_clause_tables_in_order(key: tuple[str, str], clauses: list[str]) -> None:
    code, kind = key
    rows = sorted((r for r in RULES if (r["regime"], r["kind"]) == key), key=lambda r: r["order"])
    assert [r["clause"] for r in rows] == clauses
    assert [r["order"] for r in rows] == list(range(1, len(rows) + 1))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r['regime']}/{r['clause']}")
def test_rule_is_complete(rule: dict) -> None:
    regime = next(r for r in REGIMES if r["code"] == rule["regime"])
    assert (rule["valid_from"], rule["valid_to"]) == (regime["valid_from"], regime["valid_to"])
    assert rule["confidence"] in {"confirmed", "to_verify"}
    assert rule["label"] and rule["summary"] and rule["citation"]
    assert "when" not in rule["outcomes"][-1], "the last outcome is the default"
    assert {o["status"] for o in rule["outcomes"]} <= {"required", "optional"}
    for outcome in rule["outcomes"]:
        assert "{citation}" in outcome["explanation"]
        assert outcome["explanation"].endswith(".")
    parameters = rule.get("parameters") or [
        p for trigger in rule.get("triggers", []) for p in trigger["parameters"]
    ]
    assert parameters and set(parameters) <= set(CANONICAL_ORDER)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r['regime']}/{r['clause']}")
def test_confidence_where_regulation_marks_it(rule: dict) -> None:
    expected = "confirmed" if (rule["regime"], rule["clause"]) in CONFIRMED else "to_verify"
    assert rule["confidence"] == expected


@pytest.mark.parametrize(
    ("code", "confidence"),
    [
        ("decree-38-2015", "to_verify"),
        ("decree-40-2019", "confirmed"),
        ("decree-08-2022", "to_verify"),
        ("decree-05-2025", "to_verify"),
    ],
)
def test_wastewater_parameters_confidence(code: str, confidence: str) -> None:
    rows = [r for r in RULES if r["regime"] == code and r["kind"] == "wastewater"]
    assert {r["parameters_confidence"] for r in rows} == {confidence}


def test_decree_40_citations() -> None:
    citations = {r["clause"]: r["citation"] for r in seed_rules("decree-40-2019")}
    assert citations["b"] == (
        "điểm b khoản 2 Điều 39 Nghị định 38/2015/NĐ-CP, sửa đổi bởi khoản 20 Điều 3 Nghị định 40/2019/NĐ-CP"
    )
    assert citations["dd"].startswith("điểm đ khoản 2 Điều 39")
    assert "khoản 23 Điều 3 Nghị định 40/2019/NĐ-CP" in citations["incinerator"]


def test_seed_rules_returns_independent_copies() -> None:
    rules = seed_rules("decree-40-2019")
    rules[0]["condition"]["attr"] = "changed"
    assert {r["regime"] for r in rules} == {"decree-40-2019"}
    assert all(r["condition"] != rules[0]["condition"] for r in seed_rules("decree-40-2019"))


@pytest.mark.parametrize("code", REGIME_CODES)
def test_rules_of_other_regimes_are_ignored(code: str) -> None:
    facility = make_facility(central_wwtp=True)
    regime = next(r for r in REGIMES if r["code"] == code)
    assert evaluate(facility, [], regime, RULES) == evaluate(facility, [], regime, seed_rules(code))


def test_a_new_regime_is_only_data() -> None:
    regime = {
        "code": "decree-99-2030",
        "name": "Nghị định 99/2030/NĐ-CP",
        "valid_from": "2030-01-01",
        "valid_to": None,
        "deadline": "2031-06-30",
        "deadline_note": "Thời hạn: {deadline}.",
    }
    rule = {
        "regime": "decree-99-2030",
        "kind": "wastewater",
        "clause": "x",
        "order": 1,
        "label": "điểm x",
        "summary": "lưu lượng từ 50 m³/ngày",
        "citation": "điểm x Điều 1 Nghị định 99/2030/NĐ-CP",
        "condition": {"attr": "wastewater_flow_m3_day", "op": ">=", "value": 50},
        "exemptions": [],
        "outcomes": [
            {
                "when": {"attr": "wastewater_flow_m3_day", "op": ">", "value": 100},
                "status": "required",
                "explanation": "Lưu lượng {wastewater_flow_m3_day} m³/ngày theo {citation}.",
            },
            {"status": "optional", "explanation": "Được lựa chọn theo {citation}."},
        ],
        "parameters": ["COD", "FLOW_OUT"],
    }
    high = evaluate(make_facility(wastewater_flow_m3_day=1500.0), [], regime, [rule])[0]
    assert high["status"] == "required"
    assert high["parameters"] == ["FLOW_OUT", "COD"]
    assert high["deadline"] == date(2031, 6, 30)
    assert high["explanation"] == (
        "Lưu lượng 1.500 m³/ngày theo điểm x Điều 1 Nghị định 99/2030/NĐ-CP. Thời hạn: 30/06/2031."
    )
    low = evaluate(make_facility(wastewater_flow_m3_day=60.0), [], regime, [rule])[0]
    assert low["status"] == "optional"
