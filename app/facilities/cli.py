"""``flask facilities import``: the facility list import from the shell (import-format.md)."""

from __future__ import annotations

import json
import os
import sys

import click
from flask.cli import AppGroup

from app.audit.actor import cli_actor
from app.db import commit, rollback
from app.facilities.import_columns import problem
from app.facilities.import_services import apply_import
from app.facilities.importer import read_import, result, summary_lines
from app.settings.services import get as setting

facilities_cli = AppGroup("facilities", help="Facilities, emission sources and stations.")


def _load(paths: tuple[str, ...], max_bytes: int) -> tuple[list[tuple[str, bytes]], list[dict]]:
    """The files' contents (at most one byte past the limit), and the files that cannot be read."""
    files, problems = [], []
    for path in paths:
        name = os.path.basename(path) or path
        try:
            with open(path, "rb") as handle:
                files.append((name, handle.read(max_bytes + 1)))
        except OSError as exc:
            reason = "không tìm thấy tệp" if isinstance(exc, FileNotFoundError) else "không đọc được tệp"
            problems.append(problem(name, None, None, None, f"Tệp {path}: {reason}."))
    return files, problems


@facilities_cli.command("import")
@click.argument("paths", metavar="FILE [FILE ...]", nargs=-1)
@click.option("--dry-run", is_flag=True, help="Only validate; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
def import_command(paths: tuple[str, ...], dry_run: bool, as_json: bool) -> None:
    """Import facilities, sources and stations from one .xlsx or several .csv files (all or nothing)."""
    if not paths:
        click.echo("no FILE given: flask facilities import FILE [FILE ...] [--dry-run] [--json]", err=True)
        sys.exit(1)
    max_bytes = int(setting("receipt.import_max_mb")) * 1024 * 1024
    files, unreadable = _load(paths, max_bytes)
    with cli_actor():
        try:
            if unreadable:
                parsed = read_import(files, max_bytes)
                problems = [*unreadable, *parsed.problems]
                outcome = result(
                    ok=False, dry_run=dry_run, ignored_columns=parsed.ignored_columns, problems=problems
                )
            else:
                outcome = apply_import(read_import(files, max_bytes), dry_run=dry_run)
            if outcome["ok"] and not dry_run:
                commit()
            else:
                rollback()
        except Exception:
            rollback()
            raise
    if as_json:
        click.echo(json.dumps(outcome, ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(summary_lines(outcome)))
    if not outcome["ok"]:
        click.echo(f"import refused: {len(outcome['problems'])} problem(s), nothing imported", err=True)
        sys.exit(1)
