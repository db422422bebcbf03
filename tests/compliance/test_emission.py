"""Emission obligations: per-source triggers of the steel, thermal power, cement, chemicals and
incinerator clauses, under every regime that has them."""

from __future__ import annotations

import pytest

from .helpers import EMISSION_REGIMES, emission, make_source, run

STEEL_KINDS = {
    "sintering": ["FLOW_GAS", "TEMP_GAS", "DUST", "NOX", "CO", "O2"],
    "blast_furnace": ["FLOW_GAS", "TEMP_GAS", "DUST"],
    "converter": ["FLOW_GAS", "TEMP_GAS", "DUST", "O2"],
    "electric_arc_furnace": ["FLOW_GAS", "TEMP_GAS", "DUST", "NOX", "O2"],
    "induction_furnace": ["FLOW_GAS", "TEMP_GAS", "DUST", "O2"],
    "coke_oven": ["FLOW_GAS", "TEMP_GAS", "DUST", "SO2", "NOX", "O2"],
}
CEMENT_KINDS = {
    "clinker_kiln": ["FLOW_GAS", "TEMP_GAS", "DUST", "SO2", "NOX", "CO", "O2"],
    "cement_mill": ["FLOW_GAS", "DUST"],
    "clinker_cooler": ["FLOW_GAS", "DUST"],
}
CHEMICAL_KINDS = {
    "chlor_alkali": ["FLOW_GAS", "TEMP_GAS", "DUST", "CL2"],
    "hno3_tower": ["FLOW_GAS", "TEMP_GAS", "DUST", "NOX", "O2"],
    "h2so4_tower": ["FLOW_GAS", "TEMP_GAS", "DUST", "SO2", "O2"],
}
BOILER_PARAMETERS = ["FLOW_GAS", "TEMP_GAS", "DUST", "SO2", "NOX", "O2"]
INCINERATOR_PARAMETERS = ["FLOW_GAS", "TEMP_GAS", "DUST", "SO2", "NOX", "CO", "O2"]

pytestmark = pytest.mark.parametrize("code", EMISSION_REGIMES)


# --- steel -------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "parameters"), STEEL_KINDS.items())
def test_steel_source_kinds_and_parameters(code: str, kind: str, parameters: list[str]) -> None:
    result = emission(code, [make_source("S1", kind)], industry_type="steel", production_capacity_t_year=3e5)
    assert result["status"] == "required"
    assert result["clauses"] == ["steel"]
    assert result["sources"] == ["S1"]
    assert result["parameters"] == parameters


@pytest.mark.parametrize(
    ("capacity", "applies"),
    [(199999.0, False), (200000.0, False), (200000.5, True), (200001.0, True)],
)
def test_steel_capacity_threshold_is_strictly_above(code: str, capacity: float, applies: bool) -> None:
    result = emission(
        code,
        [make_source("S1", "sintering")],
        industry_type="steel",
        production_capacity_t_year=capacity,
    )
    assert result["clauses"] == (["steel"] if applies else [])
    assert result["missing"] == []


def test_steel_blank_capacity_never_exceeds_and_is_reported(code: str) -> None:
    result = emission(code, [make_source("S1", "converter")], industry_type="steel")
    assert result["status"] == "not_required"
    assert result["missing"] == [{"clause": "steel", "attribute": "production_capacity_t_year"}]
    assert "Thiếu công suất sản xuất (tấn/năm) của cơ sở" in result["explanation"]
    assert "gang, thép" in result["explanation"]


def test_blank_capacity_of_another_industry_is_not_missing(code: str) -> None:
    result = emission(code, [make_source("S1", "converter")], industry_type="textile_dyeing")
    assert result["missing"] == []


def test_steel_ignores_unlisted_kinds_and_other_industries(code: str) -> None:
    sources = [make_source("S1", "boiler", fuel="coal"), make_source("S2", "other")]
    assert emission(code, sources, industry_type="steel", production_capacity_t_year=1e6)["clauses"] == []
    assert (
        emission(
            code,
            [make_source("S3", "sintering")],
            industry_type="paper",
            production_capacity_t_year=1e6,
        )["clauses"]
        == []
    )


@pytest.mark.parametrize("industry", ["Steel", " STEEL ", "steel"])
def test_industry_type_matches_case_insensitively(code: str, industry: str) -> None:
    result = emission(
        code,
        [make_source("S1", "Coke_Oven ")],
        industry_type=industry,
        production_capacity_t_year=5e5,
    )
    assert result["clauses"] == ["steel"]


# --- thermal power -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "fuel",
    [
        "natural gas",
        "Natural  gas",
        "natural_gas",
        "NATURAL-GAS",
        " natural gas ",
        "natural -_ gas",
    ],
)
def test_natural_gas_boiler_does_not_trigger(code: str, fuel: str) -> None:
    result = emission(code, [make_source("LH1", "boiler", fuel=fuel)], industry_type="thermal_power")
    assert result["status"] == "not_required"


@pytest.mark.parametrize("fuel", ["coal", "than", "DO oil", None, "", "   ", "naturalgas", "gas"])
def test_other_or_blank_fuel_boiler_triggers(code: str, fuel: str | None) -> None:
    result = emission(code, [make_source("LH1", "boiler", fuel=fuel)], industry_type="thermal_power")
    assert result["clauses"] == ["thermal_power"]
    assert result["sources"] == ["LH1"]
    assert result["parameters"] == BOILER_PARAMETERS


def test_thermal_power_lists_only_non_gas_boilers(code: str) -> None:
    sources = [
        make_source("LH3", "boiler", fuel="coal"),
        make_source("LH1", "boiler", fuel="Natural gas"),
        make_source("LH2", "boiler", fuel="biomass"),
        make_source("KL1", "clinker_kiln"),
    ]
    result = emission(code, sources, industry_type="thermal_power")
    assert result["sources"] == ["LH2", "LH3"]
    assert "LH2, nhiên liệu: biomass; LH3, nhiên liệu: coal" in result["explanation"]


def test_boiler_outside_thermal_power_does_not_trigger(code: str) -> None:
    result = emission(code, [make_source("LH1", "boiler", fuel="coal")], industry_type="paper")
    assert result["status"] == "not_required"


# --- cement ------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "parameters"), CEMENT_KINDS.items())
def test_cement_source_kinds(code: str, kind: str, parameters: list[str]) -> None:
    result = emission(code, [make_source("X1", kind)], industry_type="cement")
    assert result["clauses"] == ["cement"]
    assert result["parameters"] == parameters
    assert result["missing"] == []


def test_cement_plant_without_listed_sources_is_not_required(code: str) -> None:
    result = emission(code, [make_source("X1", "boiler", fuel="coal")], industry_type="cement")
    assert result["status"] == "not_required"
    assert "sản xuất xi măng" in result["explanation"]


def test_cement_union_of_parameters_in_canonical_order(code: str) -> None:
    sources = [make_source("M1", "cement_mill"), make_source("K1", "clinker_kiln")]
    result = emission(code, sources, industry_type="cement")
    assert result["sources"] == ["K1", "M1"]
    assert result["parameters"] == CEMENT_KINDS["clinker_kiln"]


# --- chemicals ---------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "parameters"), CHEMICAL_KINDS.items())
def test_chemical_source_kinds(code: str, kind: str, parameters: list[str]) -> None:
    result = emission(
        code, [make_source("C1", kind)], industry_type="chemicals", production_capacity_t_year=2e4
    )
    assert result["clauses"] == ["chemicals"]
    assert result["parameters"] == parameters


@pytest.mark.parametrize(
    ("capacity", "applies"), [(9999.0, False), (10000.0, False), (10001.0, True), (None, False)]
)
def test_chemicals_capacity_threshold(code: str, capacity: float | None, applies: bool) -> None:
    result = emission(
        code,
        [make_source("C1", "chlor_alkali")],
        industry_type="chemicals",
        production_capacity_t_year=capacity,
    )
    assert result["clauses"] == (["chemicals"] if applies else [])
    expected = [{"clause": "chemicals", "attribute": "production_capacity_t_year"}]
    assert result["missing"] == (expected if capacity is None else [])


def test_all_chemical_sources_union(code: str) -> None:
    sources = [make_source(f"C{i}", kind) for i, kind in enumerate(CHEMICAL_KINDS)]
    result = emission(code, sources, industry_type="chemicals", production_capacity_t_year=5e4)
    assert result["sources"] == ["C0", "C1", "C2"]
    assert result["parameters"] == ["FLOW_GAS", "TEMP_GAS", "DUST", "SO2", "NOX", "O2", "CL2"]


# --- incinerators ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("capacity", "unit", "applies"),
    [
        (0.49, "t/h", False),
        (0.5, "t/h", True),
        (0.51, "t/h", True),
        (499.0, "kg/h", False),
        (499.9, "kg/h", False),
        (500.0, "kg/h", True),
        (501.0, "kg/h", True),
        (500.0, " KG/H ", True),
        (2.0, "T/h", True),
    ],
)
def test_incinerator_threshold(code: str, capacity: float, unit: str, applies: bool) -> None:
    source = make_source("LD1", "incinerator", capacity=capacity, capacity_unit=unit)
    result = emission(code, [source], industry_type="hospital")
    assert result["clauses"] == (["incinerator"] if applies else [])
    assert result["parameters"] == (INCINERATOR_PARAMETERS if applies else [])


@pytest.mark.parametrize(
    ("attrs", "missing"),
    [
        ({"capacity": None, "capacity_unit": "t/h"}, "capacity"),
        ({"capacity": 2.0, "capacity_unit": None}, "capacity_unit"),
        ({"capacity": 2.0, "capacity_unit": "t/day"}, "capacity_unit"),
    ],
)
def test_incinerator_without_usable_capacity(code: str, attrs: dict, missing: str) -> None:
    result = emission(code, [make_source("LD1", "incinerator", **attrs)])
    assert result["status"] == "not_required"
    assert result["missing"] == [{"clause": "incinerator", "attribute": missing, "source": "LD1"}]
    assert "nguồn thải LD1" in result["explanation"]


def test_incinerator_sentence_lists_sources_with_capacity(code: str) -> None:
    sources = [
        make_source("LD2", "incinerator", capacity=800.0, capacity_unit="kg/h"),
        make_source("LD1", "incinerator", capacity=1.5, capacity_unit="t/h"),
    ]
    result = emission(code, sources)
    assert result["sources"] == ["LD1", "LD2"]
    assert "(LD1: 1,5 t/h; LD2: 800 kg/h)" in result["explanation"]
    assert "0,5 tấn/giờ" in result["explanation"]


# --- several clauses ---------------------------------------------------------------------


def test_every_clause_and_source_reported_in_table_order(code: str) -> None:
    sources = [
        make_source("Z9", "incinerator", capacity=1.0, capacity_unit="t/h"),
        make_source("K10", "clinker_kiln"),
        make_source("K2", "cement_mill"),
        make_source("O1", "other"),
    ]
    result = emission(code, sources, industry_type="cement")
    assert result["clauses"] == ["cement", "incinerator"]
    assert result["sources"] == ["K10", "K2", "Z9"]
    assert result["parameters"] == INCINERATOR_PARAMETERS
    assert result["explanation"].count("phải quan trắc khí thải tự động, liên tục") == 2


def test_extra_emission_parameters_join_required_emission(code: str) -> None:
    source = make_source("LD1", "incinerator", capacity=1.0, capacity_unit="t/h")
    result = emission(code, [source], extra_parameters=["hf", "HCL", "Dust", "BOD5"])
    assert result["parameters"] == [*INCINERATOR_PARAMETERS, "HCL", "HF"]


def test_nothing_triggers_explains_what_was_checked(code: str) -> None:
    result = emission(code, [make_source("O1", "other")], industry_type="paper")
    assert result["status"] == "not_required"
    assert result["sources"] == []
    assert result["deadline"] is None
    text = result["explanation"]
    assert "không thuộc trường hợp phải quan trắc khí thải tự động, liên tục" in text
    assert "lò đốt chất thải công suất từ 0,5 tấn/giờ" in text
    assert "số nguồn thải khí thải đã khai báo: 1" in text


def test_decree_38_has_no_emission_rules(code: str) -> None:
    source = make_source("LD1", "incinerator", capacity=5.0, capacity_unit="t/h")
    assert emission(code, [source])["status"] == "required"
    old = run("decree-38-2015", [source], industry_type="cement")[1]
    assert old["status"] == "not_required"
    assert old["sources"] == []
    assert "không có quy định về quan trắc khí thải tự động, liên tục" in old["explanation"]
