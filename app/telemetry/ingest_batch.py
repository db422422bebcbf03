"""One batch of the ingest: classify its files, sort readings into new, repeats and conflicts, write.

The batch runs in the caller's transaction and never commits. It takes the ingest
lock first (storage.lock_for_ingest), so two ingest transactions never interleave,
then works in a fixed number of statements whatever the number of files: which
contents are already received, which stations the names name, the aliases of those
stations, ids for the files to record, which readings are already stored, the
files (one COPY), the readings (one COPY), the stored rollups they add to and the
merged rollups (one upsert), the line errors and the conflicts.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from app.extensions import db
from app.stations.models import Station
from app.telemetry import archive, ingest_readings, storage, storage_files
from app.telemetry.aliases import DEFAULT_ALIASES, merge_aliases, station_aliases
from app.telemetry.models import DataFile, ParameterAlias
from app.telemetry.parser import FileName, LineError, ParsedFile, ParseError, parse_content, parse_file_name

ACCEPTED = "accepted"
ACCEPTED_WITH_ERRORS = "accepted_with_errors"
DUPLICATE = "duplicate"
QUARANTINED = "quarantined"

# Why a file is quarantined: machine code -> readable reason (English; pages translate by code).
BAD_NAME = "bad_name"
UNKNOWN_STATION = "unknown_station"
NOT_OWNED = "station_not_owned"
NO_VALID_LINE = "no_valid_line"
QUARANTINE_REASONS = {
    BAD_NAME: "file name does not parse",
    UNKNOWN_STATION: "unknown station",
    NOT_OWNED: "station not owned by sender",
    NO_VALID_LINE: "no valid line",
}
# A number the readings' NUMERIC(18, 6) column cannot hold makes its line invalid.
VALUE_OUT_OF_RANGE = "value_out_of_range"


@dataclass(frozen=True, slots=True)
class Sender:
    """Who sent the files: a label ("ftp:<account>", "cli:<user>") and the stations it may send for.

    ``station_ids`` None means any station (an administrator, the CLI).
    """

    label: str
    station_ids: frozenset[int] | None = None

    def owns(self, station_id: int) -> bool:
        """Return whether the sender may send files for a station."""
        return self.station_ids is None or station_id in self.station_ids


@dataclass(frozen=True, slots=True)
class LoadedFile:
    """A complete file read into memory: its bytes, their hash and how it came."""

    path: str
    raw_name: bytes
    data: bytes
    sha256: str
    received_at: datetime
    in_inbox: bool = False
    source: str | os.PathLike[str] | None = None

    @property
    def name(self) -> str:
        """Return the base name, readable even when it is not valid UTF-8."""
        return self.raw_name.decode("utf-8", "backslashreplace")


@dataclass(slots=True)
class FileResult:
    """What became of one file of a run (for pages and the CLI's details)."""

    path: str
    name: str
    sha256: str
    outcome: str
    data_file_id: int | None = None
    station: str | None = None
    reason_code: str | None = None
    reason: str | None = None
    readings: int = 0
    line_errors: int = 0
    conflicts: int = 0


@dataclass(slots=True)
class _Pending:
    """A file to record (not a duplicate), with what the batch learnt about it."""

    loaded: LoadedFile
    result: FileResult
    station: Station | None = None
    errors: list[LineError] = field(default_factory=list)
    parsed: ParsedFile | None = None
    new: list[storage.ReadingRow] = field(default_factory=list)
    # The new readings as the rollups take them: (station, parameter, local time, value, status).
    totals: list[tuple] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)


def fit_text(value: str | None, limit: int) -> str | None:
    """Return text fit for any database column: no NUL character, at most ``limit`` characters."""
    return None if value is None else value.replace("\x00", "\\x00")[:limit]


class _AliasTables:
    """The alias table of each station: defaults, then the administrator's per kind, then per station."""

    def __init__(self, stations: Iterable[Station]) -> None:
        ids = sorted({station.id for station in stations})
        query = sa.select(ParameterAlias).where(
            sa.or_(ParameterAlias.station_id.is_(None), ParameterAlias.station_id.in_(ids))
        )
        per_kind: dict[str, dict[str, str]] = defaultdict(dict)
        self._per_station: dict[int, dict[str, str]] = defaultdict(dict)
        for alias in db.session.scalars(query.order_by(ParameterAlias.id)) if ids else ():
            if alias.station_id is None:
                per_kind[alias.kind][alias.alias] = alias.parameter
            else:
                self._per_station[alias.station_id][alias.alias] = alias.parameter
        self._kinds = merge_aliases(DEFAULT_ALIASES, per_kind) if per_kind else DEFAULT_ALIASES
        self._tables: dict[int, dict[str, str]] = {}

    def of(self, station: Station) -> Mapping[str, Mapping[str, str]] | dict[str, str]:
        """Return the aliases of a station for parse_content (the shared defaults when nothing is added)."""
        added = self._per_station.get(station.id)
        if self._kinds is DEFAULT_ALIASES and not added:
            return DEFAULT_ALIASES
        table = self._tables.get(station.id)
        if table is None:
            table = self._tables[station.id] = station_aliases(station.kind, self._kinds, added)
        return table


def _names(files: Sequence[LoadedFile]) -> dict[int, FileName | ParseError]:
    parsed: dict[int, FileName | ParseError] = {}
    for index, loaded in enumerate(files):
        try:
            parsed[index] = parse_file_name(loaded.raw_name)
        except ParseError as error:
            parsed[index] = error
    return parsed


def _stations(names: Iterable[FileName | ParseError]) -> dict[str, Station]:
    keys = sorted({name.station_code.lower() for name in names if isinstance(name, FileName)})
    if not keys:
        return {}
    return {s.code_key: s for s in db.session.scalars(sa.select(Station).where(Station.code_key.in_(keys)))}


def _checked_values(parsed: ParsedFile) -> ParsedFile:
    """Move readings whose value the store cannot hold to the line errors (in line order)."""
    limit = storage.VALUE_LIMIT
    if all(-limit < reading.value < limit for reading in parsed.readings):
        return parsed
    kept, errors = [], list(parsed.errors)
    for reading in parsed.readings:
        if storage.fits_column(reading.value):
            kept.append(reading)
        else:
            detail = f"value {reading.value} of {reading.name!r} is not below 10^12 in magnitude"
            errors.append(LineError(reading.line, VALUE_OUT_OF_RANGE, "value out of range", detail))
    return ParsedFile(readings=kept, errors=sorted(errors, key=lambda error: error.line))


def _classify(
    pending: _Pending,
    name: FileName | ParseError,
    stations: dict[str, Station],
    aliases: _AliasTables,
    sender: Sender,
) -> None:
    """Decide whether a file is quarantined (and why), parsing its lines when its station is known."""
    result = pending.result
    if isinstance(name, ParseError):
        result.reason_code, result.reason = BAD_NAME, f"{QUARANTINE_REASONS[BAD_NAME]}: {name.reason}"
        return
    station = stations.get(name.station_code.lower())
    if station is None:
        result.reason_code = UNKNOWN_STATION
        result.reason = f"{QUARANTINE_REASONS[UNKNOWN_STATION]}: {name.station_code}"
        return
    pending.station = station
    result.station = station.code
    parsed = _checked_values(
        parse_content(pending.loaded.data, station.kind, aliases.of(station), pending.loaded.received_at)
    )
    pending.errors = parsed.errors
    if not sender.owns(station.id):
        result.reason_code, result.reason = NOT_OWNED, QUARANTINE_REASONS[NOT_OWNED]
    elif not parsed.readings:
        result.reason_code, result.reason = NO_VALID_LINE, QUARANTINE_REASONS[NO_VALID_LINE]
    else:
        pending.parsed = parsed


def _outcome(pending: _Pending) -> str:
    if pending.result.reason_code is not None:
        return QUARANTINED
    return ACCEPTED_WITH_ERRORS if pending.errors else ACCEPTED


def _record_files(files: Sequence[_Pending], sender: Sender, replacing: DataFile | None) -> None:
    """Archive each file and write (or, on release, update) its DataFile row under its reserved id."""
    rows = []
    root = os.fspath(archive.archive_root())
    label = fit_text(sender.label, 120)
    for p in files:
        loaded, result = p.loaded, p.result
        result.outcome = _outcome(p)
        accepted = result.outcome != QUARANTINED
        result.readings = len(p.new)
        result.conflicts = len(p.conflicts)
        result.line_errors = len(p.errors) if accepted else 0
        values = {
            "id": result.data_file_id,
            "sha256": loaded.sha256,
            "size": len(loaded.data),
            "original_name": fit_text(loaded.name, 500),
            "archive_path": archive.store(loaded.source or loaded.data, loaded.sha256, root=root),
            "station_id": p.station.id if p.station is not None else None,
            "sender": label,
            "received_at": loaded.received_at,
            "outcome": result.outcome,
            "quarantine_code": result.reason_code,
            "quarantine_reason": fit_text(result.reason, 2000),
            "readings_count": result.readings,
            "line_errors_count": len(p.errors),
            "conflicts_count": result.conflicts,
        }
        rows.append(values)
    if replacing is not None:
        [values] = rows
        values.pop("sender")
        values.pop("id")
        for key, value in values.items():
            setattr(replacing, key, value)
        db.session.flush()
    else:
        storage_files.insert_files(rows)


def _touch_stations(files: Sequence[_Pending]) -> None:
    """Keep each station's latest measurement time and latest file receipt."""
    last_file: dict[Station, datetime] = {}
    last_reading: dict[Station, datetime] = {}
    for p in files:
        station = p.station
        if station is None or p.result.reason_code == NOT_OWNED:
            continue
        received_at = p.loaded.received_at
        if station not in last_file or received_at > last_file[station]:
            last_file[station] = received_at
        if p.new:
            latest = max(row.measured_at for row in p.new)
            if station not in last_reading or latest > last_reading[station]:
                last_reading[station] = latest
    # Once per station, not per file: each assignment goes through the ORM's change tracking.
    for station, received_at in last_file.items():
        if station.last_file_at is None or received_at > station.last_file_at:
            station.last_file_at = received_at
    for station, latest in last_reading.items():
        if station.last_reading_at is None or latest > station.last_reading_at:
            station.last_reading_at = latest


def process(
    files: Sequence[LoadedFile], sender: Sender, *, replacing: DataFile | None = None
) -> list[FileResult]:
    """Record a batch of loaded files in the session (no commit); return their results in order.

    ``files`` are in processing order, each path once. ``replacing`` is the quarantined
    row a release ingests again (its own hash is then not a duplicate).
    """
    storage.lock_for_ingest()
    known = storage.known_hashes(f.sha256 for f in files)
    if replacing is not None:
        known.discard(replacing.sha256)
    names = _names(files)
    stations = _stations(names.values())
    aliases = _AliasTables(stations.values())
    results: list[FileResult] = []
    pending: list[_Pending] = []
    for index, loaded in enumerate(files):
        result = FileResult(loaded.path, loaded.name, loaded.sha256, DUPLICATE)
        results.append(result)
        if loaded.sha256 in known:
            continue
        known.add(loaded.sha256)
        item = _Pending(loaded, result)
        _classify(item, names[index], stations, aliases, sender)
        pending.append(item)
    if pending:
        ids = [replacing.id] if replacing is not None else storage_files.reserve_file_ids(len(pending))
        for p, file_id in zip(pending, ids, strict=True):
            p.result.data_file_id = file_id
    ingest_readings.sort_readings([p for p in pending if p.parsed is not None])
    if pending:
        _record_files(pending, sender, replacing)
        ingest_readings.write_rows(pending)
        _touch_stations(pending)
    return results
