"""Receipt commands of ``flask telemetry``: the FTP receiver, one inbox scan, forwarding retries."""

from __future__ import annotations

import json

import click
from flask import current_app

from app.audit.actor import cli_actor
from app.db import commit, utcnow
from app.settings import services as settings
from app.telemetry.cli import telemetry_cli


@telemetry_cli.command("ftp-server")
@click.option("--host", default="0.0.0.0", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=None, help="Port (default: the setting receipt.ftp_port).")
@click.option("--passive-ports", default=None, help="Passive range, e.g. 60000-60100 (default: the setting).")
@click.option("--masquerade-address", default=None, help="Public address to announce in PASV replies.")
def ftp_server_command(
    host: str, port: int | None, passive_ports: str | None, masquerade_address: str | None
) -> None:
    """Run the FTP receiver: accounts from the database, uploads into the inbox."""
    from app.telemetry.ftp import account_authenticator, make_server, parse_port_range
    from app.telemetry.inbox import inbox_root

    port = port or int(settings.get("receipt.ftp_port"))
    ports = parse_port_range(passive_ports or settings.get("receipt.ftp_passive_ports"))
    root = inbox_root()
    server = make_server(
        (host, port),
        account_authenticator(current_app._get_current_object()),
        passive_ports=ports,
        masquerade_address=masquerade_address,
    )
    click.echo(f"FTP receiver on {host}:{port}, passive {ports[0]}-{ports[-1]}, inbox {root}")
    server.serve_forever()


@telemetry_cli.command("scan-inbox")
def scan_inbox_command() -> None:
    """Scan the inbox once now (what the periodic job does), committing per batch."""
    from app.telemetry.receipt_jobs import scan_and_ingest

    with cli_actor():
        result = scan_and_ingest(utcnow(), after_batch=commit)
    click.echo(json.dumps(result, ensure_ascii=False))


@telemetry_cli.command("forward")
def forward_command() -> None:
    """Forward pending files to the Ministry now (what the periodic job does)."""
    from app.telemetry.forward import forward_pending

    with cli_actor():
        result = forward_pending(utcnow(), after_each=commit)
        commit()
    click.echo(json.dumps(result, ensure_ascii=False))


@telemetry_cli.command("forward-retry")
@click.option("--station", "station_code", default=None, help="Only this station's failed files.")
def forward_retry_command(station_code: str | None) -> None:
    """Put the files that failed to reach the Ministry back in the queue."""
    from app.telemetry.forward import retry_failed

    with cli_actor():
        count = retry_failed(station_code=station_code)
        commit()
    click.echo(f"{count} file(s) queued again")
