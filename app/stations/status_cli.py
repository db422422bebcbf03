"""``flask stations status``: the derived connection status of every station (or one).

Prints one line per station, or with ``--json`` a list sorted by station code:
``[{"station": CODE, "facility": CODE|null, "kind": ..., "status": ...,
"lost_since": ISO|null, "last_reading_at": ISO|null, "data_expected_from": ISO|null,
"as_of": ISO}, ...]``. Exit 1 with a one-line reason on stderr for an unknown station or
a malformed ``--as-of``.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any, NoReturn

import click
import sqlalchemy as sa

from app.db import utcnow
from app.extensions import db
from app.stations.cli import stations_cli
from app.stations.models import Station
from app.stations.services import Observed, find_station, observe
from app.telemetry.slots import LOCAL_TZ, to_local

DATETIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M")


def _fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(1)


def parse_as_of(text: str) -> datetime:
    """``YYYY-MM-DDThh:mm`` or ``YYYY-MM-DD hh:mm`` as an aware local moment; ValueError otherwise."""
    for pattern in DATETIME_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).replace(tzinfo=LOCAL_TZ)
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not YYYY-MM-DDThh:mm or YYYY-MM-DD hh:mm")


def _iso(moment: datetime | None) -> str | None:
    return to_local(moment).isoformat() if moment is not None else None


def status_json(seen: Observed, as_of: datetime) -> dict[str, Any]:
    """One station's status with the keys of the command's JSON."""
    station = seen.station
    return {
        "station": station.code,
        "facility": station.facility.code if station.facility else None,
        "kind": station.kind,
        "status": str(seen.state.status),
        "lost_since": _iso(seen.state.lost_since),
        "last_reading_at": _iso(station.last_reading_at),
        "data_expected_from": _iso(station.data_expected_from),
        "as_of": _iso(as_of),
    }


@stations_cli.command("status")
@click.option("--station", "code", help="Only this station (code, any case).")
@click.option(
    "--as-of", "as_of_text", help="Local moment: YYYY-MM-DDThh:mm or YYYY-MM-DD hh:mm (default: now)."
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
def status_command(code: str | None, as_of_text: str | None, as_json: bool) -> None:
    """Print the current connection status of every station (or one), derived from its data."""
    try:
        as_of = parse_as_of(as_of_text) if as_of_text else to_local(utcnow())
    except ValueError as exc:
        _fail(f"malformed --as-of: {exc}")
    if code:
        station = find_station(code)
        if station is None:
            _fail(f"unknown station: {code}")
        stations = [station]
    else:
        stations = list(db.session.scalars(sa.select(Station).order_by(Station.code_key)))
    observed = observe(stations, as_of)
    rows = [status_json(observed[s.id], as_of) for s in stations]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        since = f" since {row['lost_since']}" if row["lost_since"] else ""
        click.echo(f"{row['station']}\t{row['facility'] or '-'}\t{row['kind']}\t{row['status']}{since}")
