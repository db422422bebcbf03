"""``flask compliance evaluate ... --json`` exactly as the CLI contract gives it, and ``reevaluate``."""

from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa

from app.compliance import rule_services, services
from app.compliance.models import Obligation, RuleVersion
from app.extensions import db
from app.facilities.models import EmissionSource

TODAY = date(2026, 11, 23)
FACILITY_KEYS = ["facility", "regime", "obligations"]
OBLIGATION_KEYS = ["kind", "status", "clauses", "sources", "parameters", "deadline", "explanation"]


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(services, "today", lambda: TODAY)


@pytest.fixture
def facilities(make_facility):
    """Three facilities, created out of code order."""
    f03 = make_facility(code="F03", wastewater_flow_m3_day=10)
    f01 = make_facility(
        code="F01",
        wastewater_flow_m3_day=1200,
        industry_type="thermal_power",
        extra_parameters=["so2", "BOD5"],
    )
    f02 = make_facility(
        code="F02", pollution_risk_type=True, wastewater_flow_m3_day=1200, ppc_designated=True
    )
    for code, fuel in (("B2", "coal"), ("B1", "oil"), ("B0", "Natural  gas")):
        db.session.add(EmissionSource(code=code, facility_id=f01.id, source_kind="boiler", fuel=fuel))
    db.session.flush()
    return f01, f02, f03


def run(app, *args):
    return app.test_cli_runner().invoke(args=["compliance", *args])


def evaluate(app, *args):
    result = run(app, "evaluate", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def by_code(rows):
    return {row["facility"]: row for row in rows}


def test_the_json_contract_keys_and_orders(app, facilities):
    rows = evaluate(app, "--regime", "decree-40-2019")
    assert [row["facility"] for row in rows] == ["F01", "F02", "F03"]
    for row in rows:
        assert list(row) == FACILITY_KEYS
        assert row["regime"] == "decree-40-2019"
        assert [o["kind"] for o in row["obligations"]] == ["wastewater", "emission"]
        for obligation in row["obligations"]:
            assert list(obligation) == OBLIGATION_KEYS
    f01, f02, f03 = (by_code(rows)[code]["obligations"] for code in ("F01", "F02", "F03"))
    assert f01[0] == {
        **f01[0],
        "status": "required",
        "clauses": ["d"],
        "sources": [],
        "parameters": ["FLOW_IN", "FLOW_OUT", "TEMP", "pH", "TSS", "COD", "NH4", "BOD5"],
        "deadline": "2021-12-31",
    }
    assert f01[1]["clauses"] == ["thermal_power"]
    assert f01[1]["sources"] == ["B1", "B2"]  # sorted; the natural gas boiler does not trigger
    assert f01[1]["parameters"] == ["FLOW_GAS", "TEMP_GAS", "DUST", "SO2", "NOX", "O2"]
    assert f02[0]["clauses"] == ["b", "d", "e"]
    assert f03[0]["status"] == f03[1]["status"] == "not_required"
    assert f03[0]["parameters"] == [] and f03[0]["deadline"] is None
    assert all(isinstance(o["explanation"], str) and o["explanation"] for o in f03)


def test_without_regime_today_picks_the_regime_in_force(app, facilities):
    rows = evaluate(app)
    assert {row["regime"] for row in rows} == {"decree-05-2025"}
    assert by_code(rows)["F02"]["obligations"][0]["clauses"] == ["row2"]


def test_as_of_picks_the_regime(app, facilities):
    rows = by_code(evaluate(app, "--as-of", "2018-03-01"))
    assert rows["F01"]["regime"] == "decree-38-2015"
    wastewater, emission = rows["F01"]["obligations"]
    assert wastewater["clauses"] == ["flow"] and wastewater["deadline"] is None
    assert emission["status"] == "not_required" and emission["deadline"] is None
    assert by_code(evaluate(app, "--as-of", "2020-05-01"))["F01"]["regime"] == "decree-40-2019"


def test_an_ended_regime_defaults_to_its_last_day_and_as_of_picks_versions(app, facilities):
    base = db.session.scalar(
        sa.select(RuleVersion).where(RuleVersion.regime == "decree-40-2019", RuleVersion.clause == "d")
    )
    data = rule_services.editable_data(base)
    data["condition"] = {"attr": "wastewater_flow_m3_day", "op": ">=", "value": 2000}
    rule_services.record_version(base, data, "ngưỡng mới", (date(2022, 1, 1), None))
    last_day = by_code(evaluate(app, "--regime", "decree-40-2019"))
    assert last_day["F01"]["obligations"][0]["status"] == "not_required"
    before = by_code(evaluate(app, "--regime", "decree-40-2019", "--as-of", "2021-06-01"))
    assert before["F01"]["obligations"][0]["clauses"] == ["d"]
    late = by_code(evaluate(app, "--regime", "decree-40-2019", "--as-of", "2030-01-01"))
    assert late["F01"]["obligations"][0]["status"] == "not_required"  # clamped to its last day


def test_repeated_facility_options(app, facilities):
    rows = evaluate(
        app, "--regime", "decree-08-2022", "--facility", "F03", "--facility", "F01", "--facility", "F03"
    )
    assert [row["facility"] for row in rows] == ["F01", "F03"]
    assert {row["regime"] for row in rows} == {"decree-08-2022"}


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--regime", "decree-99-2099"], "unknown regime: decree-99-2099"),
        (["--facility", "F01", "--facility", "NOPE"], "unknown facility code: NOPE"),
        (["--as-of", "2026-13-01"], "malformed date"),
        (["--as-of", "01/02/2026"], "malformed date"),
        (["--as-of", "2026-1-5"], "malformed date"),
    ],
)
def test_refusals_exit_1_with_one_line(app, facilities, args, reason):
    result = run(app, "evaluate", *args, "--json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert reason in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_readable_table_without_json(app, facilities):
    result = run(app, "evaluate", "--regime", "decree-40-2019", "--facility", "F02")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "regime decree-40-2019, as of 2022-01-09"
    assert lines[2].split()[:5] == ["F02", "wastewater", "required", "b,d,e", "2021-12-31"]


def test_reevaluate_stores_every_facility(app, facilities):
    result = run(app, "reevaluate")
    assert result.exit_code == 0 and result.stdout.strip() == "3 facilities re-evaluated"
    stored = db.session.scalars(
        sa.select(Obligation).where(Obligation.facility_id.in_([f.id for f in facilities]))
    )
    assert len(stored.all()) == 3 * 4 * 2  # facilities x regimes x kinds
