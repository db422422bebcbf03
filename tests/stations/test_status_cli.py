"""``flask stations status [--station CODE] [--as-of DATETIME] [--json]``."""

from __future__ import annotations

import json
from datetime import date

from tests.stations.helpers import local


def run(app, *args: str):
    return app.test_cli_runner().invoke(args=["stations", "status", *args])


def test_every_station_as_json_sorted_by_code(app, make_station, wastewater_required) -> None:
    make_station(
        wastewater_required,
        code="W-2",
        installed_at=date(2026, 1, 2),
        data_expected_from=local("2026-01-05 08:00"),
        last_reading_at=local("2026-01-15 10:57:30"),
    )
    make_station(None, code="a-1", kind="ambient")
    result = run(app, "--as-of", "2026-01-15 12:00", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["station"] for r in rows] == ["a-1", "W-2"]
    assert rows[0] == {
        "station": "a-1",
        "facility": None,
        "kind": "ambient",
        "status": "not_installed",
        "lost_since": None,
        "last_reading_at": None,
        "data_expected_from": None,
        "as_of": "2026-01-15T12:00:00+07:00",
    }
    assert rows[1]["status"] == "receiving" and rows[1]["facility"] == wastewater_required.code
    later = json.loads(run(app, "--station", "w-2", "--as-of", "2026-01-15T12:01", "--json").output)
    assert [(r["station"], r["status"], r["lost_since"]) for r in later] == [
        ("W-2", "lost", "2026-01-15T12:00:00+07:00")
    ]


def test_plain_output_and_errors(app, make_station, not_obliged) -> None:
    make_station(not_obliged, code="N-1")
    result = run(app, "--station", "N-1")
    assert result.exit_code == 0
    assert result.output.split("\t")[0] == "N-1" and "not_required" in result.output
    unknown = run(app, "--station", "NO-SUCH")
    assert unknown.exit_code == 1 and "NO-SUCH" in unknown.output
    malformed = run(app, "--as-of", "15/01/2026")
    assert malformed.exit_code == 1
