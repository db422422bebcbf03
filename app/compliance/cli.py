"""``flask compliance ...``: evaluate facilities against a regime, store their obligations again.

``evaluate`` follows the CLI contract of import-format.md exactly: facilities sorted by code,
obligations wastewater then emission, every key always present; exit 1 with a one-line
reason on stderr for an unknown regime or facility code or a malformed date.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from typing import Any, NoReturn

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.audit.actor import cli_actor
from app.compliance import rule_services, services
from app.compliance.jobs import BATCH_SIZE
from app.db import commit
from app.extensions import db
from app.facilities.models import Facility

compliance_cli = AppGroup("compliance", help="Obligations: evaluate facilities, store them again.")

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CONTRACT_KEYS = ("kind", "status", "clauses", "sources", "parameters", "deadline", "explanation")


def _fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(1)


def _day(text: str) -> date:
    try:
        if _DAY.match(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    _fail(f"malformed date for --as-of: {text!r} (expected YYYY-MM-DD)")


def _facilities(codes: tuple[str, ...]) -> list[Facility]:
    query = sa.select(Facility)
    if codes:
        query = query.where(Facility.code.in_(set(codes)))
    found = list(db.session.scalars(query))
    missing = sorted(set(codes) - {f.code for f in found})
    if missing:
        _fail(f"unknown facility code: {', '.join(missing)}")
    return sorted(found, key=lambda f: f.code)


def obligation_json(found: dict[str, Any]) -> dict[str, Any]:
    """One evaluated obligation with the contract's keys, in order (deadline as ISO or null)."""
    values = {key: found[key] for key in CONTRACT_KEYS}
    values["deadline"] = found["deadline"].isoformat() if found["deadline"] else None
    return values


def evaluation_json(facilities: list[Facility], rules: services.RuleSet) -> list[dict[str, Any]]:
    """The contract's list: per facility its code, the regime and the two obligations."""
    return [
        {
            "facility": facility.code,
            "regime": rules.regime,
            "obligations": [obligation_json(o) for o in services.evaluate_facility(facility, rules)],
        }
        for facility in facilities
    ]


def _table(rows: list[dict[str, Any]], rules: services.RuleSet) -> str:
    lines = [("facility", "kind", "status", "clauses", "deadline", "parameters")]
    for row in rows:
        for o in row["obligations"]:
            cells = (row["facility"], o["kind"], o["status"], ",".join(o["clauses"]) or "-")
            lines.append((*cells, o["deadline"] or "-", ";".join(o["parameters"]) or "-"))
    widths = [max(len(line[i]) for line in lines) for i in range(5)]
    text = [f"regime {rules.regime}, as of {rules.as_of.isoformat()}"]
    text += [
        "  ".join(cell.ljust(w) for cell, w in zip(line, [*widths, 0], strict=True)).rstrip()
        for line in lines
    ]
    return "\n".join(text)


@compliance_cli.command("evaluate")
@click.option("--regime", help="Regime code (default: the one in force on the as-of date).")
@click.option("--as-of", "as_of", help="YYYY-MM-DD (default: today, or an ended regime's last day).")
@click.option(
    "--facility", "codes", multiple=True, help="Facility code (repeatable; default every facility)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the contract's JSON.")
def evaluate_command(regime: str | None, as_of: str | None, codes: tuple[str, ...], as_json: bool) -> None:
    """Evaluate facilities under a regime without storing anything."""
    day = _day(as_of) if as_of is not None else None
    if regime is None:
        on = day or services.today()
        regime = services.regime_in_force(on)
        if regime is None:
            _fail(f"no regime in force on {on.isoformat()}")
    elif regime not in services.regime_codes():
        _fail(f"unknown regime: {regime}")
    rules = services.rule_set(regime, day)
    rows = evaluation_json(_facilities(codes), rules)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        click.echo(_table(rows, rules))


@compliance_cli.command("reevaluate")
def reevaluate_command() -> None:
    """Store the obligations of every facility again (as the nightly job does)."""
    with cli_actor():
        ids = rule_services.facility_ids()
        stored = 0
        for start in range(0, len(ids), BATCH_SIZE):
            stored += rule_services.reevaluate_ids(ids[start : start + BATCH_SIZE])
            commit()
    click.echo(f"{stored} facilities re-evaluated")
