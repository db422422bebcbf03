"""The record's facts: station timelines and certificates of the period, cases and notices, the tables."""

from __future__ import annotations

from datetime import date

from app.cases.models import Case
from app.extensions import db
from app.inspections import content
from app.inspections.record import gather_facts
from app.stations.models import StationCertificate, StationStatusChange
from tests.inspections.conftest import DECEMBER, local

MOMENT = local("2026-01-12 09:00")


def test_the_snapshot_holds_timeline_certificates_cases_and_long_gaps(facility, stations):
    first, second, _third = stations
    db.session.add_all(
        [
            StationStatusChange(
                station_id=second.id, status="awaiting_data", since=local("2025-06-01 00:00")
            ),
            StationStatusChange(station_id=second.id, status="receiving", since=local("2025-06-02 00:00")),
            StationStatusChange(station_id=second.id, status="lost", since=local("2025-12-21 01:00")),
            StationStatusChange(station_id=second.id, status="receiving", since=local("2026-01-05 00:00")),
            StationCertificate(
                station_id=first.id,
                kind="calibration",
                number="HC-7",
                issued_on=date(2025, 1, 2),
                expires_on=date(2026, 1, 2),
            ),
            Case(facility_id=facility.id, kind="lost_connection", status="open", step=1, evidence={}),
        ]
    )
    db.session.flush()

    facts = gather_facts(facility, *DECEMBER, MOMENT)

    by_code = {s["code"]: s for s in facts["stations"]}
    # The status the period starts in, then the steps inside it; none after it.
    assert [step["status"] for step in by_code["NT02"]["timeline"]] == ["receiving", "lost"]
    assert by_code["NT01"]["certificates"] == [
        {
            "kind": "calibration",
            "number": "HC-7",
            "issued_on": "2025-01-02",
            "expires_on": "2026-01-02",
            "is_expired": True,
        }
    ]
    assert facts["cases"] == [
        {"kind": "lost_connection", "step": 1, "opened_at": facts["cases"][0]["opened_at"]}
    ]
    assert {(g["station"], g["slots"]) for g in facts["gaps"]} == {
        ("NT01", 36),
        ("NT02", 11 * 288),
        ("NT03", 36),
    }
    assert all("gaps" not in item["raw"]["parameters"]["COD"] for item in facts["completeness"])

    tables = {t.caption.split(".")[0]: t for t in content.tables(facts)}
    assert tables["Bảng 4"].rows == [["NT01", "Hiệu chuẩn", "HC-7", "02/01/2025", "02/01/2026", "Hết hạn"]]
    assert tables["Bảng 5"].rows == [
        ["NT02", "Đang nhận dữ liệu", "00:00 02/06/2025"],
        ["NT02", "Mất kết nối", "01:00 21/12/2025"],
    ]
    assert tables["Bảng 10"].rows[0][:2] == ["Mất kết nối", 1]
    assert ["NT02", "00:00 21/12/2025", "00:00 01/01/2026", 15840] in tables["Bảng 8"].rows
