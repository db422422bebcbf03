"""The minutes: finalised by a job, numbered in the BB register, stored by hash, and printing the
completeness figures of ``flask telemetry completeness`` for the same station and period."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess

import pytest
from flask import current_app

from app.db import commit
from app.extensions import db
from app.formatting import format_number, format_percent
from app.inspections import services
from app.inspections.models import Inspection
from app.telemetry.station_data import station_rates
from tests.inspections.conftest import DECEMBER, due

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "minutes.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def cli_figures(app, code: str, *extra: str) -> dict:
    args = ["telemetry", "completeness", "--station", code, "--from", DECEMBER[0].isoformat()]
    result = app.test_cli_runner().invoke(args=[*args, "--to", DECEMBER[1].isoformat(), "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def finalised(facility, plan, make_user) -> Inspection:
    user = make_user("inspector")
    inspection = services.schedule_inspection(facility, plan, user)
    services.update_record(
        inspection,
        {
            "representatives": [{"name": "Phạm Minh Đức", "title": "Giám đốc"}],
            "findings": "Trạm NT02 ngừng truyền dữ liệu từ ngày 21/12/2025.",
            "opinion": "Cơ sở thống nhất.",
        },
    )
    services.add_request(inspection, "Khắc phục việc truyền dữ liệu của trạm NT02.", due(15))
    services.finalise_inspection(inspection, user, "http://localhost/")
    commit()  # the render job runs after the commit (synchronous in tests)
    db.session.refresh(inspection)
    return inspection


def rows_of(text: str, first: str, second: str) -> list[list[str]]:
    return [line.split() for line in text.splitlines() if line.split()[:2] == [first, second]]


def test_completeness_in_the_pdf_equals_the_cli_for_each_station_and_parameter(
    app, facility, stations, plan, make_user, tmp_path
):
    inspection = finalised(facility, plan, make_user)
    assert inspection.status == "finalised"
    with open(os.path.join(current_app.instance_path, inspection.pdf_path), "rb") as stream:
        data = stream.read()
    text = pdf_text(data, tmp_path)

    checked = 0
    for station in stations:
        raw = cli_figures(app, station.code)
        excused = cli_figures(app, station.code, "--excused")
        for code, item in raw["parameters"].items():
            other = excused["parameters"][code]
            expected = [
                station.code,
                code,
                format_number(item["expected"]),
                format_number(item["received"]),
                format_number(item["valid"]),
                format_percent(item["valid"], item["expected"]),
                format_number(other["expected"]),
                format_number(other["valid"]),
                format_percent(other["valid"], other["expected"]),
            ]
            assert rows_of(text, station.code, code) == [expected], (station.code, code)
            checked += 1
        (line,) = [
            r for r in rows_of(text, station.code, format_number(raw["expected_slots"])) if len(r) == 8
        ]
        assert line == [
            station.code,
            format_number(raw["expected_slots"]),
            format_number(raw["data_slots"]),
            format_percent(raw["data_slots"], raw["expected_slots"]),
            format_percent(station_rates(raw).effective, 1),
            format_percent(station_rates(excused).effective, 1),
            str(raw["gaps_over_1h"]),
            format_number(raw["longest_gap_slots"] * 5),
        ]
    assert checked == sum(len(s.parameters) for s in stations)
    # The excused window of NT03 changes its figures: the test compares two different columns.
    third = cli_figures(app, "NT03")
    assert third["expected_slots"] != cli_figures(app, "NT03", "--excused")["expected_slots"]


def test_finalised_minutes_are_numbered_stored_once_and_read_as_minutes(
    app, facility, stations, plan, make_user, tmp_path
):
    inspection = finalised(facility, plan, make_user)
    path = os.path.join(current_app.instance_path, inspection.pdf_path)
    with open(path, "rb") as stream:
        data = stream.read()
    text = pdf_text(data, tmp_path)

    assert hashlib.sha256(data).hexdigest() == inspection.pdf_sha256
    assert inspection.number_text == f"{inspection.number:02d}/BB-CCBVMT"
    assert f"Số: {inspection.number:02d}/BB-CCBVMT" in text
    assert "BIÊN BẢN" in text and "Cần Thơ, ngày 12 tháng 01 năm 2026" in text
    assert "Quyết định số 125/QĐ-SNNMT ngày 05 tháng 01 năm 2026" in text
    for expected in ("ĐẠI DIỆN CƠ SỞ", "TRƯỞNG ĐOÀN KIỂM TRA", "Phạm Minh Đức", "Trần Thị Bích"):
        assert expected in text
    assert "Khắc phục việc truyền dữ liệu của trạm NT02. Thời hạn: 27/01/2026." in text
    assert "lập thành 02 bản" in text
    assert "Các khoảng mất dữ liệu từ 01 giờ trở lên" in text and "10/12/2025" in text
    assert "<svg" not in text and "Hình 1." in text
    # The short link of the public verification page, under the QR code (the notices' /v/<token>).
    # pdftotext drops a hyphen that ends a line: a token's "-" may fall at the end of the link's line.
    link = f"http://localhost/v/{inspection.verify_token}"
    assert link.replace("-", "") in text.replace("\n", "").replace("-", "")

    # Never changed again: a second run of the job keeps number and hash; the record is closed.
    number, sha256 = inspection.number, inspection.pdf_sha256
    services.render_minutes(inspection)
    assert (inspection.number, inspection.pdf_sha256) == (number, sha256)
    with pytest.raises(services.WrongState):
        services.update_record(inspection, {"findings": "Sửa sau khi ký"})


def test_numbers_follow_each_other_without_a_gap(app, facility, stations, plan, make_user):
    first = finalised(facility, plan, make_user)
    second = finalised(facility, plan, make_user)

    assert (first.year, second.year) == (2026, 2026)
    assert second.number == first.number + 1
