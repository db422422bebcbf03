"""Wastewater obligations of the four regimes, deadlines, extra parameters and explanations."""

from __future__ import annotations

import json
from datetime import date

import pytest

from .helpers import BASE_WASTEWATER, REGIME_CODES, make_source, run, wastewater

EXAMPLE_CITATION = (
    "điểm b khoản 2 Điều 39 Nghị định 38/2015/NĐ-CP, sửa đổi bởi khoản 20 Điều 3 Nghị định 40/2019/NĐ-CP"
)
REGIME_DEADLINES = {
    "decree-38-2015": None,
    "decree-40-2019": date(2021, 12, 31),
    "decree-08-2022": date(2024, 12, 31),
    "decree-05-2025": date(2024, 12, 31),
}
OBLIGATION_KEYS = {"kind", "status", "clauses", "sources", "parameters", "deadline", "explanation"}


# --- shape -------------------------------------------------------------------------------


@pytest.mark.parametrize("code", REGIME_CODES)
def test_two_obligations_wastewater_then_emission_with_every_key(code: str) -> None:
    obligations = run(code)
    assert [o["kind"] for o in obligations] == ["wastewater", "emission"]
    for obligation in obligations:
        assert OBLIGATION_KEYS <= set(obligation)
        assert obligation["missing"] == []
    json.dumps(obligations, default=str)


@pytest.mark.parametrize("code", REGIME_CODES)
def test_nothing_applies_is_not_required_without_parameters_or_deadline(code: str) -> None:
    result = wastewater(code, wastewater_flow_m3_day=10.0, extra_parameters=["BOD5"])
    assert result["status"] == "not_required"
    assert result["clauses"] == []
    assert result["parameters"] == []
    assert result["deadline"] is None
    assert "không thuộc trường hợp phải quan trắc nước thải tự động, liên tục" in result["explanation"]
    assert "10 m³/ngày" in result["explanation"]


# --- decree-38-2015 ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flow", "clauses"), [(999.0, []), (999.99, []), (1000.0, ["flow"]), (1001.0, ["flow"])]
)
def test_decree_38_flow_threshold(flow: float, clauses: list[str]) -> None:
    result = wastewater("decree-38-2015", wastewater_flow_m3_day=flow)
    assert result["clauses"] == clauses
    assert result["status"] == ("required" if clauses else "not_required")


def test_decree_38_central_plant_and_flow_both_reported() -> None:
    result = wastewater("decree-38-2015", central_wwtp=True, wastewater_flow_m3_day=5000.0)
    assert result["clauses"] == ["ip", "flow"]
    assert result["parameters"] == BASE_WASTEWATER
    assert result["deadline"] is None


@pytest.mark.parametrize("attr", ["central_wwtp_cluster", "exempt_from_connection"])
def test_decree_38_has_no_cluster_or_exemption_clause(attr: str) -> None:
    assert wastewater("decree-38-2015", **{attr: True}, in_industrial_park=True)["clauses"] == []


def test_decree_38_flow_does_not_apply_to_connected_facility() -> None:
    result = wastewater("decree-38-2015", wastewater_flow_m3_day=2000.0, connected_to_central_wwtp=True)
    assert result["status"] == "not_required"
    assert result["exempted"] == [{"clause": "flow", "reason": result["exempted"][0]["reason"]}]
    assert "không áp dụng vì cơ sở đấu nối" in result["explanation"]


# --- decree-40-2019 ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attrs", "clauses"),
    [
        ({"central_wwtp": True}, ["a"]),
        ({"exempt_from_connection": True, "in_industrial_park": True}, ["a"]),
        ({"central_wwtp_cluster": True}, []),
        ({"in_industrial_park": True}, []),
    ],
)
def test_decree_40_clause_a(attrs: dict, clauses: list[str]) -> None:
    assert wastewater("decree-40-2019", **attrs)["clauses"] == clauses


@pytest.mark.parametrize(
    ("risk", "flow", "clauses"),
    [
        (True, 499.0, []),
        (True, 499.9, []),
        (True, 500.0, ["b"]),
        (True, 501.0, ["b"]),
        (True, 999.0, ["b"]),
        (True, 1000.0, ["b", "d"]),
        (False, 500.0, []),
        (False, 999.0, []),
        (False, 1000.0, ["d"]),
        (False, 1001.0, ["d"]),
    ],
)
def test_decree_40_flow_clauses_b_and_d(risk: bool, flow: float, clauses: list[str]) -> None:
    result = wastewater("decree-40-2019", pollution_risk_type=risk, wastewater_flow_m3_day=flow)
    assert result["clauses"] == clauses


@pytest.mark.parametrize(
    "category", ["hazardous_waste_treatment", "solid_waste_treatment_provincial", "imported_scrap"]
)
@pytest.mark.parametrize(
    ("eia", "flow", "applies"),
    [(True, 0.0, False), (True, 0.1, True), (True, 5.0, True), (False, 5.0, False)],
)
def test_decree_40_clause_c(category: str, eia: bool, flow: float, applies: bool) -> None:
    result = wastewater("decree-40-2019", **{category: True}, eia_required=eia, wastewater_flow_m3_day=flow)
    assert result["clauses"] == (["c"] if applies else [])


def test_decree_40_clause_c_needs_a_special_category() -> None:
    result = wastewater("decree-40-2019", eia_required=True, wastewater_flow_m3_day=50.0)
    assert result["clauses"] == []


@pytest.mark.parametrize(("attr", "clause"), [("repeat_wastewater_violator", "dd"), ("ppc_designated", "e")])
def test_decree_40_clauses_dd_and_e(attr: str, clause: str) -> None:
    result = wastewater("decree-40-2019", **{attr: True})
    assert result["clauses"] == [clause]
    assert result["status"] == "required"


def test_decree_40_every_clause_in_table_order() -> None:
    result = wastewater(
        "decree-40-2019",
        ppc_designated=True,
        repeat_wastewater_violator=True,
        central_wwtp=True,
        pollution_risk_type=True,
        imported_scrap=True,
        eia_required=True,
        wastewater_flow_m3_day=1200.0,
    )
    assert result["clauses"] == ["a", "b", "c", "d", "dd", "e"]
    for point in ("điểm a ", "điểm b ", "điểm c ", "điểm d ", "điểm đ ", "điểm e "):
        assert point + "khoản 2 Điều 39" in result["explanation"]


def test_decree_40_connected_facility_exempt_from_b_c_d() -> None:
    attrs = {
        "pollution_risk_type": True,
        "hazardous_waste_treatment": True,
        "eia_required": True,
        "wastewater_flow_m3_day": 3000.0,
        "connected_to_central_wwtp": True,
    }
    result = wastewater("decree-40-2019", **attrs)
    assert result["status"] == "not_required"
    assert [e["clause"] for e in result["exempted"]] == ["b", "c", "d"]


@pytest.mark.parametrize(("attr", "clause"), [("repeat_wastewater_violator", "dd"), ("ppc_designated", "e")])
def test_decree_40_connected_facility_still_bound_by_dd_and_e(attr: str, clause: str) -> None:
    result = wastewater(
        "decree-40-2019",
        connected_to_central_wwtp=True,
        pollution_risk_type=True,
        wastewater_flow_m3_day=3000.0,
        **{attr: True},
    )
    assert result["clauses"] == [clause]
    assert result["status"] == "required"
    assert result["parameters"] == BASE_WASTEWATER


# --- decree-08-2022 ----------------------------------------------------------------------


@pytest.mark.parametrize("code", ["decree-08-2022", "decree-05-2025"])
@pytest.mark.parametrize(
    "attrs",
    [
        {"central_wwtp": True},
        {"central_wwtp_cluster": True},
        {"exempt_from_connection": True, "in_industrial_park": True},
        {"central_wwtp": True, "aquaculture": True},
        {"central_wwtp_cluster": True, "connected_to_central_wwtp": True},
    ],
)
def test_row1_any_flow_and_not_affected_by_exemptions(code: str, attrs: dict) -> None:
    result = wastewater(code, wastewater_flow_m3_day=0.0, **attrs)
    assert result["clauses"] == ["row1"]
    assert result["status"] == "required"


@pytest.mark.parametrize(
    ("risk", "flow", "clauses"),
    [
        (True, 199.0, []),
        (True, 199.99, []),
        (True, 200.0, ["row2"]),
        (True, 201.0, ["row2"]),
        (True, 500.0, ["row2"]),
        (True, 5000.0, ["row2"]),
        (False, 200.0, []),
        (False, 499.0, []),
        (False, 500.0, ["row3"]),
        (False, 501.0, ["row3"]),
        (False, 1000.0, ["row3"]),
    ],
)
def test_decree_08_rows_2_and_3(risk: bool, flow: float, clauses: list[str]) -> None:
    result = wastewater("decree-08-2022", pollution_risk_type=risk, wastewater_flow_m3_day=flow)
    assert result["clauses"] == clauses
    assert result["status"] == ("required" if clauses else "not_required")


@pytest.mark.parametrize("code", ["decree-08-2022", "decree-05-2025"])
@pytest.mark.parametrize("exemption", ["connected_to_central_wwtp", "aquaculture"])
@pytest.mark.parametrize(("risk", "flow"), [(True, 800.0), (False, 2000.0)])
def test_rows_2_and_3_exempt(code: str, exemption: str, risk: bool, flow: float) -> None:
    result = wastewater(code, pollution_risk_type=risk, wastewater_flow_m3_day=flow, **{exemption: True})
    assert result["status"] == "not_required"
    assert result["exempted"][0]["clause"] == ("row2" if risk else "row3")


def test_every_applying_row_reported() -> None:
    result = wastewater(
        "decree-08-2022", central_wwtp=True, pollution_risk_type=True, wastewater_flow_m3_day=300.0
    )
    assert result["clauses"] == ["row1", "row2"]


# --- decree-05-2025: the optional bands --------------------------------------------------


@pytest.mark.parametrize(
    ("risk", "flow", "clauses", "status"),
    [
        (True, 199.0, [], "not_required"),
        (True, 200.0, ["row2"], "optional"),
        (True, 201.0, ["row2"], "optional"),
        (True, 499.0, ["row2"], "optional"),
        (True, 499.9, ["row2"], "optional"),
        (True, 500.0, ["row2"], "required"),
        (True, 501.0, ["row2"], "required"),
        (False, 499.0, [], "not_required"),
        (False, 500.0, ["row3"], "optional"),
        (False, 501.0, ["row3"], "optional"),
        (False, 999.0, ["row3"], "optional"),
        (False, 1000.0, ["row3"], "required"),
        (False, 1001.0, ["row3"], "required"),
    ],
)
def test_decree_05_bands(risk: bool, flow: float, clauses: list[str], status: str) -> None:
    result = wastewater("decree-05-2025", pollution_risk_type=risk, wastewater_flow_m3_day=flow)
    assert result["clauses"] == clauses
    assert result["status"] == status


def test_decree_05_optional_carries_parameters_and_deadline() -> None:
    result = wastewater(
        "decree-05-2025",
        pollution_risk_type=True,
        wastewater_flow_m3_day=300.0,
        extra_parameters=["TN"],
    )
    assert result["status"] == "optional"
    assert result["parameters"] == [*BASE_WASTEWATER, "TN"]
    assert result["deadline"] == date(2024, 12, 31)
    assert (
        "được lựa chọn quan trắc nước thải tự động, liên tục hoặc quan trắc định kỳ" in result["explanation"]
    )
    assert "từ 200 đến dưới 500 m³/ngày" in result["explanation"]


def test_decree_05_required_row_wins_over_optional_row() -> None:
    result = wastewater(
        "decree-05-2025",
        central_wwtp_cluster=True,
        pollution_risk_type=True,
        wastewater_flow_m3_day=300.0,
    )
    assert result["clauses"] == ["row1", "row2"]
    assert result["status"] == "required"


# --- deadlines ---------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "deadline"), REGIME_DEADLINES.items())
def test_regime_deadline(code: str, deadline: date | None) -> None:
    obligations = run(
        code,
        [make_source("LD1", "incinerator", capacity=1.0, capacity_unit="t/h")],
        ppc_designated=True,
        central_wwtp=True,
    )
    assert obligations[0]["status"] == "required"
    assert obligations[0]["deadline"] == deadline
    if code != "decree-38-2015":
        assert obligations[1]["deadline"] == deadline


@pytest.mark.parametrize("code", ["decree-40-2019", "decree-08-2022", "decree-05-2025"])
@pytest.mark.parametrize(
    ("start", "later"),
    [(date(2030, 3, 1), True), (date(2010, 1, 1), False), (None, False)],
)
def test_later_operation_start_is_the_deadline(code: str, start: date | None, later: bool) -> None:
    result = wastewater(code, central_wwtp=True, operation_start_date=start)
    assert result["deadline"] == (start if later else REGIME_DEADLINES[code])
    if later:
        assert "01/03/2030" in result["explanation"]
        assert "bắt đầu vận hành" in result["explanation"]


def test_operation_start_on_the_regime_deadline_keeps_it() -> None:
    result = wastewater("decree-08-2022", central_wwtp=True, operation_start_date=date(2024, 12, 31))
    assert result["deadline"] == date(2024, 12, 31)


def test_decree_38_ignores_operation_start() -> None:
    result = wastewater("decree-38-2015", central_wwtp=True, operation_start_date=date(2030, 1, 1))
    assert result["deadline"] is None
    assert "không quy định thời hạn" in result["explanation"]


@pytest.mark.parametrize("code", REGIME_CODES)
@pytest.mark.parametrize("start", [None, date(2031, 1, 1)])
def test_obligation_deadline_overrides_everything(code: str, start: date | None) -> None:
    override = date(2026, 6, 30)
    result = wastewater(code, central_wwtp=True, operation_start_date=start, obligation_deadline=override)
    assert result["deadline"] == override
    assert "30/06/2026" in result["explanation"]


@pytest.mark.parametrize("code", REGIME_CODES)
def test_not_required_has_null_deadline_even_with_override(code: str) -> None:
    obligations = run(code, obligation_deadline=date(2026, 6, 30), operation_start_date=date(2030, 1, 1))
    assert [o["deadline"] for o in obligations] == [None, None]


def test_decree_40_deadline_explanation_names_both_dates() -> None:
    text = wastewater("decree-40-2019", ppc_designated=True)["explanation"]
    assert "31/12/2021" in text
    assert "31/12/2020" in text
    assert "Nghị quyết 129/NQ-CP" in text


# --- extra parameters --------------------------------------------------------------------


def test_extra_parameters_join_in_canonical_order_deduplicated() -> None:
    result = wastewater(
        "decree-40-2019",
        ppc_designated=True,
        extra_parameters=["color", "BOD5", "bod5", "cod", " TN "],
    )
    assert result["parameters"] == [*BASE_WASTEWATER, "BOD5", "TN", "COLOR"]


@pytest.mark.parametrize("code", ["so2", "SO2", "co", "HCl"])
def test_code_of_both_kinds_or_emission_joins_emission_only(code: str) -> None:
    incinerator = make_source("LD1", "incinerator", capacity=0.1, capacity_unit="t/h")
    boiler = make_source("LH1", "boiler", fuel="coal")
    obligations = run(
        "decree-40-2019",
        [incinerator, boiler],
        ppc_designated=True,
        industry_type="thermal_power",
        extra_parameters=[code],
    )
    canonical = {"so2": "SO2", "co": "CO", "hcl": "HCL"}[code.lower()]
    assert canonical not in obligations[0]["parameters"]
    assert obligations[1]["parameters"].count(canonical) == 1
    assert obligations[1]["parameters"][-1] == ("HCL" if canonical == "HCL" else "O2")


def test_extra_emission_parameter_not_added_when_emission_not_required() -> None:
    obligations = run("decree-40-2019", ppc_designated=True, extra_parameters=["SO2", "BOD5"])
    assert obligations[0]["parameters"] == [*BASE_WASTEWATER, "BOD5"]
    assert obligations[1]["status"] == "not_required"
    assert obligations[1]["parameters"] == []


def test_administrator_added_code_joins_its_kind_after_canonical_codes() -> None:
    obligations = run(
        "decree-08-2022",
        known_parameters={"Zn": "wastewater", "Hg": "emission"},
        central_wwtp=True,
        extra_parameters=["zn", "TP", "hg"],
    )
    assert obligations[0]["parameters"] == [*BASE_WASTEWATER, "TP", "Zn"]
    assert obligations[1]["parameters"] == []


def test_unknown_or_ambient_extra_codes_are_ignored_by_the_evaluator() -> None:
    result = wastewater("decree-08-2022", central_wwtp=True, extra_parameters=["PM10", "XYZ"])
    assert result["parameters"] == BASE_WASTEWATER


# --- explanations ------------------------------------------------------------------------


def test_example_explanation_pollution_risk_620() -> None:
    result = wastewater("decree-40-2019", pollution_risk_type=True, wastewater_flow_m3_day=620.0)
    assert result["clauses"] == ["b"]
    assert "lưu lượng nước thải thiết kế 620 m³/ngày ≥ 500 m³/ngày" in result["explanation"]
    assert EXAMPLE_CITATION in result["explanation"]
    assert result["citations"] == [{"clause": "b", "citation": EXAMPLE_CITATION, "confidence": "confirmed"}]


@pytest.mark.parametrize(
    ("flow", "written"),
    [(1000.0, "1.000"), (1234.5, "1.234,5"), (12500.0, "12.500"), (1000.25, "1.000,25")],
)
def test_explanation_writes_numbers_the_vietnamese_way(flow: float, written: str) -> None:
    text = wastewater("decree-40-2019", wastewater_flow_m3_day=flow)["explanation"]
    assert f"Lưu lượng nước thải thiết kế {written} m³/ngày ≥ 1.000 m³/ngày" in text


def test_one_sentence_per_applying_clause() -> None:
    result = wastewater("decree-40-2019", pollution_risk_type=True, wastewater_flow_m3_day=1500.0)
    text = result["explanation"]
    assert text.count("phải quan trắc nước thải tự động, liên tục theo điểm") == 2
    assert text.index("điểm b khoản 2") < text.index("điểm d khoản 2")


@pytest.mark.parametrize(
    ("code", "attrs", "phrase"),
    [
        ("decree-40-2019", {"central_wwtp": True}, "hệ thống xử lý nước thải tập trung của khu"),
        (
            "decree-40-2019",
            {"exempt_from_connection": True, "in_industrial_park": True},
            "được miễn trừ đấu nối",
        ),
        ("decree-08-2022", {"central_wwtp_cluster": True}, "của cụm công nghiệp"),
        ("decree-40-2019", {"repeat_wastewater_violator": True}, "tái phạm"),
        ("decree-40-2019", {"ppc_designated": True}, "Ủy ban nhân dân cấp tỉnh chỉ định"),
        (
            "decree-40-2019",
            {"imported_scrap": True, "eia_required": True, "wastewater_flow_m3_day": 3.0},
            "nhập khẩu phế liệu",
        ),
    ],
)
def test_explanation_says_why(code: str, attrs: dict, phrase: str) -> None:
    assert phrase in wastewater(code, **attrs)["explanation"]


def test_not_required_explanation_names_the_regime_and_what_was_checked() -> None:
    text = wastewater("decree-08-2022", wastewater_flow_m3_day=150.0)["explanation"]
    assert "Theo Luật Bảo vệ môi trường năm 2020 và Nghị định 08/2022/NĐ-CP" in text
    assert "lưu lượng từ 200 m³/ngày" in text
    assert "lưu lượng nước thải của cơ sở: 150 m³/ngày" in text


def test_blank_flow_is_reported_missing_not_exceeding() -> None:
    result = wastewater("decree-40-2019", pollution_risk_type=True, wastewater_flow_m3_day=None)
    assert result["status"] == "not_required"
    assert {"clause": "b", "attribute": "wastewater_flow_m3_day"} in result["missing"]
