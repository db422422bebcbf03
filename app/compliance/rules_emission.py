"""Seed rule data for automatic emission monitoring: source kinds and the per-source clauses.

An emission rule has the keys of a wastewater rule (see rules_data.py; conditions in the
language of conditions.py) but, instead of ``parameters``, a list of ``triggers``::

    {"source_kinds": [...], "condition"?: <condition on the source>, "parameters": [...]}

A source triggers when its ``source_kind`` (case-insensitive, trimmed) is listed and the
trigger's condition holds for the source; every triggering source must be monitored
(Circular 31/2016/TT-BTNMT Article 26). The clause applies when its facility ``condition``
holds and at least one source triggers. ``source_text`` formats one source in the sentence's
``{sources}`` list, from the source's attributes.

The starting table is the national list of Circular 31/2016/TT-BTNMT (Annex 11); the
incinerator threshold of 0.5 t/h and every table of the later regimes are still to verify.
"""

from __future__ import annotations

from typing import Any

SOURCE_KINDS: list[str] = [
    "boiler",
    "clinker_kiln",
    "cement_mill",
    "clinker_cooler",
    "sintering",
    "blast_furnace",
    "converter",
    "electric_arc_furnace",
    "induction_furnace",
    "coke_oven",
    "chlor_alkali",
    "hno3_tower",
    "h2so4_tower",
    "incinerator",
    "other",
]

# Units accepted for an incinerator's capacity: how many of the unit make one t/h.
INCINERATOR_UNITS: dict[str, float] = {"t/h": 1, "kg/h": 1000}

# Source kinds whose capacity is needed, and in which units; checked at import.
SOURCE_CAPACITY_REQUIREMENTS: dict[str, dict[str, float]] = {"incinerator": INCINERATOR_UNITS}

_MUST = "phải quan trắc khí thải tự động, liên tục tất cả các nguồn thải này theo {citation}."
_ALWAYS = {"type": "always"}


def _industry(code: str) -> dict[str, Any]:
    return {"attr": "industry_type", "op": "==", "value": code}


def _capacity_above(tonnes_per_year: float) -> dict[str, Any]:
    return {"attr": "production_capacity_t_year", "op": ">", "value": tonnes_per_year}


def _trigger(kinds: list[str], parameters: list[str], **fields: Any) -> dict[str, Any]:
    return {"source_kinds": kinds, "parameters": parameters, **fields}


# The clause table shared by the regimes (before their citation and confidence are set).
_BASE: list[dict[str, Any]] = [
    {
        "clause": "steel",
        "label": "quy định đối với cơ sở sản xuất gang, thép",
        "summary": "sản xuất gang, thép công suất trên 200.000 tấn/năm",
        "condition": {"type": "all", "of": [_industry("steel"), _capacity_above(200000)]},
        "triggers": [
            _trigger(["sintering"], ["FLOW_GAS", "DUST", "TEMP_GAS", "NOX", "CO", "O2"]),
            _trigger(["blast_furnace"], ["FLOW_GAS", "DUST", "TEMP_GAS"]),
            _trigger(["converter"], ["FLOW_GAS", "DUST", "TEMP_GAS", "O2"]),
            _trigger(["electric_arc_furnace"], ["FLOW_GAS", "DUST", "TEMP_GAS", "NOX", "O2"]),
            _trigger(["induction_furnace"], ["FLOW_GAS", "DUST", "TEMP_GAS", "O2"]),
            _trigger(["coke_oven"], ["FLOW_GAS", "DUST", "TEMP_GAS", "SO2", "NOX", "O2"]),
        ],
        "source_text": "{source_code}",
        "explanation": "Cơ sở sản xuất gang, thép công suất {production_capacity_t_year} tấn/năm "
        "> 200.000 tấn/năm, có nguồn thải khí thải thuộc danh mục ({sources}): " + _MUST,
    },
    {
        "clause": "thermal_power",
        "label": "quy định đối với cơ sở nhiệt điện",
        "summary": "nhiệt điện, lò hơi không sử dụng khí thiên nhiên",
        "condition": _industry("thermal_power"),
        "triggers": [
            _trigger(
                ["boiler"],
                ["FLOW_GAS", "DUST", "TEMP_GAS", "SO2", "NOX", "O2"],
                condition={
                    "type": "not",
                    "of": {"attr": "fuel", "op": "fuel_is", "value": "natural gas"},
                },
            ),
        ],
        "source_text": "{source_code}, nhiên liệu: {fuel}",
        "explanation": "Cơ sở nhiệt điện có lò hơi không sử dụng khí thiên nhiên làm nhiên liệu "
        "({sources}): " + _MUST,
    },
    {
        "clause": "cement",
        "label": "quy định đối với cơ sở sản xuất xi măng",
        "summary": "sản xuất xi măng",
        "condition": _industry("cement"),
        "triggers": [
            _trigger(["clinker_kiln"], ["FLOW_GAS", "DUST", "TEMP_GAS", "SO2", "NOX", "CO", "O2"]),
            _trigger(["cement_mill", "clinker_cooler"], ["FLOW_GAS", "DUST"]),
        ],
        "source_text": "{source_code}",
        "explanation": "Cơ sở sản xuất xi măng có nguồn thải khí thải thuộc danh mục ({sources}): " + _MUST,
    },
    {
        "clause": "chemicals",
        "label": "quy định đối với cơ sở sản xuất hóa chất",
        "summary": "sản xuất hóa chất công suất trên 10.000 tấn/năm",
        "condition": {"type": "all", "of": [_industry("chemicals"), _capacity_above(10000)]},
        "triggers": [
            _trigger(["chlor_alkali"], ["FLOW_GAS", "TEMP_GAS", "DUST", "CL2"]),
            _trigger(["hno3_tower"], ["FLOW_GAS", "DUST", "TEMP_GAS", "NOX", "O2"]),
            _trigger(["h2so4_tower"], ["FLOW_GAS", "DUST", "TEMP_GAS", "SO2", "O2"]),
        ],
        "source_text": "{source_code}",
        "explanation": "Cơ sở sản xuất hóa chất công suất {production_capacity_t_year} tấn/năm "
        "> 10.000 tấn/năm, có nguồn thải khí thải thuộc danh mục ({sources}): " + _MUST,
    },
    {
        "clause": "incinerator",
        "label": "quy định đối với lò đốt chất thải",
        "summary": "lò đốt chất thải công suất từ 0,5 tấn/giờ",
        "condition": _ALWAYS,
        "triggers": [
            _trigger(
                ["incinerator"],
                ["FLOW_GAS", "DUST", "TEMP_GAS", "SO2", "NOX", "CO", "O2"],
                condition={
                    "attr": "capacity",
                    "op": ">=",
                    "value": 0.5,
                    "unit_attr": "capacity_unit",
                    "units": INCINERATOR_UNITS,
                },
            ),
        ],
        "source_text": "{source_code}: {capacity} {capacity_unit}",
        "explanation": "Cơ sở có lò đốt chất thải công suất từ 0,5 tấn/giờ trở lên ({sources}): " + _MUST,
    },
]

# Per regime: its citation, and the clauses marked confirmed (the others are to verify).
_REGIMES: dict[str, tuple[str, set[str]]] = {
    "decree-40-2019": (
        (
            "Điều 47 Nghị định 38/2015/NĐ-CP, sửa đổi bởi khoản 23 Điều 3 Nghị định "
            "40/2019/NĐ-CP; khoản 2 Điều 26 và Phụ lục 11 Thông tư 31/2016/TT-BTNMT"
        ),
        {"steel", "thermal_power", "cement", "chemicals"},
    ),
    "decree-08-2022": (
        "Điều 112 Luật Bảo vệ môi trường năm 2020; Điều 98 và Phụ lục XXIX Nghị định 08/2022/NĐ-CP",
        set(),
    ),
    "decree-05-2025": (
        (
            "Điều 112 Luật Bảo vệ môi trường năm 2020; Điều 98 và Phụ lục XXIX Nghị định "
            "08/2022/NĐ-CP, sửa đổi bởi Nghị định 05/2025/NĐ-CP"
        ),
        set(),
    ),
}


def _emission_rule(base: dict[str, Any], order: int, regime: str) -> dict[str, Any]:
    citation, confirmed = _REGIMES[regime]
    confidence = "confirmed" if base["clause"] in confirmed else "to_verify"
    rule = {key: value for key, value in base.items() if key != "explanation"}
    rule.update(
        {
            "regime": regime,
            "kind": "emission",
            "order": order,
            "citation": citation,
            "exemptions": [],
            "outcomes": [{"status": "required", "explanation": base["explanation"]}],
            "confidence": confidence,
            "parameters_confidence": confidence,
        }
    )
    return rule


EMISSION_RULES: list[dict[str, Any]] = [
    _emission_rule(base, order, regime) for regime in _REGIMES for order, base in enumerate(_BASE, start=1)
]
