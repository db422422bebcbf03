"""Rules written out in Vietnamese, and the numeric values an administrator changes (no database)."""

from __future__ import annotations

import copy

import pytest

from app.compliance.describe import (
    describe_condition,
    describe_rule,
    describe_trigger,
    numeric_fields,
    with_numbers,
)
from app.compliance.rules_data import seed_rules

POLLUTION = {"attr": "pollution_risk_type", "op": "is_true"}
FLOW_500 = {"attr": "wastewater_flow_m3_day", "op": ">=", "value": 500}


def seed(regime: str, kind: str, clause: str) -> dict:
    return next(r for r in seed_rules(regime) if r["kind"] == kind and r["clause"] == clause)


def test_a_clause_reads_as_a_sentence():
    condition = {"type": "all", "of": [FLOW_500, POLLUTION]}
    assert describe_condition(condition) == (
        "lưu lượng nước thải thiết kế ≥ 500 m³/ngày và thuộc loại hình có nguy cơ gây ô nhiễm môi trường"
    )


def test_nested_groups_of_another_kind_are_bracketed():
    rule = seed("decree-40-2019", "wastewater", "c")
    assert describe_condition(rule["condition"]) == (
        "(xử lý chất thải nguy hại hoặc xử lý chất thải rắn sinh hoạt tập trung cấp tỉnh hoặc nhập khẩu "
        "phế liệu làm nguyên liệu sản xuất) và thuộc đối tượng phải đánh giá tác động môi trường và "
        "lưu lượng nước thải thiết kế > 0 m³/ngày"
    )


def test_exemptions_follow_the_condition():
    rule = seed("decree-08-2022", "wastewater", "row3")
    assert describe_rule(rule) == (
        "không thuộc loại hình có nguy cơ gây ô nhiễm môi trường và lưu lượng nước thải thiết kế "
        "≥ 500 m³/ngày; trừ trường hợp đấu nối nước thải vào hệ thống xử lý nước thải tập trung "
        "hoặc nuôi trồng thủy sản"
    )


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        ({"type": "not", "of": FLOW_500}, "lưu lượng nước thải thiết kế < 500 m³/ngày"),
        ({"type": "not", "of": POLLUTION}, "không thuộc loại hình có nguy cơ gây ô nhiễm môi trường"),
        (
            {"type": "not", "of": {"type": "any", "of": [POLLUTION, FLOW_500]}},
            "không phải trường hợp (thuộc loại hình có nguy cơ gây ô nhiễm môi trường hoặc "
            "lưu lượng nước thải thiết kế ≥ 500 m³/ngày)",
        ),
        (
            {"type": "not", "of": {"type": "not", "of": FLOW_500}},
            "lưu lượng nước thải thiết kế ≥ 500 m³/ngày",
        ),
        ({"type": "always"}, "mọi cơ sở"),
        ({"type": "all", "of": [FLOW_500]}, "lưu lượng nước thải thiết kế ≥ 500 m³/ngày"),
        (
            {"attr": "production_capacity_t_year", "op": ">", "value": 200000},
            "công suất sản xuất > 200.000 tấn/năm",
        ),
        ({"attr": "industry_type", "op": "==", "value": "steel"}, "ngành sản xuất là gang, thép (steel)"),
        (
            {"attr": "industry_type", "op": "!=", "value": "Cement "},
            "ngành sản xuất không phải xi măng (Cement)",
        ),
        ({"attr": "industry_type", "op": "==", "value": "brewery"}, "ngành sản xuất là “brewery”"),
        (
            {"attr": "industry_type", "op": "in", "value": ["paper", "seafood"]},
            "ngành sản xuất là một trong: giấy (paper), chế biến thủy sản (seafood)",
        ),
        (
            {"attr": "fuel", "op": "fuel_is", "value": "natural gas"},
            "nhiên liệu là khí thiên nhiên (natural gas)",
        ),
        ({"attr": "new_flag", "op": "is_true"}, "new_flag: có"),
    ],
)
def test_each_form_of_the_language(condition, text):
    assert describe_condition(condition) == text


def test_triggers_name_sources_and_convert_units():
    incinerator = seed("decree-40-2019", "emission", "incinerator")["triggers"][0]
    assert describe_trigger(incinerator) == "lò đốt chất thải (incinerator), công suất ≥ 0,5 tấn/giờ"
    boiler = seed("decree-40-2019", "emission", "thermal_power")["triggers"][0]
    assert describe_trigger(boiler) == "lò hơi (boiler), nhiên liệu không phải khí thiên nhiên (natural gas)"
    mills = seed("decree-40-2019", "emission", "cement")["triggers"][1]
    assert (
        describe_trigger(mills)
        == "máy nghiền xi măng (cement_mill), thiết bị làm mát clinker (clinker_cooler)"
    )


def test_every_seed_rule_can_be_described():
    for rule in seed_rules():
        assert describe_rule(rule)
        for trigger in rule.get("triggers", []):
            assert describe_trigger(trigger)


def test_numeric_fields_list_every_threshold_with_its_place():
    rule = seed("decree-05-2025", "wastewater", "row2")
    fields = numeric_fields(rule)
    assert [(f.path, f.place, f.value) for f in fields] == [
        ("condition.of.1", "condition", 200),
        ("outcomes.0.when", "outcome", 500),
    ]
    assert fields[0].label == "lưu lượng nước thải thiết kế ≥" and fields[0].unit == "m³/ngày"
    incinerator = numeric_fields(seed("decree-40-2019", "emission", "incinerator"))
    assert [(f.path, f.unit, f.value) for f in incinerator] == [("triggers.0.condition", "tấn/giờ", 0.5)]
    assert numeric_fields(seed("decree-40-2019", "wastewater", "e")) == []


def test_with_numbers_changes_a_copy_only():
    rule = seed("decree-05-2025", "wastewater", "row2")
    before = copy.deepcopy(rule)
    changed = with_numbers(rule, {"outcomes.0.when": 450})
    assert rule == before
    assert changed["outcomes"][0]["when"]["value"] == 450
    assert changed["condition"] == rule["condition"]
    with pytest.raises(KeyError):
        with_numbers(rule, {"condition.of.0": 1})
