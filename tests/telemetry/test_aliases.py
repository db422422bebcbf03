"""Parameter names: the alias tables per station kind and the canonical order."""

from __future__ import annotations

import unicodedata
from datetime import datetime

import pytest

from app.telemetry.parser import (
    DEFAULT_ALIASES,
    LineError,
    ParsedFile,
    Reading,
    alias_key,
    canonical_parameters,
    merge_aliases,
    parse_content,
    sort_parameters,
    station_aliases,
)
from app.telemetry.slots import LOCAL_TZ

RECEIVED_AT = datetime(2026, 1, 15, 10, 40, tzinfo=LOCAL_TZ)
TIME = "20260115103500"


def parse(data: str, kind: str = "wastewater", aliases=DEFAULT_ALIASES) -> ParsedFile:
    return parse_content(data.encode(), kind, aliases, RECEIVED_AT)


def only_reading(data: str, kind: str = "wastewater") -> Reading:
    result = parse(data, kind)
    assert result.errors == []
    assert len(result.readings) == 1
    return result.readings[0]


def only_error(data: str, kind: str = "wastewater") -> LineError:
    result = parse(data, kind)
    assert result.readings == []
    assert len(result.errors) == 1
    return result.errors[0]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("ph", "pH"),
        ("PH", "pH"),
        ("pH", "pH"),
        ("ss", "TSS"),
        ("nh4+", "NH4"),
        ("N-NH4", "NH4"),
        ("amoni", "NH4"),
        ("NH4_N", "NH4"),
        ("TEMPERATURE", "TEMP"),
        ("t", "TEMP"),
        ("NHIỆT ĐỘ", "TEMP"),
        ("nhiet do", "TEMP"),
        ("q_in", "FLOW_IN"),
        ("LUU LUONG VAO", "FLOW_IN"),
        ("flow", "FLOW_OUT"),
        ("Lưu lượng", "FLOW_OUT"),
        ("bod5", "BOD5"),
        ("COLOR", "COLOR"),
        ("flow_out", "FLOW_OUT"),
    ],
)
def test_wastewater_aliases(name: str, code: str) -> None:
    assert only_reading(f"{name}\t1\tx\t{TIME}\t00").parameter == code


def test_alias_names_are_compared_after_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Nhiệt độ")
    assert decomposed != "Nhiệt độ"
    assert only_reading(f"{decomposed}\t29\toC\t{TIME}\t00").parameter == "TEMP"
    assert only_reading(f"{unicodedata.normalize('NFD', 'Bụi')}\t1\tx\t{TIME}\t00", "emission")


@pytest.mark.parametrize(
    ("kind", "name", "code"),
    [
        ("emission", "NO2", "NOX"),
        ("emission", "nox", "NOX"),
        ("emission", "Flow", "FLOW_GAS"),
        ("emission", "T", "TEMP_GAS"),
        ("emission", "PM", "DUST"),
        ("emission", "bui", "DUST"),
        ("emission", "hcl", "HCL"),
        ("emission", "Cl2", "CL2"),
        ("ambient", "NO2", "NO2"),
        ("ambient", "PM2.5", "PM2_5"),
        ("ambient", "pm25", "PM2_5"),
        ("ambient", "Temp", "TEMP_AIR"),
        ("ambient", "Độ ẩm", "HUMIDITY"),
        ("ambient", "rh", "HUMIDITY"),
        ("ambient", "SO2", "SO2"),
        ("ambient", "co", "CO"),
    ],
)
def test_aliases_are_per_station_kind(kind: str, name: str, code: str) -> None:
    assert only_reading(f"{name}\t1\tx\t{TIME}\t00", kind).parameter == code


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("wastewater", "NO2"),
        ("wastewater", "PM"),
        ("ambient", "PM"),
        ("ambient", "COD"),
        ("emission", "pH"),
        ("ambient", "T"),
        ("unknown-kind", "pH"),
    ],
)
def test_names_of_other_kinds_are_unknown(kind: str, name: str) -> None:
    assert only_error(f"{name}\t1\tx\t{TIME}\t00", kind).code == "unknown_parameter"


def test_administrator_aliases_per_kind() -> None:
    aliases = merge_aliases(DEFAULT_ALIASES, {"wastewater": {"Nhu cau oxy": "COD", "Flow": "Q2"}})
    result = parse(f"NHU CAU OXY\t1\tx\t{TIME}\t00\nflow\t2\tx\t{TIME}\t00\nQ2\t3\tx\t{TIME}\t0")
    assert [e.code for e in result.errors] == ["unknown_parameter", "unknown_parameter"]
    result = parse(
        f"NHU CAU OXY\t1\tx\t{TIME}\t00\nflow\t2\tx\t{TIME}\t00\nQ2\t3\tx\t{TIME}\t0",
        aliases=aliases,
    )
    assert [r.parameter for r in result.readings] == ["COD", "Q2", "Q2"]
    assert DEFAULT_ALIASES["wastewater"]["flow"] == "FLOW_OUT"


def test_station_flat_alias_table() -> None:
    table = station_aliases("wastewater", station_added={"pH-meter": "pH"})
    result = parse(f"PH-METER\t7\tpH\t{TIME}\t00\nCOD\t1\tx\t{TIME}\t00", aliases=table)
    assert [r.parameter for r in result.readings] == ["pH", "COD"]


def test_flat_table_without_canonical_codes_still_knows_them() -> None:
    result = parse(f"DO\t7\tmg/L\t{TIME}\t00\nCOD\t1\tx\t{TIME}\t00", aliases={"do": "DO"})
    assert [r.parameter for r in result.readings] == ["DO", "COD"]


def test_default_aliases_are_data_keyed_by_alias_key() -> None:
    for kind, table in DEFAULT_ALIASES.items():
        assert set(table.values()) <= set(canonical_parameters(kind))
        for code in canonical_parameters(kind):
            assert table[alias_key(code)] == code
        for key in table:
            assert key == alias_key(key)
    assert DEFAULT_ALIASES["wastewater"]["nh4+"] == "NH4"
    assert DEFAULT_ALIASES["emission"]["no2"] == "NOX"
    assert DEFAULT_ALIASES["ambient"]["no2"] == "NO2"
    assert DEFAULT_ALIASES["ambient"][alias_key("Độ ẩm")] == "HUMIDITY"
    with pytest.raises(TypeError):
        DEFAULT_ALIASES["wastewater"]["x"] = "y"  # type: ignore[index]


def test_alias_key_is_nfc_and_case_insensitive() -> None:
    assert alias_key("NHIỆT ĐỘ") == alias_key(unicodedata.normalize("NFD", "nhiệt độ"))
    assert alias_key("ph") == alias_key("PH")


def test_canonical_order() -> None:
    assert canonical_parameters("wastewater") == (
        "FLOW_IN",
        "FLOW_OUT",
        "TEMP",
        "pH",
        "TSS",
        "COD",
        "NH4",
        "BOD5",
        "TN",
        "TP",
        "COLOR",
    )
    assert canonical_parameters("emission")[:3] == ("FLOW_GAS", "TEMP_GAS", "DUST")
    assert canonical_parameters("ambient") == (
        "PM10",
        "PM2_5",
        "O3",
        "NO2",
        "TEMP_AIR",
        "HUMIDITY",
        "SO2",
        "CO",
    )
    assert canonical_parameters("other") == ()


def test_added_codes_sort_after_canonical_ones_alphabetically() -> None:
    codes = ["zinc", "COD", "As", "pH", "FLOW_OUT", "Cu", "COD"]
    assert sort_parameters("wastewater", codes) == ["FLOW_OUT", "pH", "COD", "As", "Cu", "zinc"]
