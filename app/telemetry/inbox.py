"""The inbox: where the FTP and HTTP receivers leave complete uploads for the scanner.

Layout (data-format.md, "Receiving")::

    <instance>/inbox/                 (config TELEMETRY_INBOX overrides)
        HG_NMGIAY_NT1_....txt         top level: dropped by an administrator (any station)
        <ftp account>/...             one folder per FTP account (nested folders allowed)
        http-<token prefix>/...       one folder per HTTP upload token

A receiver writes an upload under a name starting with ``.`` and renames it when
complete, so the moment of receipt is the file's modification time. The scanner
skips names starting with ``.``, files not ending in ``.txt`` and files modified
less than ``receipt.unchanged_seconds`` ago (a receiver that writes in place is
still writing), and hands the rest to ``ingest_files`` per sender, in batches.

Decisions on folders that are not an active account's:

- **Inactive account**: its files are still ingested with the account's scope.
  The receivers refuse a deactivated account at once, so whatever is in its
  folder was accepted while it was active; only the scan is later.
- **Unknown folder** (no account of that name and kind): its files are left in
  place and reported (a logged warning and ``unclaimed`` in the scan's result).
  There is no sender to attribute them to and no scope to judge them by;
  quarantining them would record a guessed sender in the permanent record. An
  administrator can move them to the top level or ingest them with the CLI.
"""

from __future__ import annotations

import logging
import os
import secrets
import stat as stat_module
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import current_app

from app.settings import services as settings
from app.telemetry import accounts
from app.telemetry.ingest import IncomingFile, Sender
from app.telemetry.parser import is_data_file_name

log = logging.getLogger(__name__)

BATCH_SIZE = 1000
TEMP_SUFFIX = ".part"
ADMIN_LABEL = "admin"


@dataclass
class InboxBatch:
    """Files of one sender, ready for ``ingest_files`` (at most ``BATCH_SIZE``)."""

    sender: Sender
    files: list[IncomingFile]
    folder: str | None = None


@dataclass
class InboxScan:
    """What one pass over the inbox found: the batches, and what it left alone and why."""

    batches: list[InboxBatch] = field(default_factory=list)
    too_recent: int = 0
    unclaimed: dict[str, int] = field(default_factory=dict)

    @property
    def files(self) -> int:
        """The number of files handed to ingest."""
        return sum(len(batch.files) for batch in self.batches)


def inbox_root() -> Path:
    """The inbox folder (``TELEMETRY_INBOX`` or ``<instance>/inbox``), created on demand."""
    configured = current_app.config.get("TELEMETRY_INBOX")
    root = Path(configured) if configured else Path(current_app.instance_path) / "inbox"
    root.mkdir(parents=True, exist_ok=True)
    return root


def account_inbox(folder: str) -> Path:
    """An account's folder under the inbox (created on demand); refuses names that leave it."""
    if not folder or folder in (".", "..") or "/" in folder or "\\" in folder or folder.startswith("."):
        raise ValueError(f"not a safe inbox folder name: {folder!r}")
    path = inbox_root() / folder
    path.mkdir(exist_ok=True)
    return path


def temp_name(name: str) -> str:
    """The name a receiver writes an upload under until it is complete (hidden from the scanner)."""
    return f".{name}.{secrets.token_hex(4)}{TEMP_SUFFIX}"


def _complete_files(folder: Path, cutoff: float, recursive: bool) -> tuple[list[tuple[Path, float]], int]:
    """(path, mtime) of the data files under a folder unchanged since ``cutoff``, and how many are not."""
    found: list[tuple[Path, float]] = []
    recent = 0
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        if recursive:
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        else:
            dirnames[:] = []
        for name in filenames:
            if not is_data_file_name(name):
                continue
            path = Path(dirpath) / name
            try:
                info = path.lstat()
            except FileNotFoundError:
                continue  # taken by another pass meanwhile
            if not stat_module.S_ISREG(info.st_mode):
                continue  # symbolic links and the like are never followed
            if info.st_mtime > cutoff:
                recent += 1
                continue
            found.append((path, info.st_mtime))
    return found, recent


def _batches(sender: Sender, folder: str | None, found: list[tuple[Path, float]]) -> list[InboxBatch]:
    found.sort(key=lambda item: os.fsencode(item[0]))
    files = [
        IncomingFile(path=path, received_at=datetime.fromtimestamp(mtime, UTC), in_inbox=True)
        for path, mtime in found
    ]
    return [
        InboxBatch(sender=sender, files=files[start : start + BATCH_SIZE], folder=folder)
        for start in range(0, len(files), BATCH_SIZE)
    ]


def scan_inbox(now: datetime) -> list[InboxBatch]:
    """The complete files of the inbox, grouped by sender in batches for ``ingest_files``."""
    return survey_inbox(now).batches


def survey_inbox(now: datetime) -> InboxScan:
    """The batches of ``scan_inbox``, with what the pass left alone (too recent, unclaimed)."""
    root = inbox_root()
    unchanged = timedelta(seconds=int(settings.get("receipt.unchanged_seconds")))
    cutoff = (now - unchanged).timestamp()
    scan = InboxScan()

    found, recent = _complete_files(root, cutoff, recursive=False)
    scan.too_recent += recent
    scan.batches += _batches(Sender(label=ADMIN_LABEL, station_ids=None), None, found)

    with os.scandir(root) as listing:
        entries = sorted(listing, key=lambda e: os.fsencode(e.name))
    for entry in entries:
        if entry.name.startswith(".") or not entry.is_dir(follow_symlinks=False):
            continue
        found, recent = _complete_files(Path(entry.path), cutoff, recursive=True)
        scan.too_recent += recent
        if not found:
            continue
        account = accounts.account_for_folder(entry.name)
        if account is None:
            scan.unclaimed[entry.name] = len(found)
            log.warning(
                "inbox folder %r belongs to no sender account: %d file(s) left in place",
                entry.name,
                len(found),
            )
            continue
        sender = Sender(label=accounts.label(account), station_ids=accounts.scope_station_ids(account))
        scan.batches += _batches(sender, entry.name, found)
    return scan
