"""The sweep's detection on plain facts: every kind of breach, its boundaries, and the evidence contract."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from app.cases.sweep import (
    KINDS,
    FacilityFacts,
    MonthExceedances,
    Obligation,
    Station,
    StationMonth,
    Target,
    Thresholds,
    detect,
)
from app.formatting import LOCAL_TZ

AS_OF = date(2026, 1, 15)
MOMENT = datetime(2026, 1, 15, 1, 0, tzinfo=LOCAL_TZ)
MONTH = (date(2025, 12, 1), date(2025, 12, 31))
LIMITS = Thresholds(completeness_target=0.9, lost_case_after_hours=24, exceedance_hours_case=8)
BASIS = ("khoản 1 Điều 97 Nghị định 08/2022/NĐ-CP",)
WW = ("TSS", "COD", "pH")


def wastewater(targets, deadline=date(2024, 12, 31)) -> Obligation:
    return Obligation("wastewater", deadline, tuple(targets), BASIS, (1, 5))


def target(installed=("NT1",), missing=(), stations=("NT1",), source=None, required=WW) -> Target:
    monitored = tuple(p for p in required if p not in missing)
    return Target(source, required, monitored, tuple(missing), tuple(stations), tuple(installed))


def facts(**values) -> FacilityFacts:
    return FacilityFacts(facility_id=7, month=MONTH, **values)


def findings(f: FacilityFacts, as_of: date = AS_OF, moment: datetime = MOMENT, limits: Thresholds = LIMITS):
    return {finding.kind: finding for finding in detect(f, as_of, moment, limits)}


def month(code: str, raw: float | None, excused: float | None = None, with_windows: bool = False):
    figures = {"expected_slots": 8928, "data_slots": 8000, "effective_rate": raw}
    return StationMonth(code, figures, {"effective_rate": excused} if with_windows else None)


def test_one_finding_per_kind_each_with_the_evidence_contract():
    found = findings(facts())
    assert list(found) == list(KINDS)
    for finding in found.values():
        assert not finding.is_breach
        evidence = finding.evidence
        assert {"subject", "sentence", "table", "legal_basis", "as_of"} <= set(evidence)
        assert evidence["as_of"] == "2026-01-15"
        assert evidence["sentence"].endswith(".")
        assert {"caption", "header", "rows"} <= set(evidence["table"])


def test_not_installed_once_the_deadline_has_passed_and_no_installed_station_serves():
    bare = facts(obligations=(wastewater([target(installed=())]),))
    found = findings(bare)["not_installed"]
    assert found.is_breach
    assert found.rule_version_ids == [1, 5]
    assert found.evidence["sentence"] == "chưa lắp đặt trạm quan trắc nước thải tự động theo quy định."
    assert found.evidence["legal_basis"] == list(BASIS)
    assert found.evidence["table"]["rows"] == [["nước thải", "—", "TSS, COD, pH", "31/12/2024", "NT1"]]
    assert found.evidence["subject"] == "lắp đặt, kết nối truyền số liệu quan trắc tự động"


def test_not_installed_waits_for_the_day_after_the_deadline():
    bare = facts(obligations=(wastewater([target(installed=())], deadline=AS_OF),))
    assert not findings(bare)["not_installed"].is_breach
    assert findings(bare, as_of=AS_OF + timedelta(days=1))["not_installed"].is_breach


def test_an_obligation_without_a_deadline_is_due_at_once():
    bare = facts(obligations=(wastewater([target(installed=())], deadline=None),))
    assert findings(bare)["not_installed"].is_breach


def test_not_installed_per_triggering_emission_source():
    emission = Obligation(
        "emission",
        date(2024, 12, 31),
        (
            target(source="K1", required=("DUST",)),
            target(source="M1", installed=(), stations=(), required=("DUST",)),
        ),
        ("Điều 98 Nghị định 08/2022/NĐ-CP",),
        (1, 9),
    )
    found = findings(facts(obligations=(emission,)))["not_installed"]
    assert found.is_breach
    assert found.evidence["sentence"] == (
        "chưa lắp đặt trạm quan trắc khí thải tự động cho nguồn thải M1 theo quy định."
    )
    assert found.evidence["targets"] == [
        {"kind": "emission", "source": "M1", "required": ["DUST"], "deadline": "2024-12-31"}
    ]


def test_not_connected_is_an_installed_serving_station_of_a_due_obligation():
    station = Station("NT1", "wastewater", "installed", True, installed_at=date(2025, 3, 1))
    due = facts(obligations=(wastewater([target()]),), stations=(station,))
    found = findings(due)["not_connected"]
    assert found.is_breach
    assert found.evidence["stations"] == ["NT1"]
    assert found.evidence["table"]["rows"] == [["NT1", "nước thải", "01/03/2025", "31/12/2024"]]
    not_due = facts(obligations=(wastewater([target()], deadline=date(2026, 6, 30)),), stations=(station,))
    assert not findings(not_due)["not_connected"].is_breach
    spare = Station("NT9", "wastewater", "installed", False)
    assert not findings(facts(obligations=(wastewater([target()]),), stations=(spare,)))[
        "not_connected"
    ].is_breach


def test_lost_connection_only_after_more_than_the_setting():
    def lost(hours: float) -> FacilityFacts:
        since = MOMENT - timedelta(hours=hours)
        return facts(
            stations=(Station("NT1", "wastewater", "lost", True, lost_since=since, last_reading_at=since),)
        )

    assert not findings(lost(24))["lost_connection"].is_breach
    found = findings(lost(24.1))["lost_connection"]
    assert found.is_breach
    assert found.evidence["stations"][0]["code"] == "NT1"
    assert "quá 24 giờ" in found.evidence["sentence"]
    assert (
        findings(lost(30), limits=Thresholds(lost_case_after_hours=48))["lost_connection"].is_breach is False
    )


def test_receiving_or_not_serving_stations_are_never_lost_cases():
    old = MOMENT - timedelta(days=3)
    stations = (
        Station("NT1", "wastewater", "receiving", True, lost_since=None),
        Station("NT2", "wastewater", "lost", False, lost_since=old),
    )
    assert not findings(facts(stations=stations))["lost_connection"].is_breach


def test_low_completeness_below_the_target_raw_when_no_window():
    found = findings(facts(completeness=(month("NT1", 0.8999),)))["low_completeness"]
    assert found.is_breach
    assert found.evidence["month"] == "2025-12"
    assert found.evidence["stations"][0]["basis"] == "raw"
    assert "tháng 12/2025 dưới mục tiêu 90%" in found.evidence["sentence"]
    assert found.evidence["table"]["rows"][0][5] == "số liệu thô"
    assert not findings(facts(completeness=(month("NT1", 0.9),)))["low_completeness"].is_breach


def test_low_completeness_judged_on_the_excused_rate_where_windows_exist():
    excused_ok = month("NT1", 0.70, excused=0.95, with_windows=True)
    found = findings(facts(completeness=(excused_ok,)))["low_completeness"]
    assert not found.is_breach
    assert found.evidence["stations"][0] == {
        "code": "NT1",
        "basis": "excused",
        "raw_effective_rate": 0.70,
        "excused_effective_rate": 0.95,
        "is_below": False,
    }
    still_low = month("NT1", 0.70, excused=0.85, with_windows=True)
    assert findings(facts(completeness=(still_low,)))["low_completeness"].is_breach


def test_low_completeness_ignores_a_month_with_nothing_expected():
    assert not findings(facts(completeness=(month("NT1", None),)))["low_completeness"].is_breach


def test_missing_parameters_per_target_with_an_installed_station():
    short = facts(obligations=(wastewater([target(missing=("COD",))]),))
    found = findings(short)["missing_parameters"]
    assert found.is_breach
    assert found.evidence["sentence"] == (
        "chưa quan trắc tự động đủ các thông số theo quy định (nước thải: thiếu COD)."
    )
    # No installed station at all is "not installed", not "missing parameters".
    bare = facts(obligations=(wastewater([target(installed=(), missing=WW)]),))
    assert not findings(bare)["missing_parameters"].is_breach


def test_exceedance_from_the_setting_on():
    def hours(n: int) -> FacilityFacts:
        return facts(exceedances=MonthExceedances(n, (("COD", n),), ("QCVN 40:2011/BTNMT cột A",)))

    assert not findings(hours(7))["exceedance"].is_breach
    found = findings(hours(8))["exceedance"]
    assert found.is_breach
    assert found.evidence["hours"] == 8
    assert found.evidence["legal_basis"] == ["QCVN 40:2011/BTNMT cột A"]
    assert found.evidence["table"]["rows"] == [["COD", 8], ["Tổng (mỗi giờ chỉ tính một lần)", 8]]
    assert not findings(facts())["exceedance"].is_breach
