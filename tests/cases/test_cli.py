"""``flask cases sweep``: the JSON summary, the date argument, and a second run that changes nothing."""

from __future__ import annotations

import json

from app.cases.sweep import KINDS

KEYS = [
    "as_of",
    "facilities",
    "breaches",
    "opened",
    "reopened",
    "updated",
    "unchanged",
    "closed",
    "kept_closed",
    "open_cases",
    "by_kind",
    "changes",
]


def sweep(app, *args: str):
    return app.test_cli_runner().invoke(args=["cases", "sweep", *args])


def test_the_json_summary_of_a_sweep(app, facility):
    result = sweep(app, "--as-of", "2026-01-15", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert list(summary) == KEYS
    assert summary["as_of"] == "2026-01-15"
    assert summary["facilities"] >= 1
    assert list(summary["by_kind"]) == list(KINDS)
    assert summary["by_kind"]["not_installed"]["breaches"] >= 1
    (change,) = [c for c in summary["changes"] if c["facility"] == facility.code]
    assert set(change) == {"case_id", "facility", "kind", "action"}
    assert (change["kind"], change["action"]) == ("not_installed", "opened")
    again = json.loads(sweep(app, "--as-of", "2026-01-15", "--json").stdout)
    assert again["opened"] == 0 and again["unchanged"] == summary["breaches"]
    assert not [c for c in again["changes"] if c["facility"] == facility.code]


def test_the_text_summary_and_a_bad_date(app, facility):
    result = sweep(app, "--as-of", "2026-01-15")
    assert result.exit_code == 0
    assert "opened" in result.stdout and facility.code in result.stdout
    bad = sweep(app, "--as-of", "2026-02-30")
    assert bad.exit_code == 1
    assert "--as-of" in bad.stderr and "YYYY-MM-DD" in bad.stderr
