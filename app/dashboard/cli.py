"""``flask dashboard ...``: the monthly snapshots and the dashboard's figures from the shell."""

from __future__ import annotations

import json
import re
import sys
from datetime import date

import click
from flask.cli import AppGroup

from app.audit.actor import cli_actor
from app.compliance.services import today
from app.dashboard import services
from app.dashboard.snapshots import snapshot_month
from app.db import commit, rollback

dashboard_cli = AppGroup("dashboard", help="Leadership dashboard: monthly snapshots and figures.")

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str, option: str = "--month") -> date:
    """``YYYY-MM`` as the month's first day, or a Vietnamese one-line error and exit status 1."""
    found = _MONTH.match(text.strip())
    if found and 1 <= int(found.group(2)) <= 12:
        return date(int(found.group(1)), int(found.group(2)), 1)
    click.echo(f"Tháng không hợp lệ cho {option}: {text!r} (cần dạng YYYY-MM, ví dụ 2026-01).", err=True)
    sys.exit(1)


def default_months() -> list[date]:
    """The month in progress and the one before (late files still change it)."""
    current = today().replace(day=1)
    return [services.closed_month(), current]


@dashboard_cli.command("snapshot")
@click.option(
    "--month", "months", multiple=True, help="Month YYYY-MM (repeatable; default: previous and current)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def snapshot_command(months: tuple[str, ...], as_json: bool) -> None:
    """Compute and store every facility's snapshot of the months (figures from the rollups)."""
    wanted = [parse_month(m) for m in months] or default_months()
    if any(m > today() for m in wanted):
        click.echo("Tháng chưa bắt đầu: chỉ tính được tháng đã qua hoặc tháng hiện tại.", err=True)
        sys.exit(1)
    results = []
    with cli_actor():
        for month in wanted:
            try:
                found = snapshot_month(month, after_chunk=lambda done, total: commit())
            except Exception as error:
                rollback()
                click.echo(f"Không tính được tháng {month:%m/%Y}: {error}", err=True)
                sys.exit(1)
            commit()
            results.append({**found, "observed_at": found["observed_at"].isoformat()})
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False))
    else:
        for r in results:
            click.echo(f"{r['month']}: {r['facilities']} facilities, {r['obliged']} under an obligation")


@dashboard_cli.command("summary")
@click.option("--month", "month", help="Closed month YYYY-MM (default: the last full month).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def summary_command(month: str | None, as_json: bool) -> None:
    """The dashboard's figures of a month, from the stored snapshots, and each facility's rates."""
    chosen = parse_month(month) if month else services.closed_month()
    d = services.dashboard(chosen, with_now=False)
    figures = {
        "month": f"{chosen:%Y-%m}",
        "target": d.target,
        "totals": d.totals,
        "facilities": {
            r.code: {"obliged": r.is_obliged, "raw_rate": r.raw_rate, "excused_rate": r.excused_rate}
            for r in d.rows
        },
    }
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False))
    else:
        click.echo(f"{figures['month']}: " + ", ".join(f"{k} {v}" for k, v in d.totals.items()))
