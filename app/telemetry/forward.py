"""Forwarding to the Ministry: accepted files relayed, original bytes unchanged, by FTP.

regulation.md ("Forwarding to the Ministry"): the department passes the
stations' data on to the national system. Once an administrator turns the
setting ``receipt.forward_enabled`` on, every accepted file (with or without
line errors) received from that moment on gets ``forward_status`` ``pending``;
the periodic job uploads its archived bytes under its original name to the
configured folder (a temp name first, then a rename where the server allows
it), and marks it ``sent``. A failed attempt counts in ``forward_attempts`` with
its error, and the file is tried again after a growing pause (1, 2, 4 ... up to
60 minutes); after ``receipt.forward_max_attempts`` attempts it is ``failed``
until an administrator puts it back in the queue.

``forwarded_at`` is the moment the file was sent; while a file waits for
another attempt it holds the moment of the last failed one (the pause is
counted from there). "Reaches the Ministry" for a station is read from its
last sent file: when, and with what delay after its receipt.
"""

from __future__ import annotations

import ftplib
import io
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from app.audit.services import record
from app.db import utcnow
from app.extensions import db
from app.settings import services as settings
from app.stations.models import Station
from app.telemetry import archive
from app.telemetry.forward_status import (  # noqa: F401  (the read side, re-exported)
    forward_summary,
    forwarding_since,
    province_forward_overview,
)
from app.telemetry.models import DataFile

FORWARDED_OUTCOMES = ("accepted", "accepted_with_errors")
BATCH_LIMIT = 200
MAX_PAUSE = timedelta(minutes=60)
CONNECT_TIMEOUT_SECONDS = 30
ERROR_LIMIT = 1000


@dataclass(frozen=True)
class Destination:
    """The Ministry's FTP server, from the settings."""

    host: str
    port: int
    user: str
    password: str
    folder: str
    passive: bool


def destination() -> Destination | None:
    """The configured destination, or None while no host is set.

    The password may come from the configuration (``TELEMETRY_FORWARD_PASSWORD``)
    instead of the setting, so it never appears on the settings page.
    """
    values = settings.all_values()
    host = (values["receipt.forward_host"] or "").strip()
    if not host:
        return None
    return Destination(
        host=host,
        port=int(values["receipt.forward_port"]),
        user=(values["receipt.forward_user"] or "").strip() or "anonymous",
        password=current_app.config.get("TELEMETRY_FORWARD_PASSWORD") or values["receipt.forward_password"],
        folder=(values["receipt.forward_folder"] or "").strip(),
        passive=int(values["receipt.forward_passive"]) == 1,
    )


def pause_after(attempts: int) -> timedelta:
    """How long a file waits after its ``attempts``-th failed attempt."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_PAUSE)


def mark_pending(since: datetime) -> int:
    """Queue the accepted files received (or released) since forwarding was turned on."""
    result = db.session.execute(
        sa.update(DataFile)
        .where(
            DataFile.forward_status == "not_applicable",
            DataFile.outcome.in_(FORWARDED_OUTCOMES),
            sa.or_(DataFile.received_at >= since, DataFile.released_at >= since),
        )
        .values(forward_status="pending")
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount or 0


def due_files(now: datetime, limit: int = BATCH_LIMIT) -> list[DataFile]:
    """Pending files whose pause after the last failed attempt is over, oldest receipt first."""
    levels = [DataFile.forward_attempts == 0]
    attempts = 1
    while pause_after(attempts) < MAX_PAUSE:
        levels.append(
            sa.and_(
                DataFile.forward_attempts == attempts, DataFile.forwarded_at <= now - pause_after(attempts)
            )
        )
        attempts += 1
    levels.append(sa.and_(DataFile.forward_attempts >= attempts, DataFile.forwarded_at <= now - MAX_PAUSE))
    query = (
        sa.select(DataFile)
        .where(DataFile.forward_status == "pending", sa.or_(*levels))
        .order_by(DataFile.received_at, DataFile.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def _connect(dest: Destination) -> ftplib.FTP:
    conn = ftplib.FTP(timeout=CONNECT_TIMEOUT_SECONDS)
    try:
        conn.connect(dest.host, dest.port)
        conn.login(dest.user, dest.password)
        conn.set_pasv(dest.passive)
        if dest.folder:
            conn.cwd(dest.folder)
    except BaseException:
        conn.close()
        raise
    return conn


def _disconnect(conn: ftplib.FTP) -> None:
    try:
        conn.quit()
    except (OSError, EOFError, ftplib.Error):
        pass
    finally:
        conn.close()


def upload(conn: ftplib.FTP, name: str, data: bytes, use_rename: bool = True) -> bool:
    """Store ``data`` as ``name`` (a temp name, then a rename); return whether renames work there."""
    if use_rename:
        temp = f".{name}.part"
        conn.storbinary(f"STOR {temp}", io.BytesIO(data))
        try:
            conn.rename(temp, name)
            return True
        except ftplib.error_perm:
            try:
                conn.delete(temp)
            except ftplib.all_errors:
                pass
    conn.storbinary(f"STOR {name}", io.BytesIO(data))
    return False


def _failed_attempt(file: DataFile, error: str, at: datetime, max_attempts: int) -> None:
    file.forward_attempts += 1
    file.forward_error = error[:ERROR_LIMIT]
    file.forwarded_at = at
    if file.forward_attempts >= max_attempts:
        file.forward_status = "failed"


def _sent(file: DataFile) -> None:
    file.forward_status = "sent"
    file.forwarded_at = utcnow()
    file.forward_error = None


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".strip()


def forward_pending(
    now: datetime, after_each: Callable[[], None] | None = None, limit: int = BATCH_LIMIT
) -> dict:
    """Queue newly accepted files and send the due ones; ``after_each`` runs after every file."""
    since = forwarding_since()
    if since is None:
        return {"enabled": False}
    marked = mark_pending(since)
    dest = destination()
    if dest is None:
        return {"enabled": True, "configured": False, "queued": marked}
    files = due_files(now, limit)
    result = {"enabled": True, "queued": marked, "sent": 0, "failed_attempts": 0}
    if not files:
        return result
    max_attempts = int(settings.get("receipt.forward_max_attempts"))
    done = after_each or (lambda: None)
    try:
        conn = _connect(dest)
    except (OSError, EOFError, ftplib.Error) as exc:
        error = f"cannot reach {dest.host}:{dest.port}: {_error_text(exc)}"
        for file in files:
            _failed_attempt(file, error, now, max_attempts)
        db.session.flush()
        result["failed_attempts"] = len(files)
        done()
        return result
    use_rename = True
    try:
        for file in files:
            name = posixpath.basename(file.original_name.replace("\\", "/"))
            try:
                data = archive.read(file.archive_path)
                use_rename = upload(conn, name, data, use_rename)
            except (ftplib.error_perm, ftplib.error_temp, ftplib.error_reply, FileNotFoundError) as exc:
                broken = False  # this file only: the next one may go through
                error = _error_text(exc)
            except (OSError, EOFError, ftplib.Error) as exc:
                broken = True  # the connection itself broke: the rest waits for the next run
                error = _error_text(exc)
            else:
                _sent(file)
                result["sent"] += 1
                db.session.flush()
                done()
                continue
            _failed_attempt(file, error, utcnow(), max_attempts)
            result["failed_attempts"] += 1
            db.session.flush()
            done()
            if broken:
                break
    finally:
        _disconnect(conn)
    return result


def retry_failed(station_code: str | None = None, station_id: int | None = None) -> int:
    """Put failed files back in the queue (all, or one station's); audited."""
    query = sa.update(DataFile).where(DataFile.forward_status == "failed")
    if station_code is not None:
        station_id = db.session.scalar(sa.select(Station.id).where(Station.code_key == station_code.lower()))
        if station_id is None:
            return 0
    if station_id is not None:
        query = query.where(DataFile.station_id == station_id)
    result = db.session.execute(
        query.values(
            forward_status="pending", forward_attempts=0, forwarded_at=None, forward_error=None
        ).execution_options(synchronize_session="fetch")
    )
    count = result.rowcount or 0
    if count:
        record(
            "telemetry.forward_retried",
            object_type="stations" if station_id is not None else "data_files",
            object_id=station_id,
            label=station_code or (str(station_id) if station_id is not None else "all"),
            changes={"files": [None, count]},
        )
    return count
