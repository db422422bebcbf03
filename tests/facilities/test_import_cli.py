"""``flask facilities import`` exactly as the CLI contract gives it."""

from __future__ import annotations

import getpass
import json

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.extensions import db
from app.facilities.models import Facility

from .import_helpers import csv_bytes, facility, source, station, table, write_xlsx

KEYS = ["ok", "dry_run", "created", "updated", "unchanged", "ignored_columns", "problems"]
PROBLEM_KEYS = ["file", "sheet", "row", "column", "message"]


def run(app, *args):
    return app.test_cli_runner().invoke(args=["facilities", "import", *args])


def codes() -> list[str]:
    return list(db.session.scalars(sa.select(Facility.code).order_by(Facility.code)))


def good_workbook(tmp_path):
    return write_xlsx(
        tmp_path / "danh-sach.xlsx",
        {
            "facilities": table(facility("F01", wastewater_flow_m3_day="600"), facility("F02")),
            "sources": table(source("S01", "F01")),
            "stations": table(
                station("ST01", "F01", parameters="COD"),
                {"station_code": "AQ1", "kind": "ambient", "ghi chu": "x"},
            ),
        },
    )


def test_import_with_json_exits_0_with_the_contract_keys(app, tmp_path) -> None:
    result = run(app, str(good_workbook(tmp_path)), "--json")
    assert result.exit_code == 0, result.output + result.stderr
    outcome = json.loads(result.stdout)
    assert list(outcome) == KEYS
    assert outcome["ok"] is True and outcome["dry_run"] is False
    assert outcome["created"] == {"facilities": 2, "sources": 1, "stations": 2}
    assert outcome["updated"] == outcome["unchanged"] == {"facilities": 0, "sources": 0, "stations": 0}
    assert outcome["ignored_columns"] == [
        {"file": "danh-sach.xlsx", "sheet": "stations", "column": "ghi chu"}
    ]
    assert outcome["problems"] == []
    assert codes() == ["F01", "F02"]
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "facility.created"))
    assert event.actor_label == f"cli:{getpass.getuser()}"


def test_second_run_counts_unchanged(app, tmp_path) -> None:
    path = str(good_workbook(tmp_path))
    assert run(app, path).exit_code == 0
    outcome = json.loads(run(app, path, "--json").stdout)
    assert outcome["unchanged"] == {"facilities": 2, "sources": 1, "stations": 2}
    assert outcome["created"] == {"facilities": 0, "sources": 0, "stations": 0}


def test_refused_import_exits_1_and_lists_every_problem(app, tmp_path) -> None:
    path = write_xlsx(
        tmp_path / "list.xlsx",
        {
            "facilities": table(facility("F01"), facility("F02", exempt_from_connection="có")),
            "sources": table(source("S01", "F01", "incinerator")),
        },
    )
    result = run(app, str(path), "--json")
    assert result.exit_code == 1
    outcome = json.loads(result.stdout)
    assert list(outcome) == KEYS and outcome["ok"] is False
    assert (
        outcome["created"]
        == outcome["updated"]
        == outcome["unchanged"]
        == {
            "facilities": 0,
            "sources": 0,
            "stations": 0,
        }
    )
    assert [list(p) for p in outcome["problems"]] == [PROBLEM_KEYS] * 3
    assert [(p["sheet"], p["row"], p["column"]) for p in outcome["problems"]] == [
        ("facilities", 3, "exempt_from_connection"),
        ("sources", 2, "capacity"),
        ("sources", 2, "capacity_unit"),
    ]
    assert len(result.stderr.strip().splitlines()) == 1
    assert codes() == []


def test_dry_run_validates_and_writes_nothing(app, tmp_path) -> None:
    result = run(app, str(good_workbook(tmp_path)), "--dry-run", "--json")
    assert result.exit_code == 0
    outcome = json.loads(result.stdout)
    assert outcome["ok"] is True and outcome["dry_run"] is True
    assert outcome["created"]["facilities"] == 2
    assert codes() == []


def test_readable_summary_without_json(app, tmp_path) -> None:
    result = run(app, str(good_workbook(tmp_path)))
    assert result.exit_code == 0
    assert "facilities: tạo mới 2" in result.stdout and "ghi chu" in result.stdout
    bad = tmp_path / "facilities.csv"
    bad.write_bytes(csv_bytes(table(facility("F09", wastewater_flow_m3_day="1.000"))))
    result = run(app, str(bad))
    assert result.exit_code == 1
    assert "facilities.csv, facilities, dòng 2, cột wastewater_flow_m3_day" in result.stdout


def test_several_csv_files(app, tmp_path) -> None:
    (tmp_path / "facilities.csv").write_bytes(csv_bytes(table(facility("F01")), delimiter=";", bom=True))
    (tmp_path / "stations.csv").write_bytes(csv_bytes(table(station("ST01", "F01"))))
    result = run(app, str(tmp_path / "facilities.csv"), str(tmp_path / "stations.csv"), "--json")
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout)["created"] == {"facilities": 1, "sources": 0, "stations": 1}


def test_unreadable_or_wrong_files_exit_1(app, tmp_path) -> None:
    result = run(app, str(tmp_path / "missing.xlsx"), "--json")
    assert result.exit_code == 1
    [found] = json.loads(result.stdout)["problems"]
    assert found["row"] is None and found["column"] is None and "missing.xlsx" in found["message"]
    text = tmp_path / "list.xlsx"
    text.write_text("facility_code\nF01\n")
    result = run(app, str(text), "--json")
    assert result.exit_code == 1 and "không phải là bảng tính" in result.stdout
    result = run(app)
    assert result.exit_code == 1 and result.stderr.strip()
