"""``flask demo``: build the demo province (and optionally serve it).

It runs the migrations first, so a fresh machine needs no other step.
``--reset`` WIPES THE WHOLE DATABASE (every table, the audit trail included)
by migrating down to an empty schema and up again, then builds the demo; it is
refused when ``QUANTRAC_ENV=production``. ``--days`` sets how many days of
readings the connected stations get (30 by default). ``--serve`` then starts the
development server; on the embedded default the jobs run in a background
thread the app starts itself.
"""

from __future__ import annotations

import sys
import time
from typing import Any

import click
from flask import current_app
from werkzeug.serving import run_simple

from app.audit.actor import cli_actor
from app.auth.roles import ROLE_LABELS
from app.db import commit, rollback
from app.demo import province, services
from app.demo.telemetry import DEMO_DAYS
from app.errors import DomainError
from app.extensions import db, migrate
from app.formatting import format_number


def _fail(message: str) -> None:
    rollback()
    click.echo(message, err=True)
    sys.exit(1)


def _migrate(reset: bool) -> None:
    """Bring the schema up to date; with ``reset``, drop everything first."""
    from alembic import command

    config = migrate.get_config()
    config.attributes["skip_logging"] = True  # the summary below is the command's output
    if reset:
        command.downgrade(config, "base")
    command.upgrade(config, "head")
    db.session.remove()


STATUS_NAMES = {
    "receiving": "đang nhận dữ liệu / receiving",
    "lost": "mất kết nối / lost",
    "awaiting_data": "chờ dữ liệu / awaiting data",
    "installed": "đã lắp đặt, chưa kết nối / installed",
    "not_installed": "chưa lắp đặt / not installed",
    "suspended": "tạm dừng / suspended",
    "not_required": "không bắt buộc / not required",
}


def _print_data(summary: dict[str, Any]) -> None:
    """The stations per connection status, the readings and the files through the receiver."""
    counts = summary["stations"]
    shown = ", ".join(f"{counts[key]} {name}" for key, name in STATUS_NAMES.items() if counts.get(key))
    click.echo(f"  {sum(counts.values())} trạm quan trắc / stations: {shown}")
    files = summary["files"]
    click.echo(
        f"  {format_number(summary['readings'])} số liệu / readings ({summary['days']} ngày / days); "
        f"{files['files']} tệp qua bộ nhận / files through the receiver: "
        f"{files['accepted']} nhận / accepted, {files['accepted_with_errors']} có dòng lỗi / with line errors, "
        f"{files['quarantined']} cách ly / quarantined, {files['conflicts']} xung đột / conflicts"
    )
    followup = summary["followup"]
    click.echo(
        f"  {followup['sweep']['open_cases']} hồ sơ vi phạm đang theo dõi / open cases; "
        f"{followup['notices_issued']} văn bản đã ban hành / notices issued; "
        f"{summary['inspections']['inspections']} cuộc kiểm tra / inspections, "
        f"{summary['inspections']['minutes']} biên bản / minutes"
    )
    months = ", ".join(summary["dashboard_months"])
    click.echo(f"  bảng điều hành: số liệu tổng hợp các tháng / dashboard snapshots: {months}")


def _print_summary(summary: dict[str, Any], seconds: float) -> None:
    click.echo(
        f"Đã dựng tỉnh demo {summary['province']} trong {seconds:.1f} giây / demo province built in {seconds:.1f} s:"
    )
    click.echo(
        f"  {summary['facilities']} cơ sở / facilities, {summary['enterprises']} doanh nghiệp / enterprises, "
        f"{summary['communes']} xã, phường / communes, {summary['industrial_parks']} KCN / industrial parks, "
        f"{summary['sources']} nguồn thải khí thải / emission sources"
    )
    obligations = summary["obligations"]
    for kind, noun in (("wastewater", "nước thải / wastewater"), ("emission", "khí thải / emission")):
        counts = obligations[kind]
        click.echo(
            f"  Quan trắc tự động {noun} ({obligations['regime']}): "
            f"{counts.get('required', 0)} bắt buộc / required, {counts.get('optional', 0)} tùy chọn / optional, "
            f"{counts.get('not_required', 0)} không bắt buộc / not required"
        )
    _print_data(summary)
    click.echo("")
    click.echo("Tài khoản demo / Demo accounts:")
    rows = [("E-mail", "Mật khẩu / Password", "Vai trò / Role", "Họ tên / Name")]
    for user in summary["users"]:
        name = user["full_name"]
        if user["enterprise"]:
            name = f"{name} – {user['enterprise']} ({user['facilities']} cơ sở / facilities)"
        rows.append((user["email"], user["password"], f"{ROLE_LABELS[user['role']]} ({user['role']})", name))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for number, row in enumerate(rows):
        click.echo("  " + "  ".join(row[i].ljust(widths[i]) for i in range(3)) + "  " + row[3])
        if number == 0:
            click.echo("  " + "  ".join("-" * w for w in widths) + "  " + "-" * len(row[3]))


@click.command("demo")
@click.option("--reset", is_flag=True, help="Wipe the WHOLE database (all tables) and rebuild the demo.")
@click.option(
    "--days",
    default=DEMO_DAYS,
    show_default=True,
    type=click.IntRange(1, 90),
    help="Days of readings of the connected stations, today included.",
)
@click.option("--serve", is_flag=True, help="Then start the development server.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to serve on.")
def demo_command(reset: bool, days: int, serve: bool, host: str, port: int) -> None:
    """Build the demo province: facilities, obligations, users, stations, their data and received files."""
    started = time.monotonic()
    production = current_app.config.get("QUANTRAC_ENV") == "production"
    if reset and production:
        _fail("flask demo --reset is refused in production: it would wipe the whole database.")
    _migrate(reset)
    if production and services.has_users():
        _fail("flask demo is refused in production on a database that already has users.")
    if serve and not reset and services.existing_demo_rows():
        # Serving again: keep what the user did in the demo so far.
        click.echo("Dữ liệu demo đã có, giữ nguyên (flask demo --reset để dựng lại).")
        click.echo("The demo is already built; keeping it (flask demo --reset rebuilds it).")
        click.echo("")
        for user in province.USERS:
            click.echo(f"  {user.email:32}  {user.password:20}  {ROLE_LABELS[user.role]} ({user.role})")
        _serve(host, port)
        return
    with cli_actor():
        try:
            summary = services.build_demo(reset=reset, days=days)
        except DomainError as exc:
            _fail(exc.message)
        commit()
    _print_summary(summary, time.monotonic() - started)
    if serve:
        _serve(host, port)


def _serve(host: str, port: int) -> None:
    """Start the development server (jobs run in the app's own background thread)."""
    db.session.remove()
    click.echo("")
    click.echo(f"Mở / Open http://{host}:{port}/ (Ctrl+C để dừng / to stop)")
    run_simple(host, port, current_app._get_current_object(), use_reloader=False, threaded=True)
