"""Validating import rows against a snapshot of the database (pure: no database needed)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.facilities.importer import Snapshot, read_import, validate_import

from .import_helpers import MB, facility, source, station, table, xlsx_bytes

PROBLEM_KEYS = {"file", "sheet", "row", "column", "message"}


def validate(facilities=(), sources=(), stations=(), snapshot: Snapshot | None = None):
    sheets = {}
    for name, rows in (("facilities", facilities), ("sources", sources), ("stations", stations)):
        if rows:
            sheets[name] = table(*rows)
    parsed = read_import([("list.xlsx", xlsx_bytes(sheets))], 10 * MB)
    validated = validate_import(parsed, snapshot or Snapshot())
    for found in validated.problems:
        assert set(found) == PROBLEM_KEYS
    return validated


def where(validated) -> list[tuple]:
    return [(p["sheet"], p["row"], p["column"]) for p in validated.problems]


def stored_facility(code: str = "F01", **attrs) -> Snapshot:
    base = {
        "facility_code": code,
        "in_industrial_park": False,
        "exempt_from_connection": False,
        "connected_to_central_wwtp": False,
        "central_wwtp": False,
        "central_wwtp_cluster": False,
        "extra_parameters": [],
    }
    return Snapshot(
        facilities={code: {**base, **attrs}}, enterprises=[{"id": 1, "name": "Công ty A", "tax_code": None}]
    )


def test_a_valid_file_gives_typed_rows() -> None:
    validated = validate(
        [
            facility(
                "F01", wastewater_flow_m3_day="1200", pollution_risk_type="có", extra_parameters="bod5; Tss"
            )
        ],
        [source("S01", "F01", "Boiler", fuel="coal", flow_m3_h=25000)],
        [station("ST01", "F01", "wastewater", parameters="cod;ph;TSS")],
    )
    assert validated.problems == []
    [row] = validated.rows["facilities"]
    assert row.code == "F01" and row.is_new
    assert row.values["wastewater_flow_m3_day"] == Decimal(1200)
    assert row.values["pollution_risk_type"] is True
    assert row.values["extra_parameters"] == ["TSS", "BOD5"]
    assert row.enterprise == {"new": "name:công ty tnhh thử nghiệm"}
    assert validated.rows["sources"][0].values["source_kind"] == "boiler"
    assert validated.rows["stations"][0].values["parameters"] == ["pH", "TSS", "COD"]


def test_duplicate_codes_in_the_file_name_both_rows() -> None:
    validated = validate(
        [facility("F01"), facility("F02"), facility("f01")],
        stations=[station("ST01", "F01"), station("st01", "F02")],
    )
    assert where(validated) == [("facilities", 4, "facility_code"), ("stations", 3, "station_code")]
    first, second = (p["message"] for p in validated.problems)
    assert "dòng 2" in first and "dòng 4" in first
    assert "dòng 2" in second and "dòng 3" in second


def test_blank_codes_and_names_are_refused() -> None:
    validated = validate([facility("F01", facility_name=""), facility("", facility_name="B")])
    assert where(validated) == [("facilities", 2, "facility_name"), ("facilities", 3, "facility_code")]


@pytest.mark.parametrize(
    ("values", "column"),
    [
        ({"exempt_from_connection": "x"}, "exempt_from_connection"),
        ({"connected_to_central_wwtp": "yes", "central_wwtp": "yes"}, "connected_to_central_wwtp"),
        ({"connected_to_central_wwtp": "1", "central_wwtp_cluster": "1"}, "connected_to_central_wwtp"),
        (
            {"connected_to_central_wwtp": "có", "exempt_from_connection": "có", "in_industrial_park": "có"},
            "connected_to_central_wwtp",
        ),
    ],
)
def test_contradictions_are_refused_naming_the_row(values: dict, column: str) -> None:
    validated = validate([facility("F01"), facility("F02", **values)])
    assert where(validated) == [("facilities", 3, column)]
    assert [row.code for row in validated.rows["facilities"]] == ["F01"]


def test_contradiction_with_the_stored_values_of_absent_columns() -> None:
    snapshot = stored_facility(in_industrial_park=True, exempt_from_connection=True)
    # The file leaves exempt_from_connection as stored (absent) but takes the park away.
    validated = validate(
        [facility("F01", enterprise_name="Công ty A", in_industrial_park="không")], snapshot=snapshot
    )
    assert where(validated) == [("facilities", 2, "exempt_from_connection")]


def test_update_is_matched_on_the_stored_code() -> None:
    validated = validate([facility("f01", enterprise_name=" công ty a ")], snapshot=stored_facility("F01"))
    assert validated.problems == []
    [row] = validated.rows["facilities"]
    assert (row.code, row.is_new, row.enterprise) == ("F01", False, {"id": 1})


def test_unknown_source_kind() -> None:
    validated = validate([facility()], [source("S01", kind="furnace")])
    assert where(validated) == [("sources", 2, "source_kind")]
    assert "furnace" in validated.problems[0]["message"]


def test_incinerator_without_capacity_or_with_a_bad_unit() -> None:
    validated = validate(
        [facility()],
        [
            source("S01", kind="incinerator", capacity_unit="t/h"),
            source("S02", kind="incinerator", capacity=500, capacity_unit="kg/ngày"),
            source("S03", kind="Incinerator", capacity=300, capacity_unit="KG/H"),
        ],
    )
    assert where(validated) == [("sources", 2, "capacity"), ("sources", 3, "capacity_unit")]


def test_unknown_extra_parameters() -> None:
    validated = validate([facility(extra_parameters="COD;XYZ"), facility("F02", extra_parameters="PM10")])
    assert where(validated) == [("facilities", 2, "extra_parameters"), ("facilities", 3, "extra_parameters")]
    assert "XYZ" in validated.problems[0]["message"]


def test_an_administrator_code_is_known() -> None:
    snapshot = Snapshot(known_parameters={"AS": "wastewater"})
    assert validate([facility(extra_parameters="as")], snapshot=snapshot).problems == []


def test_cell_values_are_checked_per_column() -> None:
    validated = validate(
        [
            facility(
                "F01",
                wastewater_flow_m3_day="1.000",
                production_capacity_t_year="-5",
                pollution_risk_type="maybe",
                operation_start_date="01/02/2024",
                qcvn_column="C",
                kq="1,1",
            )
        ]
    )
    assert [c for _s, _r, c in where(validated)] == [
        "production_capacity_t_year",
        "pollution_risk_type",
        "wastewater_flow_m3_day",
        "operation_start_date",
        "qcvn_column",
        "kq",
    ]


def test_facility_of_a_source_must_exist_in_the_file_or_the_database() -> None:
    validated = validate(
        [facility("F01")], [source("S01", "F01"), source("S02", "F99"), source("S03", "f77")]
    )
    assert where(validated) == [("sources", 3, "facility_code"), ("sources", 4, "facility_code")]
    validated = validate(sources=[source("S03", "f77")], snapshot=stored_facility("F77"))
    assert validated.problems == [] and validated.rows["sources"][0].values["facility_code"] == "F77"


def test_station_rules() -> None:
    validated = validate(
        [facility("F01"), facility("F02")],
        [source("S01", "F01"), source("S02", "F02")],
        [
            station("ST_1", "F01"),
            station("AMB1", None, "ambient", parameters="PM10;PM2_5;SO2"),
            station("WW1", None, "wastewater"),
            station("EM1", "F01", "emission", parameters="COD"),
            station("EM2", "F01", "emission", source_code="S99"),
            station("EM3", "F01", "emission", source_code="S02"),
            station("WW2", "F01", "wastewater", source_code="S01"),
            station("X1", "F01", "water"),
            station("EM4", "F01", "EMISSION", source_code="s01", parameters="flow_gas;dust"),
        ],
    )
    assert where(validated) == [
        ("stations", 2, "station_code"),
        ("stations", 4, "facility_code"),
        ("stations", 5, "parameters"),
        ("stations", 6, "source_code"),
        ("stations", 7, "source_code"),
        ("stations", 8, "source_code"),
        ("stations", 9, "kind"),
    ]
    ambient, emission = validated.rows["stations"]
    assert ambient.values["facility_code"] is None
    assert emission.values == {
        "facility_code": "F01",
        "kind": "emission",
        "source_code": "S01",
        "parameters": ["FLOW_GAS", "DUST"],
    }


def test_enterprises_by_tax_code_then_by_name() -> None:
    snapshot = Snapshot(
        enterprises=[
            {"id": 1, "name": "Công ty A", "tax_code": "0301"},
            {"id": 2, "name": "Công ty B", "tax_code": None},
            {"id": 3, "name": "Công ty C", "tax_code": None},
            {"id": 4, "name": "công ty c", "tax_code": "0304"},
        ]
    )
    validated = validate(
        [
            facility("F01", enterprise_name="Tên khác", enterprise_tax_code="0301"),
            facility("F02", enterprise_name="  CÔNG TY B "),
            facility("F03", enterprise_name="Công ty Mới", enterprise_tax_code="0999"),
            facility("F04", enterprise_name="công ty mới"),
            facility("F05", enterprise_name="Công ty C"),
        ],
        snapshot=snapshot,
    )
    assert where(validated) == [("facilities", 6, "enterprise_name")]
    assert "mã số thuế" in validated.problems[0]["message"]
    refs = [row.enterprise for row in validated.rows["facilities"]]
    assert refs == [{"id": 1}, {"id": 2}, {"new": "tax:0999"}, {"new": "tax:0999"}]
    assert validated.enterprises == {"tax:0999": {"name": "Công ty Mới", "tax_code": "0999"}}


def test_problems_of_every_sheet_are_reported_together_in_order() -> None:
    validated = validate(
        [facility("F01", exempt_from_connection="x"), facility("F01")],
        [source("S01", kind="nope")],
        [station("A_B", "F01")],
    )
    assert [p["sheet"] for p in validated.problems] == ["facilities", "facilities", "sources", "stations"]
    assert all(p["file"] == "list.xlsx" for p in validated.problems)


def test_station_codes_are_plain_ascii_without_spaces() -> None:
    validated = validate([facility()], stations=[station("TRẠM1"), station("ST 2"), station("ST-3.a")])
    assert where(validated) == [("stations", 2, "station_code"), ("stations", 3, "station_code")]
    assert [row.code for row in validated.rows["stations"]] == ["ST-3.a"]
