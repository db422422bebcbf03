"""Bulk reads and writes of the ingest, per database: COPY on PostgreSQL, executemany on SQLite.

Everything runs on the session's own connection, inside its transaction, so the
boundary's commit or rollback covers it. Readings are written only after the
batch has looked up which of its keys are already stored (one query per chunk
of keys, each key an exact probe of the primary key, so the lookup does not slow
down as the table grows), so a repeated key never reaches the table's primary
key; on SQLite the ``INSERT OR IGNORE`` count is checked all the same, and a
mismatch (a writer that slipped in between) fails the batch, which then stays
unreceived.

The file rows (data files under reserved ids, line errors, conflicts) are written by
``storage_files``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

import sqlalchemy as sa

from app.extensions import db
from app.telemetry.models import DataFile

# Key of the PostgreSQL advisory lock that serialises ingest transactions.
INGEST_LOCK_KEY = 0x51_7E_1E_00
# Keys per lookup query (SQLite allows 32,766 bound variables; three per key).
KEYS_PER_QUERY = 5000
READING_COLUMNS = ("station_id", "parameter", "measured_at", "value", "status", "file_id", "received_at")
COPY_TYPES = ("int4", "text", "timestamptz", "numeric", "int2", "int4", "timestamptz")

# The readings' value column is NUMERIC(18, 6): six decimals, below 10^12 in magnitude.
VALUE_QUANTUM = Decimal("0.000001")
VALUE_LIMIT = Decimal(10) ** 12

ReadingKey = tuple[int, str, datetime]


class Stored(NamedTuple):
    """A stored reading's value (quantised to the column's scale) and status."""

    value: Decimal
    status: int


class ReadingRow(NamedTuple):
    """A new reading, ready to be written."""

    station_id: int
    parameter: str
    measured_at: datetime
    value: Decimal
    status: int
    file_id: int
    received_at: datetime


class IngestConflictError(RuntimeError):
    """Another writer stored some of the batch's readings meanwhile; the batch must be retried."""


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _driver_connection() -> Any:
    """Return the DBAPI connection of the session's transaction."""
    return db.session.connection().connection.driver_connection


def lock_for_ingest() -> None:
    """Serialise ingest transactions: an advisory lock on PostgreSQL, the write lock on SQLite."""
    if _dialect() == "postgresql":
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": INGEST_LOCK_KEY})
    else:
        # Any write statement takes SQLite's write lock (waiting up to busy_timeout). Plain SQL:
        # the ORM's bulk update would synchronise the session's objects for a no-op.
        db.session.execute(sa.text("UPDATE data_files SET size = size WHERE 0 = 1"))


def file_ids(hashes: Iterable[str]) -> dict[str, int]:
    """Return the ids of recorded files by content hash (hashes of no file are left out)."""
    wanted = list(set(hashes))
    found: dict[str, int] = {}
    postgresql = _dialect() == "postgresql"
    for start in range(0, len(wanted), KEYS_PER_QUERY):
        chunk = wanted[start : start + KEYS_PER_QUERY]
        if postgresql:  # one array parameter, not one bound parameter per hash
            with _driver_connection().cursor() as cursor:
                cursor.execute("SELECT sha256, id FROM data_files WHERE sha256 = ANY(%s::text[])", (chunk,))
                found.update(cursor.fetchall())
            continue
        query = sa.select(DataFile.sha256, DataFile.id).where(DataFile.sha256.in_(chunk))
        for sha256, file_id in db.session.execute(query):
            found[sha256] = file_id
    return found


def known_hashes(hashes: Iterable[str]) -> set[str]:
    """Return the content hashes among ``hashes`` of files already received."""
    return set(file_ids(hashes))


def _as_utc(moment: datetime | str) -> datetime:
    if isinstance(moment, str):  # SQLite: SQLAlchemy's storage form, naive UTC
        return datetime.fromisoformat(moment).replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def stored_readings(keys: Iterable[ReadingKey]) -> dict[ReadingKey, Stored]:
    """Return the stored readings among ``keys`` (measured_at aware UTC) by key.

    First, per (station, parameter) of the keys, the latest stored time from the
    keys' earliest one on (one statement, a backward index probe each); keys after it
    cannot be stored, so only the others are looked up one by one. Data arriving in
    order (the common case) needs no key lookup at all; re-sent buffers and late
    files do.
    """
    wanted = set(keys)
    since: dict[tuple[int, str], datetime] = {}
    for station_id, parameter, measured_at in wanted:
        pair = (station_id, parameter)
        if pair not in since or measured_at < since[pair]:
            since[pair] = measured_at
    postgresql = _dialect() == "postgresql"
    latest = _latest_postgresql(since) if postgresql else _latest_sqlite(since)
    keys_list = [key for key in wanted if (last := latest.get(key[:2])) is not None and key[2] <= last]
    lookup = _stored_postgresql if postgresql else _stored_sqlite
    found: dict[ReadingKey, Stored] = {}
    for start in range(0, len(keys_list), KEYS_PER_QUERY):
        for station_id, parameter, measured_at, value, status in lookup(
            keys_list[start : start + KEYS_PER_QUERY]
        ):
            key = (station_id, parameter, _as_utc(measured_at))
            if key in wanted:
                found[key] = Stored(_decimal(value), int(status))
    return found


def _latest_postgresql(since: dict[tuple[int, str], datetime]) -> dict[tuple[int, str], datetime]:
    """Return, per (station, parameter), the latest stored time at or after the given one."""
    if not since:
        return {}
    sql = (
        "SELECT k.station_id, k.parameter, (SELECT max(r.measured_at) FROM readings r"
        " WHERE r.station_id = k.station_id AND r.parameter = k.parameter AND r.measured_at >= k.since)"
        " FROM unnest(%s::int[], %s::text[], %s::timestamptz[]) AS k(station_id, parameter, since)"
    )
    pairs = list(since)
    params = ([pair[0] for pair in pairs], [pair[1] for pair in pairs], [since[pair] for pair in pairs])
    with _driver_connection().cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {(station_id, parameter): last for station_id, parameter, last in rows if last is not None}


def _latest_sqlite(since: dict[tuple[int, str], datetime]) -> dict[tuple[int, str], datetime]:
    """The same on SQLite (one statement per chunk of pairs, VALUES joined)."""
    pairs = list(since)
    latest: dict[tuple[int, str], datetime] = {}
    for start in range(0, len(pairs), KEYS_PER_QUERY):
        chunk = pairs[start : start + KEYS_PER_QUERY]
        rows = ", ".join(["(?, ?, ?)"] * len(chunk))
        sql = (
            "SELECT k.column1, k.column2, (SELECT max(r.measured_at) FROM readings r"
            " WHERE r.station_id = k.column1 AND r.parameter = k.column2 AND r.measured_at >= k.column3)"
            f" FROM (VALUES {rows}) AS k"
        )
        params = [item for pair in chunk for item in (pair[0], pair[1], _sqlite_time(since[pair]))]
        for station_id, parameter, last in _driver_connection().execute(sql, params).fetchall():
            if last is not None:
                latest[(station_id, parameter)] = _as_utc(last)
    return latest


def quantise(value: Decimal) -> Decimal:
    """Return a value rounded as the readings' NUMERIC(18, 6) column stores it (half away from 0)."""
    return value.quantize(VALUE_QUANTUM, rounding=ROUND_HALF_UP)


def fits_column(value: Decimal) -> bool:
    """Return whether a value can be stored in the readings' NUMERIC(18, 6) column."""
    return abs(value) < VALUE_LIMIT


def _decimal(value: Any) -> Decimal:
    if isinstance(value, float):  # SQLite keeps NUMERIC as REAL
        return quantise(Decimal(repr(value)))
    return quantise(Decimal(value))


def _stored_postgresql(keys: Sequence[ReadingKey]) -> list[tuple]:
    """Look up exact (station, parameter, time) keys: one primary key probe each.

    The keys travel as one JSON parameter (encoding it is several times cheaper than
    three arrays of thousands of elements); times carry their UTC offset.
    """
    sql = (
        "SELECT r.station_id, r.parameter, r.measured_at, r.value, r.status FROM readings r"
        " JOIN (SELECT (e->>0)::int AS station_id, e->>1 AS parameter, (e->>2)::timestamptz AS measured_at"
        " FROM json_array_elements(%s::json) AS e) AS k"
        " ON r.station_id = k.station_id AND r.parameter = k.parameter AND r.measured_at = k.measured_at"
        " WHERE r.measured_at BETWEEN %s AND %s"  # lets the planner skip other months' partitions
    )
    texts: dict[datetime, str] = {}
    for key in keys:
        if key[2] not in texts:
            texts[key[2]] = key[2].isoformat()
    payload = json.dumps([(key[0], key[1], texts[key[2]]) for key in keys], ensure_ascii=False)
    with _driver_connection().cursor() as cursor:
        cursor.execute(sql, (payload, min(texts), max(texts)))
        return cursor.fetchall()


def _sqlite_time(moment: datetime) -> str:
    """Return a moment in SQLAlchemy's SQLite storage form (naive UTC, with microseconds)."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _sqlite_times(moments: Iterable[datetime]) -> dict[datetime, str]:
    """Return the storage form of each distinct moment (a file's lines share their times)."""
    times: dict[datetime, str] = {}
    for moment in moments:
        if moment not in times:
            times[moment] = _sqlite_time(moment)
    return times


def _stored_sqlite(keys: Sequence[ReadingKey]) -> list[tuple]:
    """Look up exact keys joined from a VALUES list: one primary key probe each.

    (``(a, b, c) IN (VALUES ...)`` would scan the whole table on SQLite.)
    """
    rows = ", ".join(["(?, ?, ?)"] * len(keys))
    sql = (
        "SELECT r.station_id, r.parameter, r.measured_at, r.value, r.status"
        f" FROM (VALUES {rows}) AS k JOIN readings r"
        " ON r.station_id = k.column1 AND r.parameter = k.column2 AND r.measured_at = k.column3"
    )
    times = _sqlite_times(key[2] for key in keys)
    params = [item for k in keys for item in (k[0], k[1], times[k[2]])]
    return _driver_connection().execute(sql, params).fetchall()


def insert_readings(rows: Sequence[ReadingRow]) -> None:
    """Write new readings (their keys are known not to be stored yet)."""
    if not rows:
        return
    if _dialect() == "postgresql":
        from psycopg.errors import UniqueViolation

        columns = ", ".join(READING_COLUMNS)
        try:
            with _driver_connection().cursor() as cursor:
                with cursor.copy(f"COPY readings ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
                    copy.set_types(COPY_TYPES)
                    for row in rows:
                        copy.write_row(row)
        except UniqueViolation as error:
            raise IngestConflictError(
                f"readings were stored meanwhile: {error.diag.message_detail}"
            ) from error
        return
    placeholders = ", ".join("?" * len(READING_COLUMNS))
    sql = f"INSERT OR IGNORE INTO readings ({', '.join(READING_COLUMNS)}) VALUES ({placeholders})"
    times = _sqlite_times(moment for row in rows for moment in (row.measured_at, row.received_at))
    cursor = _driver_connection().executemany(
        sql,
        [
            (station_id, parameter, times[measured_at], float(value), status, file_id, times[received_at])
            for station_id, parameter, measured_at, value, status, file_id, received_at in rows
        ],
    )
    if cursor.rowcount != len(rows):
        raise IngestConflictError(f"{len(rows) - cursor.rowcount} readings were stored meanwhile")
