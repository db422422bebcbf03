"""Receipt commands of ``flask telemetry``: ftp-server, scan-inbox, forward, forward-retry."""

from __future__ import annotations

import json

import pytest
from pyftpdlib.servers import FTPServer

from app.settings import services as settings
from app.telemetry import accounts
from tests.telemetry.receipt_helpers import file_bytes, file_name, free_port, make_station, write_aged


@pytest.fixture
def root(app, tmp_path, monkeypatch):
    folder = tmp_path / "inbox"
    monkeypatch.setitem(app.config, "TELEMETRY_INBOX", str(folder))
    return folder


def test_ftp_server_listens_with_the_settings_passive_ports(app, root, monkeypatch):
    started = {}

    def serve_forever(self, *args, **kwargs):
        started["address"] = self.address
        started["passive"] = self.handler.passive_ports
        self.close_all()

    monkeypatch.setattr(FTPServer, "serve_forever", serve_forever)
    settings.update({"receipt.ftp_passive_ports": "60010-60012"})
    port = free_port()
    result = app.test_cli_runner().invoke(
        args=["telemetry", "ftp-server", "--host", "127.0.0.1", "--port", port]
    )
    assert result.exit_code == 0, result.output
    assert started == {"address": ("127.0.0.1", port), "passive": [60010, 60011, 60012]}
    assert str(root) in result.output


def test_scan_inbox_once_from_the_command_line(app, root, make_facility):
    station = make_station(make_facility(), "NT1")
    accounts.create_account("ftp", station_id=station.id, name="nt1")
    write_aged(root / "nt1" / file_name("NT1"), file_bytes())
    result = app.test_cli_runner().invoke(args=["telemetry", "scan-inbox"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["files"], report["accepted"], report["unclaimed"]) == (1, 1, {})


def test_forward_commands(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["telemetry", "forward"])
    assert result.exit_code == 0 and json.loads(result.output) == {"enabled": False}
    result = runner.invoke(args=["telemetry", "forward-retry", "--station", "NO-SUCH"])
    assert result.exit_code == 0 and result.output.startswith("0 ")
