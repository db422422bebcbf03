"""Helpers of the data receipt tests: stations, accounts, data files, and FTP servers in threads."""

from __future__ import annotations

import ftplib
import os
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyftpdlib.ioloop  # noqa: F401  (first: it imports asyncore without the deprecation warning)
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.ioloop import IOLoop
from pyftpdlib.servers import FTPServer

from app.extensions import db
from app.stations.models import Station

LOOPBACK = "127.0.0.1"


def make_station(facility, code: str | None = None, kind: str = "wastewater") -> Station:
    """A station of a facility with the usual wastewater parameters."""
    code = code or f"S{uuid.uuid4().hex[:6].upper()}"
    station = Station(
        code=code,
        code_key=code.lower(),
        facility_id=facility.id if facility is not None else None,
        kind=kind,
        parameters=["pH", "TSS", "COD"],
    )
    db.session.add(station)
    db.session.flush()
    return station


def file_name(station_code: str, at: datetime | None = None) -> str:
    """A data file name ``HG_F_<station>_<time>.txt`` (local time of the reading)."""
    at = at or datetime(2026, 1, 15, 10, 35)
    return f"HG_F_{station_code}_{at:%Y%m%d%H%M%S}.txt"


def file_bytes(at: datetime | None = None, value: str = "7.12") -> bytes:
    """Valid content: three readings at a local time (default 2026-01-15 10:35)."""
    stamp = f"{(at or datetime(2026, 1, 15, 10, 35)):%Y%m%d%H%M%S}"
    lines = [
        f"pH\t{value}\tpH\t{stamp}\t00",
        f"TSS\t12.8\tmg/L\t{stamp}\t00",
        f"COD\t45.3\tmg/L\t{stamp}\t00",
    ]
    return ("\n".join(lines) + "\n").encode()


def write_aged(path: Path, data: bytes, age_seconds: float = 120) -> Path:
    """Write a file and set its modification time ``age_seconds`` in the past."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    moment = time.time() - age_seconds
    os.utime(path, (moment, moment))
    return path


def age(path: Path, seconds: float = 120) -> None:
    """Set a file's modification time ``seconds`` in the past."""
    moment = time.time() - seconds
    os.utime(path, (moment, moment))


def ago(seconds: float) -> datetime:
    """The aware moment ``seconds`` before now."""
    return datetime.now(UTC) - timedelta(seconds=seconds)


@contextmanager
def serving(server: FTPServer) -> Iterator[tuple[str, int]]:
    """Run an FTP server in a thread for the block; it is stopped and closed at the end."""
    stop = threading.Event()

    def loop() -> None:
        try:
            while not stop.is_set():
                server.ioloop.loop(timeout=0.05, blocking=False)
        finally:
            server.close_all()

    thread = threading.Thread(target=loop, name="test-ftp-server", daemon=True)
    thread.start()
    try:
        yield server.address[0], server.address[1]
    finally:
        stop.set()
        thread.join(timeout=10)
        assert not thread.is_alive(), "the test FTP server did not stop"


def destination_server(folder: Path, user: str = "ministry", password: str = "secret-pw") -> FTPServer:
    """A plain FTP server standing for the Ministry's: one user with full rights on ``folder``."""
    authorizer = DummyAuthorizer()
    authorizer.add_user(user, password, str(folder), perm="elradfmw")
    handler = type("MinistryHandler", (FTPHandler,), {"authorizer": authorizer, "auth_failed_timeout": 0.05})
    return FTPServer((LOOPBACK, 0), handler, ioloop=IOLoop())


@contextmanager
def ftp_client(host: str, port: int, user: str, password: str) -> Iterator[ftplib.FTP]:
    """A logged-in ftplib client (passive mode), closed at the end."""
    client = ftplib.FTP(timeout=10)
    try:
        client.connect(host, port)
        client.login(user, password)
        yield client
    finally:
        try:
            client.quit()
        except (OSError, EOFError, ftplib.Error):
            pass
        client.close()


def free_port() -> int:
    """A TCP port free on the loopback address right now."""
    import socket

    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]
