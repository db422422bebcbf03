"""Contradictions refused at import: facility flags, source kinds, incinerators, extra codes."""

from __future__ import annotations

import pytest

from app.compliance.evaluator import validate_facility

from .helpers import make_facility, make_source


def fields(facility: dict, sources: list | None = None, known: dict | None = None) -> list[str]:
    return [p["field"] for p in validate_facility(facility, sources or [], known)]


def test_consistent_facility_has_no_problem() -> None:
    facility = make_facility(
        in_industrial_park=True,
        exempt_from_connection=True,
        extra_parameters=["BOD5", "so2", "co"],
    )
    sources = [
        make_source("LH1", "Boiler", fuel="coal"),
        make_source("LD1", " INCINERATOR ", capacity=300.0, capacity_unit="KG/H"),
        make_source("LD2", "incinerator", capacity=0.2, capacity_unit="t/h"),
        make_source("O1", "other"),
    ]
    assert validate_facility(facility, sources) == []


def test_exempt_without_industrial_park() -> None:
    problems = validate_facility(make_facility(exempt_from_connection=True), [])
    assert [p["field"] for p in problems] == ["exempt_from_connection"]
    assert "miễn trừ đấu nối" in problems[0]["message"]


@pytest.mark.parametrize(
    ("attrs", "mentioned"),
    [
        ({"exempt_from_connection": True, "in_industrial_park": True}, "exempt_from_connection"),
        ({"central_wwtp": True}, "central_wwtp"),
        ({"central_wwtp_cluster": True}, "central_wwtp_cluster"),
    ],
)
def test_connected_contradictions(attrs: dict, mentioned: str) -> None:
    problems = validate_facility(make_facility(connected_to_central_wwtp=True, **attrs), [])
    assert [p["field"] for p in problems] == ["connected_to_central_wwtp"]
    assert f"({mentioned})" in problems[0]["message"]
    assert problems[0]["message"].startswith("Cơ sở không thể vừa đấu nối")


@pytest.mark.parametrize("attr", ["exempt_from_connection", "central_wwtp", "central_wwtp_cluster"])
def test_each_flag_alone_is_fine_with_park(attr: str) -> None:
    assert fields(make_facility(in_industrial_park=True, **{attr: True})) == []


def test_connected_alone_is_fine() -> None:
    assert fields(make_facility(connected_to_central_wwtp=True)) == []


def test_every_problem_reported_at_once() -> None:
    facility = make_facility(
        connected_to_central_wwtp=True,
        exempt_from_connection=True,
        central_wwtp=True,
        central_wwtp_cluster=True,
        extra_parameters=["XX"],
    )
    assert fields(facility, [make_source("S1", "furnace")]) == [
        "exempt_from_connection",
        "connected_to_central_wwtp",
        "connected_to_central_wwtp",
        "connected_to_central_wwtp",
        "source_kind",
        "extra_parameters",
    ]


@pytest.mark.parametrize("kind", ["furnace", "boiler_1", "", None, "natural gas boiler"])
def test_unknown_source_kind(kind: str | None) -> None:
    problems = validate_facility(make_facility(), [make_source("S9", kind)])
    assert [p["field"] for p in problems] == ["source_kind"]
    assert problems[0]["source_code"] == "S9"
    assert "Nguồn thải S9" in problems[0]["message"]


@pytest.mark.parametrize("kind", ["boiler", "CLINKER_KILN", " coke_oven ", "Other"])
def test_known_source_kind_any_case(kind: str) -> None:
    assert fields(make_facility(), [make_source("S1", kind)]) == []


@pytest.mark.parametrize(
    ("capacity", "unit", "expected"),
    [
        (None, "t/h", ["capacity"]),
        (None, None, ["capacity", "capacity_unit"]),
        (1.0, None, ["capacity_unit"]),
        (1.0, "t/day", ["capacity_unit"]),
        (1.0, "tấn/giờ", ["capacity_unit"]),
        (1.0, "t/h", []),
        (900.0, "kg/h", []),
        (1.0, " T/H ", []),
    ],
)
def test_incinerator_capacity_and_unit(capacity: float | None, unit: str | None, expected: list) -> None:
    source = make_source("LD1", "incinerator", capacity=capacity, capacity_unit=unit)
    assert fields(make_facility(), [source]) == expected


def test_capacity_not_required_for_other_kinds() -> None:
    assert fields(make_facility(), [make_source("LH1", "boiler", capacity=None)]) == []


@pytest.mark.parametrize("code", ["XYZ", "PM10", "HUMIDITY", "TEMP_AIR", ""])
def test_unknown_or_ambient_extra_parameter_refused(code: str) -> None:
    problems = validate_facility(make_facility(extra_parameters=[code]), [])
    assert [p["field"] for p in problems] == ["extra_parameters"]
    assert "không phải mã thông số nước thải hoặc khí thải" in problems[0]["message"]


def test_administrator_added_codes_are_known() -> None:
    facility = make_facility(extra_parameters=["zn", "Dioxin", "PM_X"])
    known = {"Zn": "wastewater", "DIOXIN": "emission", "PM_X": "ambient"}
    assert fields(facility, known=known) == ["extra_parameters"]
