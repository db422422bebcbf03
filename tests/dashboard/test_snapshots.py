"""Monthly snapshots: computed by the functions of every page, matching ``flask telemetry completeness``."""

from __future__ import annotations

import json

import sqlalchemy as sa

from app.dashboard import services
from app.dashboard.models import FacilityMonth
from app.extensions import db
from app.stations.models import ExcuseWindow
from tests.dashboard.conftest import DECEMBER, NOVEMBER, local


def cli(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def completeness(app, station, *extra: str) -> dict:
    result = cli(app, "telemetry", "completeness", "--station", station.code, "--from", "2025-12-01",
                 "--to", "2025-12-31", "--as-of", "2026-01-01 00:00", "--json", *extra)  # fmt: skip
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def snapshot(facility, month) -> FacilityMonth:
    return db.session.scalars(
        sa.select(FacilityMonth).where(FacilityMonth.facility_id == facility.id, FacilityMonth.month == month)
    ).one()


def test_the_snapshot_rate_is_the_cli_figure_of_the_same_station(app, facility, december):
    found = snapshot(facility, DECEMBER)
    raw = completeness(app, december)
    assert raw["effective_rate"] < 0.9
    assert found.raw_rate == raw["effective_rate"]
    assert found.excused_rate == completeness(app, december, "--excused")["effective_rate"]
    assert (found.is_obliged, found.is_installed, found.is_connected, found.is_receiving) == (True,) * 4
    assert found.commune == "Phường Thốt Nốt" and found.industry == "seafood"
    assert snapshot(facility, NOVEMBER).raw_rate == 1.0


def test_dashboard_figures_match_the_cli(app, facility, december):
    d = services.dashboard(DECEMBER)
    assert d.totals["obliged"] == 1
    assert d.totals["meets_raw"] == 0 and d.totals["meets_excused"] == 0
    (row,) = d.rows
    assert row.raw_rate == completeness(app, december)["effective_rate"]
    result = cli(app, "dashboard", "summary", "--month", "2025-12", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["totals"] == d.totals
    assert summary["facilities"][facility.code]["raw_rate"] == row.raw_rate
    assert [c["meets_excused"] for _m, c in d.series[-2:]] == [1, 0]
    assert d.series[0][1] is None  # no snapshot before November


def test_an_approved_window_changes_the_excused_figure_only(app, facility, december):
    db.session.add(
        ExcuseWindow(
            station_id=december.id,
            kind="maintenance",
            status="approved",
            starts_at=local("2025-12-03 00:00"),
            expected_end_at=local("2025-12-07 00:00"),
            ends_at=local("2025-12-07 00:00"),
            reason="Bảo trì",
        )  # fmt: skip
    )
    db.session.flush()
    result = cli(app, "dashboard", "snapshot", "--month", "2025-12", "--json")
    assert result.exit_code == 0, result.output
    found = snapshot(facility, DECEMBER)
    assert found.raw_rate == completeness(app, december)["effective_rate"] < 0.9
    assert found.excused_rate == completeness(app, december, "--excused")["effective_rate"] == 1.0
    d = services.dashboard(DECEMBER)
    assert (d.totals["meets_raw"], d.totals["meets_excused"]) == (0, 1)


def test_the_snapshot_cli_refuses_a_bad_month(app):
    result = cli(app, "dashboard", "snapshot", "--month", "2025-13")
    assert result.exit_code == 1
    assert "Tháng không hợp lệ cho --month: '2025-13'" in result.stderr
    result = cli(app, "dashboard", "snapshot", "--month", "2999-01")
    assert result.exit_code == 1 and "chưa bắt đầu" in result.stderr
