"""``flask inspections ...``: the risk ranking from the shell (read only)."""

from __future__ import annotations

import json
import re
import sys
from datetime import date, datetime, time

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.db import utcnow
from app.extensions import db
from app.facilities.models import Facility
from app.formatting import LOCAL_TZ
from app.inspections import planning

inspections_cli = AppGroup("inspections", help="Inspections: the facilities ranked by risk.")

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _moment(text: str | None) -> datetime:
    if text is None:
        return utcnow()
    try:
        if _DAY.match(text):
            return datetime.combine(date.fromisoformat(text), time(9), tzinfo=LOCAL_TZ)
    except ValueError:
        pass
    click.echo(f"Ngày không hợp lệ cho --as-of: {text!r} (cần dạng YYYY-MM-DD).", err=True)
    sys.exit(1)


@inspections_cli.command("rank")
@click.option("--as-of", "as_of", help="Local date of the ranking, YYYY-MM-DD (default: today).")
@click.option(
    "--limit", default=20, show_default=True, type=click.IntRange(min=1), help="How many facilities."
)
@click.option("--json", "as_json", is_flag=True, help="Print the ranking as JSON.")
def rank_command(as_of: str | None, limit: int, as_json: bool) -> None:
    """The facilities ranked by the risk score, with every part: found, scored on, weight, points."""
    scores = planning.rank_facilities(_moment(as_of))[:limit]
    ids = [s.facility_id for s in scores]
    codes = dict(db.session.execute(sa.select(Facility.id, Facility.code).where(Facility.id.in_(ids))).all())
    rows = [{"facility": codes[s.facility_id], **s.as_dict()} for s in scores]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, default=str))
        return
    for rank, row in enumerate(rows, start=1):
        parts = ", ".join(f"{p['name']} {p['points']:.1f}" for p in row["parts"] if p["points"])
        click.echo(f"{rank:>3}. {row['facility']:<14} {row['total']:>8.1f}  {parts}")
