"""Day rollups kept at ingest time, in the same transaction as the readings they sum up.

Per (station, parameter, local day): the 288-slot bitmaps of slots with a reading
(any status) and with a valid reading (status ``00``), and per local hour the sum
and count of valid values; per (station, ``*``, local day) the same bitmaps over
every parameter (no hourly sums). Only readings newly stored add to a rollup, so
a repeat or a conflict changes nothing and a second pass of the same data adds
nothing. Bitmaps are OR-merged and sums added to the stored row.

A batch writes its rollups in two statements per chunk of keys, whatever the
number of readings: one looks up the stored rows of exactly the batch's keys
(primary key probes), one upserts the merged rows (``INSERT ... ON CONFLICT DO
UPDATE``; on PostgreSQL one statement over arrays). The merge itself happens here:
bitmaps are stored as 36 bytes, which neither database can OR in SQL, and the
ingest lock (storage.lock_for_ingest) keeps other ingest transactions out between
the lookup and the write.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from app.extensions import db
from app.telemetry.models import ANY_PARAMETER
from app.telemetry.slots import as_bitmap, slot_of, to_bytes

HOURS = 24
SLOTS_PER_HOUR = 12
# Keys per lookup or upsert statement (SQLite allows 32,766 bound variables; 7 per row).
KEYS_PER_QUERY = 4000
COLUMNS = ("station_id", "parameter", "day", "received", "valid", "hour_sums", "hour_counts")

RollupKey = tuple[int, str, date]


@dataclass(slots=True)
class DayTotals:
    """What the readings of one (station, parameter, day) add up to."""

    received: int = 0
    valid: int = 0
    hour_sums: list[float] | None = field(default_factory=lambda: [0.0] * HOURS)
    hour_counts: list[int] | None = field(default_factory=lambda: [0] * HOURS)


def day_totals(readings: Iterable[tuple[int, str, datetime, Decimal, int]]) -> dict[RollupKey, DayTotals]:
    """Return the rollup totals of readings ``(station_id, parameter, measured_at, value, status)``."""
    totals: dict[RollupKey, DayTotals] = {}
    slots: dict[datetime, tuple[date, int]] = {}  # a file's lines share their time
    for station_id, parameter, measured_at, value, status in readings:
        slot = slots.get(measured_at)
        if slot is None:
            slot = slots[measured_at] = slot_of(measured_at)
        day, index = slot
        bit = 1 << index
        row = totals.get((station_id, parameter, day))
        if row is None:
            row = totals[(station_id, parameter, day)] = DayTotals()
        station = totals.get((station_id, ANY_PARAMETER, day))
        if station is None:
            station = totals[(station_id, ANY_PARAMETER, day)] = DayTotals(hour_sums=None, hour_counts=None)
        row.received |= bit
        station.received |= bit
        if status == 0:
            row.valid |= bit
            station.valid |= bit
            hour = index // SLOTS_PER_HOUR
            row.hour_sums[hour] += float(value)
            row.hour_counts[hour] += 1
    return totals


def _added(stored: list | None, added: list | None) -> list | None:
    if stored is None:
        return added
    if added is None:
        return stored
    return [a + b for a, b in zip(stored, added, strict=True)]


def merged(stored: DayTotals | None, added: DayTotals) -> DayTotals:
    """Return a stored rollup with new totals added (bitmaps OR-ed, sums and counts added)."""
    if stored is None:
        return added
    return DayTotals(
        stored.received | added.received,
        stored.valid | added.valid,
        _added(stored.hour_sums, added.hour_sums),
        _added(stored.hour_counts, added.hour_counts),
    )


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _driver_connection():
    return db.session.connection().connection.driver_connection


def _stored_postgresql(keys: Sequence[RollupKey]) -> list[tuple]:
    sql = (
        "SELECT r.station_id, r.parameter, r.day, r.received, r.valid, r.hour_sums, r.hour_counts"
        " FROM day_rollups r JOIN unnest(%s::int[], %s::text[], %s::date[]) AS k(station_id, parameter, day)"
        " ON r.station_id = k.station_id AND r.parameter = k.parameter AND r.day = k.day"
    )
    with _driver_connection().cursor() as cursor:
        cursor.execute(sql, tuple(list(column) for column in zip(*keys, strict=True)))
        return cursor.fetchall()


def _stored_sqlite(keys: Sequence[RollupKey]) -> list[tuple]:
    rows = ", ".join(["(?, ?, ?)"] * len(keys))
    sql = (
        "SELECT r.station_id, r.parameter, r.day, r.received, r.valid, r.hour_sums, r.hour_counts"
        f" FROM (VALUES {rows}) AS k JOIN day_rollups r"
        " ON r.station_id = k.column1 AND r.parameter = k.column2 AND r.day = k.column3"
    )
    params = [item for key in keys for item in (key[0], key[1], key[2].isoformat())]
    found = []
    for station_id, parameter, day, received, valid, sums, counts in (
        _driver_connection().execute(sql, params).fetchall()
    ):
        found.append(
            (
                station_id,
                parameter,
                date.fromisoformat(day),
                received,
                valid,
                None if sums is None else json.loads(sums),
                None if counts is None else json.loads(counts),
            )
        )
    return found


def _stored(keys: Iterable[RollupKey]) -> dict[RollupKey, DayTotals]:
    """Load the stored rollups of exactly these keys (one statement per chunk of keys)."""
    wanted = sorted(set(keys))
    lookup = _stored_postgresql if _dialect() == "postgresql" else _stored_sqlite
    found: dict[RollupKey, DayTotals] = {}
    for start in range(0, len(wanted), KEYS_PER_QUERY):
        for station_id, parameter, day, received, valid, sums, counts in lookup(
            wanted[start : start + KEYS_PER_QUERY]
        ):
            found[(station_id, parameter, day)] = DayTotals(
                as_bitmap(received), as_bitmap(valid), sums, counts
            )
    return found


def _row(key: RollupKey, totals: DayTotals) -> tuple:
    station_id, parameter, day = key
    return (
        station_id,
        parameter,
        day,
        to_bytes(totals.received),
        to_bytes(totals.valid),
        totals.hour_sums,
        totals.hour_counts,
    )


_UPDATE = ", ".join(f"{name} = excluded.{name}" for name in COLUMNS[3:])
_CONFLICT = f"ON CONFLICT (station_id, parameter, day) DO UPDATE SET {_UPDATE}"


def _upsert_postgresql(rows: Sequence[tuple]) -> None:
    from psycopg.types.json import Json

    sql = (
        f"INSERT INTO day_rollups ({', '.join(COLUMNS)})"
        " SELECT * FROM unnest(%s::int[], %s::text[], %s::date[], %s::bytea[], %s::bytea[],"
        f" %s::json[], %s::json[]) {_CONFLICT}"
    )
    columns = [list(column) for column in zip(*rows, strict=True)]
    # JSON as the ORM writes it: None is the JSON value null, as in every other row.
    columns[5] = [Json(value) for value in columns[5]]
    columns[6] = [Json(value) for value in columns[6]]
    with _driver_connection().cursor() as cursor:
        cursor.execute(sql, columns)


def _upsert_sqlite(rows: Sequence[tuple]) -> None:
    sql = (
        f"INSERT INTO day_rollups ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))}) {_CONFLICT}"
    )
    _driver_connection().executemany(
        sql,
        (
            (station_id, parameter, day.isoformat(), received, valid, json.dumps(sums), json.dumps(counts))
            for station_id, parameter, day, received, valid, sums, counts in rows
        ),
    )


def add_readings(readings: Iterable[tuple[int, str, datetime, Decimal, int]]) -> int:
    """Add newly stored readings to their rollups; return the number of rollup rows written."""
    return write_totals(day_totals(readings))


def write_totals(totals: Mapping[RollupKey, DayTotals]) -> int:
    """OR-merge totals into the stored rollups (insert the missing ones); return the rows written."""
    if not totals:
        return 0
    stored = _stored(totals)
    rows = [_row(key, merged(stored.get(key), totals[key])) for key in sorted(totals)]
    upsert = _upsert_postgresql if _dialect() == "postgresql" else _upsert_sqlite
    for start in range(0, len(rows), KEYS_PER_QUERY):
        upsert(rows[start : start + KEYS_PER_QUERY])
    return len(rows)
