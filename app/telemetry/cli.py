"""``flask telemetry ...``: ingest data files, completeness figures, partitions, release.

``ingest`` and ``completeness`` follow the CLI contract of metrics.md exactly: JSON
on stdout with ``--json``; exit 0 when the command ran, whatever it found; exit 1
with a one-line error on stderr for a bad argument (a path that does not exist, an
unknown station, a malformed date). Date-times are read as local time. The CLI acts
as an administrator (sender ``cli:<user>``): any station's files, read where they
lie and never moved unless they are in the inbox.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import os
import re
import sys
from datetime import date, datetime
from typing import Any, NoReturn

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.audit.actor import cli_actor
from app.db import commit, rollback, utcnow
from app.errors import DomainError
from app.extensions import db
from app.stations.models import Station
from app.telemetry import figures, partitions
from app.telemetry.ingest import CHUNK_FILES, Sender, ingest_paths, release_file
from app.telemetry.models import DataFile
from app.telemetry.slots import LOCAL_TZ

telemetry_cli = AppGroup("telemetry", help="Data receipt: ingest files, completeness figures, partitions.")

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MOMENT = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})$")


def _fail(message: str) -> NoReturn:
    rollback()
    click.echo(message.replace("\n", " "), err=True)
    sys.exit(1)


def parse_day(text: str | None, option: str) -> date:
    """Return the date of ``YYYY-MM-DD``; exit 1 otherwise."""
    try:
        if text is not None and _DAY.match(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    _fail(f"malformed date for {option}: {text!r} (expected YYYY-MM-DD)")


def parse_moment(text: str, option: str) -> datetime:
    """Return the local moment of ``YYYY-MM-DDThh:mm`` or ``YYYY-MM-DD hh:mm``; exit 1 otherwise."""
    match = _MOMENT.match(text.strip())
    try:
        if match:
            moment = datetime.fromisoformat(f"{match.group(1)}T{match.group(2)}")
            return moment.replace(tzinfo=LOCAL_TZ)
    except ValueError:
        pass
    _fail(f"malformed date-time for {option}: {text!r} (expected YYYY-MM-DDThh:mm or 'YYYY-MM-DD hh:mm')")


@telemetry_cli.command("ingest")
@click.argument("paths", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print the contract's JSON.")
@click.option("--details", is_flag=True, help="Also list each file's outcome.")
@click.option("--chunk-files", default=CHUNK_FILES, show_default=True, help="Files per committed batch.")
def ingest_command(paths: tuple[str, ...], as_json: bool, details: bool, chunk_files: int) -> None:
    """Ingest data files and folders (recursively); files outside the inbox are never moved."""
    if not paths:
        _fail("give at least one PATH (a data file or a folder)")
    missing = [path for path in paths if not os.path.exists(path)]
    if missing:
        _fail(f"no such file or folder: {missing[0]}")
    if chunk_files < 1:
        _fail("--chunk-files must be at least 1")
    # Objects alive now (the app) outlive the run: keep the collector's full passes off them.
    gc.freeze()
    with cli_actor() as actor:
        try:
            report = ingest_paths(
                paths, Sender(actor.label), chunk_files, after_batch=commit, keep_details=details
            )
        except Exception as error:
            _fail(f"ingest stopped, the current batch was not recorded: {error}")
        finally:
            gc.unfreeze()
    values: dict[str, Any] = report.as_json()
    if details:
        values["details"] = [dataclasses.asdict(result) for result in report.details or ()]
    if as_json:
        click.echo(json.dumps(values, ensure_ascii=False))
        return
    for result in report.details or ():
        reason = f" ({result.reason})" if result.reason else ""
        click.echo(f"{result.outcome:<21} {result.path}{reason}")
    click.echo(", ".join(f"{key} {value}" for key, value in report.as_json().items()))


def _station(code: str | None) -> Station:
    if not code:
        _fail("give --station CODE")
    station = db.session.scalar(sa.select(Station).where(Station.code_key == code.lower()))
    if station is None:
        _fail(f"unknown station: {code}")
    return station


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _completeness_text(figures_: dict[str, Any]) -> str:
    lines = [
        f"{figures_['station']} {figures_['from']}..{figures_['to']}"
        f"{' (excused)' if figures_['excused'] else ''}: expected {figures_['expected_slots']} slots,"
        f" data {figures_['data_slots']} ({_percent(figures_['connection_rate'])}),"
        f" transmission {_percent(figures_['transmission_rate'])},"
        f" validity {_percent(figures_['validity_rate'])}, effective {_percent(figures_['effective_rate'])},"
        f" gaps over 1 h {figures_['gaps_over_1h']}, longest gap {figures_['longest_gap_slots']} slots"
    ]
    for code, item in figures_["parameters"].items():
        lines.append(
            f"  {code:<10} received {item['received']}/{item['expected']} valid {item['valid']}"
            f" effective {_percent(item['effective_rate'])}"
        )
    return "\n".join(lines)


@telemetry_cli.command("completeness")
@click.option("--station", "code", help="Station code.")
@click.option("--from", "date_from", help="First day, YYYY-MM-DD.")
@click.option("--to", "date_to", help="Last day, YYYY-MM-DD (inclusive).")
@click.option("--as-of", "as_of", help="Local YYYY-MM-DDThh:mm (default: now).")
@click.option("--excused", is_flag=True, help="Remove excused slots (approved windows).")
@click.option("--json", "as_json", is_flag=True, help="Print the contract's JSON.")
def completeness_command(
    code: str | None,
    date_from: str | None,
    date_to: str | None,
    as_of: str | None,
    excused: bool,
    as_json: bool,
) -> None:
    """Print a station's completeness figures for whole days (raw, or excused)."""
    first = parse_day(date_from, "--from")
    last = parse_day(date_to, "--to")
    if first > last:
        _fail(f"--from {first.isoformat()} is after --to {last.isoformat()}")
    moment = parse_moment(as_of, "--as-of") if as_of is not None else utcnow()
    station = _station(code)
    result = figures.station_completeness(station, first, last, moment, excused)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
    else:
        click.echo(_completeness_text(result))


@telemetry_cli.command("partitions")
@click.option("--ahead", default=partitions.MONTHS_AHEAD, show_default=True, help="Months ahead of this one.")
def partitions_command(ahead: int) -> None:
    """Create the readings table's monthly partitions ahead (PostgreSQL; nothing on SQLite)."""
    if ahead < 0:
        _fail("--ahead must be 0 or more")
    if not partitions.is_partitioned():
        click.echo("this database does not partition readings; nothing to do")
        return
    report = partitions.create_partitions(months_ahead=ahead)
    commit()
    for key, names in report.as_dict().items():
        click.echo(f"{key}: {', '.join(names) or '-'}")


@telemetry_cli.command("release")
@click.argument("file_id")
@click.option("--note", help="Why the file may be released now (for the audit trail).")
def release_command(file_id: str, note: str | None) -> None:
    """Ingest a quarantined file again, as received now (after fixing its cause)."""
    if not file_id.isdigit():
        _fail(f"malformed file id: {file_id!r}")
    data_file = db.session.get(DataFile, int(file_id))
    if data_file is None:
        _fail(f"unknown file id: {file_id}")
    with cli_actor():
        try:
            result = release_file(data_file, note)
        except DomainError as error:
            _fail(str(error.message))
        commit()
    click.echo(
        f"file {file_id} released: {result.outcome}, {result.readings} readings,"
        f" {result.line_errors} line errors, {result.conflicts} conflicts"
    )
