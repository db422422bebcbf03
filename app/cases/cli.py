"""``flask cases ...``: the compliance sweep from the shell."""

from __future__ import annotations

import json
import re
import sys
from datetime import date

import click
from flask.cli import AppGroup

from app.audit.actor import cli_actor
from app.cases.sweep_services import run_sweep
from app.db import commit, rollback

cases_cli = AppGroup("cases", help="Cases: the daily compliance sweep.")

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _day(text: str) -> date:
    try:
        if _DAY.match(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    click.echo(f"Ngày không hợp lệ cho --as-of: {text!r} (cần dạng YYYY-MM-DD).", err=True)
    sys.exit(1)


def _text(summary: dict) -> str:
    lines = [
        f"{summary['as_of']}: {summary['facilities']} facilities, {summary['breaches']} breaches;"
        f" opened {summary['opened']}, reopened {summary['reopened']}, updated {summary['updated']},"
        f" unchanged {summary['unchanged']}, closed {summary['closed']}, kept closed {summary['kept_closed']};"
        f" open cases {summary['open_cases']}"
    ]
    lines += [f"  {c['action']:<11} #{c['case_id']} {c['facility']} {c['kind']}" for c in summary["changes"]]
    return "\n".join(lines)


@cases_cli.command("sweep")
@click.option("--as-of", "as_of", help="Local date of the check, YYYY-MM-DD (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def sweep_command(as_of: str | None, as_json: bool) -> None:
    """Check every facility for breaches and open, update, close or reopen their cases."""
    day = _day(as_of) if as_of is not None else None
    with cli_actor():
        try:
            summary = run_sweep(day, after_chunk=lambda done, total: commit())
        except Exception as error:
            rollback()
            click.echo(f"the sweep stopped, the current chunk was not recorded: {error}", err=True)
            sys.exit(1)
        commit()
    click.echo(json.dumps(summary, ensure_ascii=False) if as_json else _text(summary))
