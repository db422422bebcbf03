"""The condition language, three-valued logic, fuel matching and Vietnamese number writing."""

from __future__ import annotations

from datetime import date

import pytest

from app.compliance.conditions import (
    check,
    format_value,
    normalize_fuel,
)
from app.formatting import format_date, format_number

TRUE = {"attr": "flag", "op": "is_true"}
FALSE = {"attr": "off", "op": "is_true"}
UNKNOWN = {"attr": "blank", "op": ">=", "value": 1}
SUBJECT = {"flag": True, "off": False, "blank": None, "n": 10.0, "word": " Steel ", "fuel": None}


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        (">=", 10, True),
        (">=", 10.01, False),
        (">", 10, False),
        (">", 9.99, True),
        ("<=", 10, True),
        ("<", 10, False),
        ("<", 10.5, True),
        ("==", 10, True),
        ("!=", 10, False),
    ],
)
def test_numeric_comparisons(op: str, value: float, expected: bool) -> None:
    assert check({"attr": "n", "op": op, "value": value}, SUBJECT) == (expected, [])


@pytest.mark.parametrize(
    ("attr", "op", "expected"),
    [
        ("flag", "is_true", True),
        ("flag", "is_false", False),
        ("off", "is_false", True),
        ("blank", "is_true", False),
        ("blank", "is_false", True),
        ("absent", "is_false", True),
    ],
)
def test_booleans_blank_is_false(attr: str, op: str, expected: bool) -> None:
    assert check({"attr": attr, "op": op}, SUBJECT) == (expected, [])


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        ("==", "steel", True),
        ("==", "STEEL", True),
        ("==", "steel_x", False),
        ("!=", "cement", True),
        ("in", ["cement", "steel"], True),
        ("in", ["cement"], False),
    ],
)
def test_string_comparisons_ignore_case_and_surrounding_spaces(
    op: str, value: object, expected: bool
) -> None:
    assert check({"attr": "word", "op": op, "value": value}, SUBJECT) == (expected, [])


def test_blank_string_equals_nothing() -> None:
    assert check({"attr": "blank", "op": "==", "value": ""}, SUBJECT) == (False, [])


@pytest.mark.parametrize("op", [">=", ">", "<=", "<"])
def test_blank_number_is_unknown_and_named(op: str) -> None:
    assert check({"attr": "blank", "op": op, "value": 0}, SUBJECT) == (None, ["blank"])


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"type": "all", "of": [TRUE, UNKNOWN]}, (None, ["blank"])),
        ({"type": "all", "of": [FALSE, UNKNOWN]}, (False, [])),
        ({"type": "all", "of": [TRUE, TRUE]}, (True, [])),
        ({"type": "any", "of": [TRUE, UNKNOWN]}, (True, [])),
        ({"type": "any", "of": [FALSE, UNKNOWN]}, (None, ["blank"])),
        ({"type": "any", "of": [FALSE, FALSE]}, (False, [])),
        ({"type": "not", "of": UNKNOWN}, (None, ["blank"])),
        ({"type": "not", "of": TRUE}, (False, [])),
        ({"type": "always"}, (True, [])),
        ({"type": "all", "of": []}, (True, [])),
        ({"type": "any", "of": []}, (False, [])),
    ],
)
def test_three_valued_logic(condition: dict, expected: tuple) -> None:
    assert check(condition, SUBJECT) == expected


UNITS = {
    "attr": "cap",
    "op": ">=",
    "value": 0.5,
    "unit_attr": "unit",
    "units": {"t/h": 1, "kg/h": 1000},
}


@pytest.mark.parametrize(
    ("cap", "unit", "expected"),
    [
        (0.5, "t/h", (True, [])),
        (0.4999, "t/h", (False, [])),
        (500, "kg/h", (True, [])),
        (499.99, "KG/H", (False, [])),
        (500, " Kg/h ", (True, [])),
        (500, "kg/day", (None, ["unit"])),
        (500, None, (None, ["unit"])),
        (None, "t/h", (None, ["cap"])),
    ],
)
def test_unit_conversion(cap: float | None, unit: str | None, expected: tuple) -> None:
    assert check(UNITS, {"cap": cap, "unit": unit}) == expected


@pytest.mark.parametrize(
    ("fuel", "normal"),
    [
        ("Natural  gas", "natural_gas"),
        ("natural_gas", "natural_gas"),
        ("NATURAL-GAS", "natural_gas"),
        ("  natural - gas  ", "natural_gas"),
        ("natural__gas", "natural_gas"),
        (None, ""),
        ("", ""),
    ],
)
def test_fuel_normalisation(fuel: str | None, normal: str) -> None:
    assert normalize_fuel(fuel) == normal


@pytest.mark.parametrize(
    ("fuel", "expected"), [("Natural  gas", True), ("coal", False), (None, False), ("", False)]
)
def test_fuel_is(fuel: str | None, expected: bool) -> None:
    condition = {"attr": "fuel", "op": "fuel_is", "value": "natural gas"}
    assert check(condition, {"fuel": fuel}) == (expected, [])


@pytest.mark.parametrize(
    "condition",
    [{"type": "xor", "of": []}, {"attr": "n", "op": "~", "value": 1}],
)
def test_unknown_condition_is_an_error(condition: dict) -> None:
    with pytest.raises(ValueError):
        check(condition, SUBJECT)


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (620, "620"),
        (620.0, "620"),
        (1000, "1.000"),
        (1000.0, "1.000"),
        (200000, "200.000"),
        (1234567.5, "1.234.567,5"),
        (0.5, "0,5"),
        (12.75, "12,75"),
        (0, "0"),
        (-1500.25, "-1.500,25"),
    ],
)
def test_format_number_vietnamese(number: float, text: str) -> None:
    assert format_number(number) == text


def test_format_date_and_value() -> None:
    assert format_date(date(2021, 12, 31)) == "31/12/2021"
    assert format_value(None) == "chưa khai báo"
    assert format_value("  ") == "chưa khai báo"
    assert format_value(date(2024, 1, 5)) == "05/01/2024"
    assert format_value(2500.0) == "2.500"
    assert format_value(" coal ") == "coal"
