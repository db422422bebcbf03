"""``flask stations excuse`` exactly as the CLI contract gives it."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.extensions import db
from app.stations.models import ExcuseWindow
from tests.portal.helpers import make_station


def run(app, *args):
    return app.test_cli_runner().invoke(args=["stations", "excuse", *args])


def windows() -> list[ExcuseWindow]:
    return list(db.session.scalars(sa.select(ExcuseWindow).order_by(ExcuseWindow.id)))


def assert_refused(result) -> None:
    assert result.exit_code == 1, result.output
    assert result.stderr.strip() and len(result.stderr.strip().splitlines()) == 1
    assert windows() == []


@pytest.fixture
def station(make_facility):
    return make_station(make_facility(), "CT-NT-01")


def test_records_an_approved_maintenance_window_audited_as_the_cli_user(app, station) -> None:
    result = run(
        app,
        "--station",
        "CT-NT-01",
        "--start",
        "2026-01-05T08:00",
        "--end",
        "2026-01-05T11:30",
        "--reason",
        "Hiệu chuẩn thiết bị đo COD",
    )
    assert result.exit_code == 0, result.output + result.stderr
    assert result.stderr == ""
    [window] = windows()
    assert (window.station_id, window.kind, window.status) == (station.id, "maintenance", "approved")
    assert window.starts_at == datetime(2026, 1, 5, 1, 0, tzinfo=UTC)  # 08:00 in Việt Nam
    assert window.expected_end_at == datetime(2026, 1, 5, 4, 30, tzinfo=UTC)
    assert window.excused_until == window.expected_end_at
    assert window.reason == "Hiệu chuẩn thiết bị đo COD"
    assert window.decided_at is not None
    event = db.session.scalar(
        sa.select(AuditEvent).where(
            AuditEvent.object_type == "excuse_windows", AuditEvent.object_id == str(window.id)
        )
    )
    assert event.action == "window.approved"
    assert event.actor_label == f"cli:{getpass.getuser()}"
    assert event.reason == "Hiệu chuẩn thiết bị đo COD"


def test_accepts_the_space_form_and_any_case_of_the_code(app, station) -> None:
    result = run(
        app,
        "--station",
        "ct-nt-01",
        "--start",
        "2026-01-05 22:00",
        "--end",
        "2026-01-06 02:00",
        "--reason",
        "x",
    )
    assert result.exit_code == 0, result.output + result.stderr
    [window] = windows()
    assert window.station_id == station.id
    assert window.starts_at == datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
    assert window.expected_end_at == datetime(2026, 1, 5, 19, 0, tzinfo=UTC)


def test_unknown_station_exits_1(app, station) -> None:
    assert_refused(
        run(
            app,
            "--station",
            "KHONG-CO",
            "--start",
            "2026-01-05T08:00",
            "--end",
            "2026-01-05T09:00",
            "--reason",
            "x",
        )
    )


@pytest.mark.parametrize("end", ["2026-01-05T08:00", "2026-01-05T07:55", "2026-01-04 23:00"])
def test_end_not_after_start_exits_1(app, station, end) -> None:
    assert_refused(
        run(app, "--station", "CT-NT-01", "--start", "2026-01-05T08:00", "--end", end, "--reason", "x")
    )


@pytest.mark.parametrize(
    "start", ["2026-01-05", "05/01/2026 08:00", "2026-13-05T08:00", "2026-01-05T08:00:00"]
)
def test_malformed_date_time_exits_1(app, station, start) -> None:
    assert_refused(
        run(app, "--station", "CT-NT-01", "--start", start, "--end", "2026-01-06T08:00", "--reason", "x")
    )


@pytest.mark.parametrize("missing", ["--station", "--start", "--end", "--reason"])
def test_a_missing_argument_exits_1(app, station, missing) -> None:
    given = {
        "--station": "CT-NT-01",
        "--start": "2026-01-05T08:00",
        "--end": "2026-01-05T09:00",
        "--reason": "x",
    }
    given.pop(missing)
    assert_refused(run(app, *[part for pair in given.items() for part in pair]))


def test_a_blank_reason_exits_1(app, station) -> None:
    assert_refused(
        run(
            app,
            "--station",
            "CT-NT-01",
            "--start",
            "2026-01-05T08:00",
            "--end",
            "2026-01-05T09:00",
            "--reason",
            "  ",
        )
    )
