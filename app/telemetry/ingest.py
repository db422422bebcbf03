"""The ingest service: stations' data files in, readings, line errors, conflicts and rollups out.

``ingest_files`` records one batch of complete files in the session (the caller
commits: "received" means the file's record is committed). Files are taken in the
order of their absolute path bytes, each path once; each file gets exactly one of
the outcomes accepted, accepted with errors, duplicate, quarantined (data-format.md).
Files are archived before the commit; files taken from the inbox leave it only
after the commit, so a batch that rolls back leaves them to be taken again.

``ingest_paths`` is the CLI's run over files and folders, batch by batch, with a
callback after each batch (the boundary's commit); ``release_file`` ingests a
quarantined file again once an administrator has fixed its cause.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial

from flask_babel import gettext as _

from app.audit.actor import current_actor
from app.audit.services import record
from app.db import after_commit, utcnow
from app.errors import DomainError
from app.extensions import db
from app.telemetry import archive, ingest_batch, storage_files
from app.telemetry.ingest_batch import (
    ACCEPTED,
    ACCEPTED_WITH_ERRORS,
    DUPLICATE,
    QUARANTINE_REASONS,
    QUARANTINED,
    FileResult,
    LoadedFile,
    Sender,
)
from app.telemetry.ingest_walk import absolute_key, data_file_entries, folder_prefix
from app.telemetry.models import DataFile
from app.telemetry.parser import is_data_file_name

__all__ = [
    "ACCEPTED",
    "ACCEPTED_WITH_ERRORS",
    "DUPLICATE",
    "QUARANTINED",
    "QUARANTINE_REASONS",
    "FileResult",
    "IncomingFile",
    "IngestReport",
    "Sender",
    "ingest_files",
    "ingest_paths",
    "plan_batches",
    "release_file",
]

log = logging.getLogger(__name__)

CHUNK_FILES = 500
COUNT_KEYS = (
    "files",
    "accepted",
    "accepted_with_errors",
    "duplicates",
    "quarantined",
    "readings",
    "line_errors",
    "conflicts",
)
_OUTCOME_COUNTER = {
    ACCEPTED: "accepted",
    ACCEPTED_WITH_ERRORS: "accepted_with_errors",
    DUPLICATE: "duplicates",
    QUARANTINED: "quarantined",
}


@dataclass(frozen=True, slots=True)
class IncomingFile:
    """A complete file to ingest: where it is, when it was received, whether the inbox holds it."""

    path: str | os.PathLike[str]
    received_at: datetime
    in_inbox: bool = False


@dataclass(slots=True)
class IngestReport:
    """The counts of a run (the CLI contract's keys) and, unless dropped, each file's result."""

    files: int = 0
    accepted: int = 0
    accepted_with_errors: int = 0
    duplicates: int = 0
    quarantined: int = 0
    readings: int = 0
    line_errors: int = 0
    conflicts: int = 0
    details: list[FileResult] | None = field(default_factory=list)

    def count(self, result: FileResult) -> None:
        """Add one file's result."""
        self.files += 1
        counter = _OUTCOME_COUNTER[result.outcome]
        setattr(self, counter, getattr(self, counter) + 1)
        self.readings += result.readings
        self.line_errors += result.line_errors
        self.conflicts += result.conflicts
        if self.details is not None:
            self.details.append(result)

    def __iadd__(self, other: IngestReport) -> IngestReport:
        for key in COUNT_KEYS:
            setattr(self, key, getattr(self, key) + getattr(other, key))
        if self.details is not None and other.details is not None:
            self.details.extend(other.details)
        return self

    def as_json(self) -> dict[str, int]:
        """Return the counts as the CLI contract's JSON object."""
        return {key: getattr(self, key) for key in COUNT_KEYS}


def _load(incoming: IncomingFile) -> LoadedFile | None:
    """Read a complete file (None when it is gone or unreadable: it is not counted)."""
    if incoming.received_at.tzinfo is None:
        raise ValueError("received_at must be timezone-aware")
    path = os.path.abspath(incoming.path)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except (FileNotFoundError, IsADirectoryError, PermissionError) as error:
        log.warning("file %s not ingested: %s", path, error)
        return None
    raw = os.fsencode(path)
    return LoadedFile(
        path=raw.decode("utf-8", "backslashreplace"),
        raw_name=raw.rsplit(b"/", 1)[-1],
        data=data,
        sha256=archive.sha256_of(data),
        received_at=incoming.received_at,
        in_inbox=incoming.in_inbox,
        source=path if incoming.in_inbox else None,
    )


def _remove_from_inbox(paths: list[str | os.PathLike[str]]) -> None:
    """After commit: take recorded files out of the inbox (the archive keeps their bytes)."""
    for path in paths:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        except OSError as error:  # it will be found again, and be a duplicate
            log.warning("could not remove %s from the inbox: %s", path, error)


def ingest_files(files: Iterable[IncomingFile], sender: Sender) -> IngestReport:
    """Record a batch of complete files in the session (no commit) and return the run's report.

    Files are taken in the order of their absolute path bytes, each path once; names
    that are not data file names are ignored and not counted. Inbox files are removed
    from the inbox once the caller's commit succeeds.
    """
    ordered: dict[bytes, IncomingFile] = {}
    for key, incoming in sorted(((absolute_key(f.path), f) for f in files), key=lambda pair: pair[0]):
        if key not in ordered and is_data_file_name(os.path.basename(key)):
            ordered[key] = incoming
    loaded = [item for item in map(_load, ordered.values()) if item is not None]
    report = IngestReport()
    if not loaded:
        return report
    for result in ingest_batch.process(loaded, sender):
        report.count(result)
    inbox = [item.source for item in loaded if item.in_inbox and item.source is not None]
    if inbox:
        after_commit(partial(_remove_from_inbox, inbox))
    return report


def _received_at(path: str | os.PathLike[str], in_inbox: bool, now: datetime) -> datetime:
    """The moment of receipt: the receiver's write for an inbox file, else the moment of reading."""
    if not in_inbox:
        return now
    try:
        stored = datetime.fromtimestamp(os.stat(path).st_mtime, UTC)
    except OSError:
        return now
    return min(stored, now)


def plan_batches(
    paths: Iterable[str | os.PathLike[str]],
    chunk_files: int = CHUNK_FILES,
    *,
    now: Callable[[], datetime] = utcnow,
) -> Iterator[list[IncomingFile]]:
    """Yield the data files under paths as batches of at most ``chunk_files``, in processing order.

    A file inside the inbox is marked ``in_inbox`` (it leaves the inbox once recorded) and
    received when the receiver wrote it; any other file is received when read, never moved.
    """
    from app.telemetry.inbox import inbox_root  # the receivers' module imports this one

    inbox = folder_prefix(inbox_root())
    batch: list[IncomingFile] = []
    moment = now()
    for key, path in data_file_entries(paths):
        if not batch:
            moment = now()
        in_inbox = key.startswith(inbox)
        batch.append(IncomingFile(path, _received_at(path, in_inbox, moment), in_inbox))
        if len(batch) >= chunk_files:
            yield batch
            batch = []
    if batch:
        yield batch


def ingest_paths(
    paths: Iterable[str | os.PathLike[str]],
    sender: Sender,
    chunk_files: int = CHUNK_FILES,
    *,
    after_batch: Callable[[], object] | None = None,
    keep_details: bool = False,
) -> IngestReport:
    """Ingest files and folders (recursively) batch by batch, calling ``after_batch`` after each.

    The CLI passes its commit as ``after_batch``. Memory stays bounded by the batch
    size: details of files are kept only with ``keep_details``.
    """
    total = IngestReport(details=[] if keep_details else None)
    for batch in plan_batches(paths, chunk_files):
        total += ingest_files(batch, sender)
        if after_batch is not None:
            after_batch()
    return total


class _StillQuarantined(Exception):
    def __init__(self, result: FileResult) -> None:
        super().__init__(result.reason)
        self.result = result


def release_file(data_file: DataFile, note: str | None = None, *, now: datetime | None = None) -> FileResult:
    """Ingest a quarantined file again from the archive, as received now; audited.

    The file's row takes its new outcome; its old line errors are replaced. Raises
    DomainError (changing nothing) when the file is not quarantined or still would be.
    """
    if data_file.outcome != QUARANTINED:
        raise DomainError(_("Only a quarantined file can be released."))
    moment = now or utcnow()
    before = {
        "outcome": data_file.outcome,
        "quarantine_code": data_file.quarantine_code,
        "station_id": data_file.station_id,
        "received_at": data_file.received_at,
    }
    loaded = LoadedFile(
        path=f"archive/{data_file.archive_path}",
        raw_name=data_file.original_name.encode("utf-8"),
        data=archive.read(data_file.archive_path),
        sha256=data_file.sha256,
        received_at=moment,
    )
    try:
        with db.session.begin_nested():
            storage_files.delete_line_errors(data_file.id)
            [result] = ingest_batch.process([loaded], Sender(data_file.sender), replacing=data_file)
            if result.outcome == QUARANTINED:
                raise _StillQuarantined(result)
    except _StillQuarantined as still:
        db.session.refresh(data_file)
        raise DomainError(
            _("The file is still quarantined (%(reason)s). Fix the cause first.", reason=still.result.reason)
        ) from None
    data_file.released_at = moment
    data_file.released_by_id = current_actor().user_id
    changes = {key: [old, getattr(data_file, key)] for key, old in before.items()}
    record("telemetry.file_released", data_file, label=data_file.original_name, changes=changes, reason=note)
    return result
