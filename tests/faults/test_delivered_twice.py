"""The same data files delivered twice, at the same time, by FTP and by HTTP: each reading stored once.

A station's datalogger sends every file both to its FTP account and through
its HTTP token, both at once (real pyftpdlib and werkzeug servers on loopback,
a client thread each). Two scans then run at the same moment in two processes,
as two workers would. Every file is recorded once, every reading stored once,
the second copy of each file counted as a duplicate, and the inbox ends empty.
"""

from __future__ import annotations

import ftplib
import io
import json
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from app import ROOT
from app.db import commit
from app.extensions import db
from app.telemetry import accounts
from app.telemetry.ftp import account_authenticator
from app.telemetry.ftp import make_server as make_ftp_server
from app.telemetry.models import DataFile, Reading, ReadingConflict
from tests.faults.common import release, worker_env
from tests.jobs.test_worker import dispose, make_app
from tests.telemetry.receipt_helpers import LOOPBACK, age, file_bytes, file_name, make_station, serving

pytestmark = pytest.mark.own_database

FILES = 24


@contextmanager
def http_server(app) -> Iterator[str]:
    """The app served by werkzeug on a free loopback port in a thread; its base URL."""
    server = make_server(LOOPBACK, 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="test-http-server", daemon=True)
    thread.start()
    try:
        yield f"http://{LOOPBACK}:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def uploads() -> list[tuple[str, bytes]]:
    """Two hours of a station's five-minute files: (name, bytes)."""
    start = datetime(2026, 1, 15, 8, 0)
    moments = [start + timedelta(minutes=5 * i) for i in range(FILES)]
    return [(file_name("NT1", m), file_bytes(m, value=f"7.{i:02d}")) for i, m in enumerate(moments)]


def send_by_ftp(address, user: str, password: str, files, start: threading.Barrier, errors: list) -> None:
    try:
        client = ftplib.FTP(timeout=30)
        client.connect(*address)
        client.login(user, password)
        start.wait(timeout=30)
        for name, data in files:
            client.storbinary(f"STOR {name}", io.BytesIO(data))
        client.quit()
    except BaseException as error:  # reported by the test
        errors.append(error)


def send_by_http(base: str, token: str, files, start: threading.Barrier, errors: list) -> None:
    try:
        start.wait(timeout=30)
        for name, data in files:
            request = urllib.request.Request(
                f"{base}/api/v1/stations/NT1/files",
                data=data,
                method="POST",
                headers={"Authorization": f"Bearer {token}", "X-File-Name": name},
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                assert response.status == 202, response.status
    except BaseException as error:  # reported by the test
        errors.append(error)


def scan_in_two_processes(env: dict) -> list[dict]:
    """Two ``flask telemetry scan-inbox`` at the same moment; their JSON results."""
    release()
    command = [sys.executable, "-m", "flask", "--app", "app", "telemetry", "scan-inbox"]
    processes = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err[-3000:]
        results.append(json.loads(out))
    return results


def test_files_sent_by_ftp_and_http_at_once_are_stored_once(own_database, tmp_path, make_facility):
    inbox = tmp_path / "inbox"
    app = make_app(own_database, tmp_path, TELEMETRY_INBOX=str(inbox), SERVER_NAME=None)
    try:
        with app.app_context():
            station = make_station(make_facility(), "NT1")
            ftp_account, password = accounts.create_account("ftp", station_id=station.id, name="nt1-logger")
            http_account, token = accounts.create_account("http", station_id=station.id)
            commit()
            station_id, http_name = station.id, http_account.name
        files = uploads()
        start, errors = threading.Barrier(2), []
        ftp = make_ftp_server((LOOPBACK, 0), account_authenticator(app), auth_failed_timeout=0.01)
        with serving(ftp) as address, http_server(app) as base:
            senders = [
                threading.Thread(
                    target=send_by_ftp, args=(address, "nt1-logger", password, files, start, errors)
                ),
                threading.Thread(target=send_by_http, args=(base, token, files, start, errors)),
            ]
            for thread in senders:
                thread.start()
            for thread in senders:
                thread.join(timeout=120)
        assert errors == []
        delivered = sorted(inbox.rglob("*.txt"))
        assert len(delivered) == 2 * FILES
        for path in delivered:
            age(path, 120)

        results = scan_in_two_processes(worker_env(own_database, "", tmp_path, TELEMETRY_INBOX=str(inbox)))

        assert sum(r["accepted"] for r in results) == FILES
        assert sum(r["duplicates"] for r in results) >= FILES, "each second copy was counted"
        assert sum(r["readings"] for r in results) == 3 * FILES
        assert sorted(inbox.rglob("*.txt")) == [], "every copy left the inbox"
        with app.app_context():
            stored = db.session.scalars(sa.select(DataFile).order_by(DataFile.original_name)).all()
            assert [f.original_name for f in stored] == sorted(name for name, _ in files)
            assert {f.outcome for f in stored} == {"accepted"}
            assert {f.sender for f in stored} <= {"ftp:nt1-logger", f"http:{http_name}"}
            counts = db.session.execute(
                sa.select(sa.func.count())
                .select_from(Reading)
                .where(Reading.station_id == station_id)
                .group_by(Reading.parameter, Reading.measured_at)
            ).scalars()
            assert sorted(counts) == [1] * (3 * FILES)
            assert db.session.scalar(sa.select(sa.func.count(ReadingConflict.id))) == 0
    finally:
        dispose(app)
