"""Rules written out for people: conditions, source triggers and the numbers an administrator may change.

Pure: plain dicts in, Vietnamese text out; no Flask, no database. It reads the condition
language of conditions.py (``all``/``any``/``not``/``always`` and attribute comparisons) and
renders it as a sentence fragment such as "thuộc loại hình có nguy cơ gây ô nhiễm môi trường và
lưu lượng nước thải thiết kế ≥ 500 m³/ngày". It also lists every numeric ``value`` of a rule's
conditions as a labelled field, and writes new values back into a copy of the rule.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from app.compliance.conditions import normalize_fuel, normalize_word
from app.formatting import format_number

# Facility flags: (what holds when true, what holds when false).
FLAGS: dict[str, tuple[str, str]] = {
    "pollution_risk_type": (
        "thuộc loại hình có nguy cơ gây ô nhiễm môi trường",
        "không thuộc loại hình có nguy cơ gây ô nhiễm môi trường",
    ),
    "central_wwtp": (
        "là hệ thống xử lý nước thải tập trung của khu sản xuất, kinh doanh, dịch vụ tập trung",
        "không phải hệ thống xử lý nước thải tập trung của khu sản xuất, kinh doanh, dịch vụ tập trung",
    ),
    "central_wwtp_cluster": (
        "là hệ thống xử lý nước thải tập trung của cụm công nghiệp",
        "không phải hệ thống xử lý nước thải tập trung của cụm công nghiệp",
    ),
    "in_industrial_park": (
        "nằm trong khu sản xuất, kinh doanh, dịch vụ tập trung hoặc cụm công nghiệp",
        "nằm ngoài khu sản xuất, kinh doanh, dịch vụ tập trung và cụm công nghiệp",
    ),
    "exempt_from_connection": ("được miễn trừ đấu nối", "không được miễn trừ đấu nối"),
    "connected_to_central_wwtp": (
        "đấu nối nước thải vào hệ thống xử lý nước thải tập trung",
        "không đấu nối nước thải vào hệ thống xử lý nước thải tập trung",
    ),
    "hazardous_waste_treatment": ("xử lý chất thải nguy hại", "không xử lý chất thải nguy hại"),
    "solid_waste_treatment_provincial": (
        "xử lý chất thải rắn sinh hoạt tập trung cấp tỉnh",
        "không xử lý chất thải rắn sinh hoạt tập trung cấp tỉnh",
    ),
    "imported_scrap": (
        "nhập khẩu phế liệu làm nguyên liệu sản xuất",
        "không nhập khẩu phế liệu làm nguyên liệu sản xuất",
    ),
    "eia_required": (
        "thuộc đối tượng phải đánh giá tác động môi trường",
        "không thuộc đối tượng phải đánh giá tác động môi trường",
    ),
    "repeat_wastewater_violator": (
        "đã bị xử phạt về hành vi xả nước thải vượt quy chuẩn kỹ thuật và tái phạm",
        "chưa tái phạm hành vi xả nước thải vượt quy chuẩn kỹ thuật",
    ),
    "ppc_designated": (
        "được Ủy ban nhân dân cấp tỉnh chỉ định",
        "không được Ủy ban nhân dân cấp tỉnh chỉ định",
    ),
    "aquaculture": ("nuôi trồng thủy sản", "không nuôi trồng thủy sản"),
}

# Attributes compared with numbers or words: (name, unit).
MEASURES: dict[str, tuple[str, str]] = {
    "wastewater_flow_m3_day": ("lưu lượng nước thải thiết kế", "m³/ngày"),
    "production_capacity_t_year": ("công suất sản xuất", "tấn/năm"),
    "capacity": ("công suất", ""),
    "flow_m3_h": ("lưu lượng khí thải", "m³/giờ"),
    "industry_type": ("ngành sản xuất", ""),
    "source_kind": ("loại nguồn thải", ""),
    "fuel": ("nhiên liệu", ""),
    "capacity_unit": ("đơn vị công suất", ""),
}

INDUSTRIES: dict[str, str] = {
    "paper": "giấy",
    "textile_dyeing": "dệt nhuộm",
    "seafood": "chế biến thủy sản",
    "thermal_power": "nhiệt điện",
    "cement": "xi măng",
    "steel": "gang, thép",
    "chemicals": "hóa chất",
}

SOURCE_KINDS: dict[str, str] = {
    "boiler": "lò hơi",
    "clinker_kiln": "lò nung clinker",
    "cement_mill": "máy nghiền xi măng",
    "clinker_cooler": "thiết bị làm mát clinker",
    "sintering": "máy thiêu kết",
    "blast_furnace": "lò cao",
    "converter": "lò thổi",
    "electric_arc_furnace": "lò điện hồ quang",
    "induction_furnace": "lò cảm ứng",
    "coke_oven": "lò luyện cốc",
    "chlor_alkali": "dây chuyền sản xuất xút - clo",
    "hno3_tower": "tháp sản xuất axit nitric HNO3",
    "h2so4_tower": "tháp sản xuất axit sunfuric H2SO4",
    "incinerator": "lò đốt chất thải",
    "other": "nguồn thải khác",
}

FUELS: dict[str, str] = {"natural_gas": "khí thiên nhiên", "coal": "than", "oil": "dầu"}
UNITS: dict[str, str] = {"t/h": "tấn/giờ", "kg/h": "kg/giờ"}

SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "!=": "≠"}
NUMERIC_OPS = frozenset(SYMBOLS)
_OPPOSITE = {
    ">=": "<",
    ">": "<=",
    "<=": ">",
    "<": ">=",
    "==": "!=",
    "!=": "==",
    "is_true": "is_false",
    "is_false": "is_true",
    "in": "not_in",
    "fuel_is": "fuel_is_not",
}
_JOINERS = {"all": " và ", "any": " hoặc "}


def is_number(value: Any) -> bool:
    """True for an int or float that is not a boolean."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _word(attr: str, value: Any) -> str:
    """A compared word or number as read: a known code gets its Vietnamese name first."""
    if is_number(value):
        return format_number(value)
    text = str(value).strip()
    names = {"industry_type": INDUSTRIES, "source_kind": SOURCE_KINDS}.get(attr, {})
    if attr == "fuel":
        name = FUELS.get(normalize_fuel(text))
    else:
        name = names.get(normalize_word(text))
    return f"{name} ({text})" if name else f"“{text}”"


def _base_unit(condition: Mapping[str, Any]) -> str:
    units = condition.get("units") or {}
    base = next((unit for unit, factor in units.items() if factor == 1), None)
    if base is None:
        return MEASURES.get(condition["attr"], ("", ""))[1]
    return UNITS.get(normalize_word(base), base)


def describe_comparison(condition: Mapping[str, Any], negate: bool = False) -> str:
    """One attribute comparison, e.g. 'lưu lượng nước thải thiết kế ≥ 500 m³/ngày'."""
    attr, op = str(condition.get("attr", "")), str(condition.get("op", ""))
    if negate:
        op = _OPPOSITE.get(op, op)
    if op in ("is_true", "is_false"):
        if attr in FLAGS:
            return FLAGS[attr][0 if op == "is_true" else 1]
        return f"{attr}: {'có' if op == 'is_true' else 'không'}"
    name = MEASURES.get(attr, (attr, ""))[0]
    value = condition.get("value")
    if op in ("fuel_is", "fuel_is_not"):
        verb = "là" if op == "fuel_is" else "không phải"
        return f"{name} {verb} {_word('fuel', value)}"
    if op in ("in", "not_in"):
        words = ", ".join(_word(attr, item) for item in value or [])
        return f"{name} {'là một trong' if op == 'in' else 'không thuộc'}: {words}"
    if op in ("==", "!=") and not is_number(value):
        return f"{name} {'là' if op == '==' else 'không phải'} {_word(attr, value)}"
    unit = _base_unit(condition)
    text = f"{name} {SYMBOLS.get(op, op)} {_word(attr, value)}"
    return f"{text} {unit}" if unit else text


def _describe(condition: Mapping[str, Any], negate: bool, parent: str | None) -> str:
    kind = condition.get("type", "compare")
    if kind == "always":
        return "không cơ sở nào" if negate else "mọi cơ sở"
    if kind == "not":
        return _describe(condition["of"], not negate, parent)
    if kind in _JOINERS:
        children = list(condition.get("of") or [])
        if len(children) == 1:
            return _describe(children[0], negate, parent)
        if negate:
            inner = _JOINERS[kind].join(_describe(child, False, kind) for child in children)
            return f"không phải trường hợp ({inner})"
        text = _JOINERS[kind].join(_describe(child, False, kind) for child in children)
        return f"({text})" if parent is not None and parent != kind else text
    return describe_comparison(condition, negate)


def describe_condition(condition: Mapping[str, Any]) -> str:
    """A condition of the rule language as a Vietnamese phrase."""
    return _describe(condition, False, None)


def describe_exemptions(rule: Mapping[str, Any]) -> str:
    """The cases in which a clause that holds does not apply ('' when none)."""
    cases = [_describe(ex["condition"], False, "any") for ex in rule.get("exemptions") or []]
    return " hoặc ".join(cases)


def describe_rule(rule: Mapping[str, Any]) -> str:
    """A clause's condition with its exemptions, as one phrase."""
    text = describe_condition(rule["condition"])
    exemptions = describe_exemptions(rule)
    return f"{text}; trừ trường hợp {exemptions}" if exemptions else text


def describe_source_kinds(kinds: list[str]) -> str:
    """Source kinds by their Vietnamese names, with their codes."""
    return ", ".join(_word("source_kind", kind) for kind in kinds)


def describe_trigger(trigger: Mapping[str, Any]) -> str:
    """Which sources a trigger picks, e.g. 'lò hơi (boiler), nhiên liệu không phải khí thiên nhiên'."""
    text = describe_source_kinds(trigger.get("source_kinds") or [])
    if "condition" in trigger and trigger["condition"].get("type") != "always":
        text += f", {describe_condition(trigger['condition'])}"
    return text


@dataclass(frozen=True)
class NumberField:
    """One numeric value inside a rule: where it is, what it measures, its current value."""

    path: str
    place: str
    index: int
    label: str
    unit: str
    value: float | int


# Where conditions sit in a rule: (key, the key inside each list item or None, place name).
_PLACES = (
    ("condition", None, "condition"),
    ("exemptions", "condition", "exemption"),
    ("outcomes", "when", "outcome"),
    ("triggers", "condition", "trigger"),
)


def _walk(condition: Mapping[str, Any], path: tuple) -> Iterator[tuple[tuple, Mapping[str, Any]]]:
    kind = condition.get("type", "compare")
    if kind in _JOINERS:
        for index, child in enumerate(condition.get("of") or []):
            yield from _walk(child, (*path, "of", index))
    elif kind == "not":
        yield from _walk(condition["of"], (*path, "of"))
    elif kind == "compare":
        yield path, condition


def _conditions(rule: Mapping[str, Any]) -> Iterator[tuple[tuple, str, int, Mapping[str, Any]]]:
    for key, inner, place in _PLACES:
        if inner is None:
            if isinstance(rule.get(key), Mapping):
                yield (key,), place, 0, rule[key]
            continue
        for index, item in enumerate(rule.get(key) or []):
            if isinstance(item, Mapping) and isinstance(item.get(inner), Mapping):
                yield (key, index, inner), place, index + 1, item[inner]


def path_text(path: tuple) -> str:
    """A path inside a rule written with dots: ('condition', 'of', 1) -> 'condition.of.1'."""
    return ".".join(str(part) for part in path)


def _parse_path(text: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in text.split("."))


def numeric_fields(rule: Mapping[str, Any]) -> list[NumberField]:
    """Every numeric comparison value of the rule's conditions, in the order of the rule."""
    fields = []
    for start, place, index, condition in _conditions(rule):
        for path, comparison in _walk(condition, start):
            if comparison.get("op") in NUMERIC_OPS and is_number(comparison.get("value")):
                name = MEASURES.get(comparison["attr"], (comparison["attr"], ""))[0]
                fields.append(
                    NumberField(
                        path=path_text(path),
                        place=place,
                        index=index,
                        label=f"{name} {SYMBOLS[comparison['op']]}",
                        unit=_base_unit(comparison),
                        value=comparison["value"],
                    )
                )
    return fields


def with_numbers(rule: Mapping[str, Any], values: Mapping[str, float | int]) -> dict[str, Any]:
    """A copy of the rule with the numeric values at the given paths replaced."""
    known = {field.path for field in numeric_fields(rule)}
    changed = copy.deepcopy(dict(rule))
    for text, value in values.items():
        if text not in known:
            raise KeyError(f"no numeric value at {text}")
        node: Any = changed
        for part in _parse_path(text):
            node = node[part]
        node["value"] = value
    return changed
