"""The day rollups of many stations over a period, read in one pass as period bitmaps.

The figures of all stations' month read every parameter's rollup of every day: a
national month is about 600,000 rows. Turning each row into Python objects cost
more than the figures themselves, so the database concatenates each (station,
parameter)'s daily 36-byte bitmaps itself (``string_agg`` on PostgreSQL; hex
``group_concat`` on SQLite) and hands back one row per (station, parameter) with
the days it holds, in the same order. When a group holds every day of the period
in order (the common case) its bytes are the period bitmap as they are: bit
``288 * k + i`` is slot ``i`` of day ``k``, little-endian like the stored form.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, timedelta

from app.extensions import db
from app.telemetry.slots import BITMAP_BYTES, SLOTS_PER_DAY, as_bitmap

# Station ids per statement (SQLite allows 32,766 bound variables).
IDS_PER_QUERY = 10000

# (station_id, parameter) -> (received, valid) period bitmaps.
PeriodBitmaps = dict[tuple[int, str], tuple[int, int]]

# One probe of the index ``ix_day_rollups_bitmaps`` per (station, parameter): its days
# come in order from the index alone, so nothing is sorted and no table row is read.
# The pairs come as one JSON object: station id -> its parameter codes.
_POSTGRESQL = (
    "SELECT k.station_id, k.parameter, a.days, a.received, a.valid, a.odd"
    " FROM (SELECT s.key::integer AS station_id, p.code AS parameter"
    " FROM jsonb_each(%(codes)s::jsonb) AS s, jsonb_array_elements_text(s.value) AS p(code)) AS k"
    " CROSS JOIN LATERAL (SELECT array_agg(r.day - %(first)s) AS days,"
    " string_agg(r.received, ''::bytea) AS received, string_agg(r.valid, ''::bytea) AS valid,"
    " count(*) FILTER (WHERE length(r.received) <> 36 OR length(r.valid) <> 36) AS odd"
    " FROM (SELECT day, received, valid FROM day_rollups"
    " WHERE station_id = k.station_id AND parameter = k.parameter AND day BETWEEN %(first)s AND %(last)s"
    " ORDER BY day) AS r) AS a"
    " WHERE a.days IS NOT NULL"
)
_POSTGRESQL_PAIRS = (
    "SELECT DISTINCT station_id, parameter FROM day_rollups"
    " WHERE station_id = ANY(%(ids)s) AND day BETWEEN %(first)s AND %(last)s"
)
# Within a group every aggregate takes the rows in the same order, so the days and the
# bitmaps line up whatever order SQLite picks. The bitmaps are concatenated as they are
# stored (a BLOB's bytes pass through ``group_concat`` unchanged in a UTF-8 database).
# The index is named: without statistics (``ANALYZE``) SQLite would read the table
# through the primary key, or every day the station ever sent through this index.
_SQLITE = (
    "SELECT station_id, parameter, group_concat(day, ','), CAST(group_concat(received, '') AS BLOB),"
    " CAST(group_concat(valid, '') AS BLOB), sum(length(received) <> 36 OR length(valid) <> 36)"
    " FROM day_rollups INDEXED BY ix_day_rollups_bitmaps"
    " WHERE station_id IN ({ids}){parameters} AND day BETWEEN ? AND ?"
    " GROUP BY station_id, parameter"
)
_ROWS = "SELECT day, received, valid FROM day_rollups WHERE station_id = ? AND parameter = ? AND day BETWEEN ? AND ?"


Codes = Mapping[int, Sequence[str]]


def _postgresql_groups(cursor, codes: Codes | None, ids: Sequence[int], first: date, last: date) -> Iterator:
    """Yield the groups of ``_groups`` on PostgreSQL (every stored parameter when ``codes`` is None)."""
    if codes is None:
        cursor.execute(_POSTGRESQL_PAIRS, {"ids": list(ids), "first": first, "last": last})
        found: dict[int, list[str]] = {}
        for station_id, parameter in cursor:
            found.setdefault(station_id, []).append(parameter)
        codes = found
    values = {"codes": json.dumps(codes), "first": first, "last": last}
    cursor.execute(_POSTGRESQL, values, binary=True)
    yield from cursor


def _sqlite_groups(connection, codes: Codes | None, ids: Sequence[int], first: date, last: date) -> Iterator:
    """Yield the groups of ``_groups`` on SQLite (every stored parameter when ``codes`` is None)."""
    wanted = None if codes is None else {station_id: set(items) for station_id, items in codes.items()}
    # Every code asked for, so that each (station, parameter)'s days are one range of the index.
    every_code = [] if wanted is None else sorted(set().union(*wanted.values()))
    parameters = f" AND parameter IN ({', '.join('?' * len(every_code))})" if every_code else ""
    offsets = {(first + timedelta(days=k)).isoformat(): k for k in range((last - first).days + 1)}
    every_day = ",".join(offsets)
    in_order = list(offsets.values())
    for start in range(0, len(ids), IDS_PER_QUERY):
        chunk = ids[start : start + IDS_PER_QUERY]
        sql = _SQLITE.format(ids=", ".join("?" * len(chunk)), parameters=parameters)
        for station_id, parameter, day_texts, received, valid, odd in connection.execute(
            sql, [*chunk, *every_code, first.isoformat(), last.isoformat()]
        ):
            if wanted is not None and parameter not in wanted.get(station_id, ()):
                continue
            days = in_order if day_texts == every_day else [offsets[text] for text in day_texts.split(",")]
            yield station_id, parameter, days, received, valid, odd


def _groups(ids: Sequence[int], codes: Codes | None, first: date, last: date) -> Iterator[tuple]:
    """Yield (station_id, parameter, day offsets, received bytes, valid bytes, odd rows) per group."""
    connection = db.session.connection().connection.driver_connection
    if db.session.get_bind().dialect.name == "postgresql":
        with connection.cursor() as cursor:
            yield from _postgresql_groups(cursor, codes, ids, first, last)
    else:
        yield from _sqlite_groups(connection, codes, ids, first, last)


def _placed(offsets: list[int], blob: bytes, day_count: int, in_order: list[int]) -> int:
    """Return the period bitmap of 36-byte day bitmaps given in the order of ``offsets``."""
    if offsets == in_order:
        return int.from_bytes(blob, "little")
    buffer = bytearray(BITMAP_BYTES * day_count)
    for index, offset in enumerate(offsets):
        place = BITMAP_BYTES * offset
        buffer[place : place + BITMAP_BYTES] = blob[BITMAP_BYTES * index : BITMAP_BYTES * (index + 1)]
    return int.from_bytes(buffer, "little")


def _odd_group(station_id: int, parameter: str, first: date, last: date) -> tuple[int, int]:
    """Read a group holding a bitmap that is not 36 bytes row by row (empty is no slot; others raise)."""
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    sql = _ROWS.replace("?", "%s") if postgresql else _ROWS
    bounds = (first, last) if postgresql else (first.isoformat(), last.isoformat())
    received = valid = 0
    for day, received_bits, valid_bits in db.session.connection().exec_driver_sql(
        sql, (station_id, parameter, *bounds)
    ):
        shift = SLOTS_PER_DAY * ((day if isinstance(day, date) else date.fromisoformat(day)) - first).days
        received |= as_bitmap(received_bits) << shift
        valid |= as_bitmap(valid_bits) << shift
    return received, valid


def period_bitmaps(
    station_ids: Iterable[int],
    first: date,
    last: date,
    parameters: Mapping[int, Iterable[str]] | None = None,
) -> PeriodBitmaps:
    """Return the received and valid period bitmaps of every (station, parameter) with rollups.

    Days first..last, both inclusive; the station's "any reading" rows are under
    their parameter ``*`` like any other. With ``parameters`` (station id -> codes)
    only those parameters of each station are read.
    """
    ids = sorted(set(station_ids))
    day_count = (last - first).days + 1
    found: PeriodBitmaps = {}
    if not ids or day_count <= 0:
        return found
    codes = None
    if parameters is not None:
        codes = {station_id: list(dict.fromkeys(parameters.get(station_id, ()))) for station_id in ids}
    in_order = list(range(day_count))
    for station_id, parameter, offsets, received, valid, odd in _groups(ids, codes, first, last):
        if odd:
            found[(station_id, parameter)] = _odd_group(station_id, parameter, first, last)
            continue
        found[(station_id, parameter)] = (
            _placed(offsets, received, day_count, in_order),
            _placed(offsets, valid, day_count, in_order),
        )
    return found
