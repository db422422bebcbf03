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

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta

from app.extensions import db
from app.telemetry.slots import BITMAP_BYTES, SLOTS_PER_DAY, as_bitmap

# Station ids per statement (SQLite allows 32,766 bound variables).
IDS_PER_QUERY = 10000

# (station_id, parameter) -> (received, valid) period bitmaps.
PeriodBitmaps = dict[tuple[int, str], tuple[int, int]]

_POSTGRESQL = (
    "SELECT station_id, parameter, array_agg(day - %(first)s ORDER BY day),"
    " string_agg(received, ''::bytea ORDER BY day), string_agg(valid, ''::bytea ORDER BY day),"
    " count(*) FILTER (WHERE length(received) <> 36 OR length(valid) <> 36)"
    " FROM day_rollups WHERE station_id = ANY(%(ids)s) AND day BETWEEN %(first)s AND %(last)s"
    " GROUP BY station_id, parameter"
)
# Within a group every aggregate takes the rows in the same order, so the days and the
# bitmaps line up whatever order SQLite picks.
_SQLITE = (
    "SELECT station_id, parameter, group_concat(day, ','), group_concat(hex(received), ''),"
    " group_concat(hex(valid), ''), sum(length(received) <> 36 OR length(valid) <> 36)"
    " FROM day_rollups WHERE station_id IN ({ids}) AND day BETWEEN ? AND ?"
    " GROUP BY station_id, parameter"
)
_ROWS = "SELECT day, received, valid FROM day_rollups WHERE station_id = ? AND parameter = ? AND day BETWEEN ? AND ?"


def _groups(ids: Sequence[int], first: date, last: date) -> Iterator[tuple]:
    """Yield (station_id, parameter, day offsets, received bytes, valid bytes, odd rows) per group."""
    connection = db.session.connection().connection.driver_connection
    if db.session.get_bind().dialect.name == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_POSTGRESQL, {"ids": list(ids), "first": first, "last": last})
            yield from cursor
        return
    offsets = {(first + timedelta(days=k)).isoformat(): k for k in range((last - first).days + 1)}
    for start in range(0, len(ids), IDS_PER_QUERY):
        chunk = ids[start : start + IDS_PER_QUERY]
        sql = _SQLITE.format(ids=", ".join("?" * len(chunk)))
        for station_id, parameter, day_texts, received, valid, odd in connection.execute(
            sql, [*chunk, first.isoformat(), last.isoformat()]
        ):
            days = [offsets[text] for text in day_texts.split(",")]
            yield station_id, parameter, days, bytes.fromhex(received), bytes.fromhex(valid), odd


def _placed(offsets: Sequence[int], blob: bytes, day_count: int) -> int:
    """Return the period bitmap of 36-byte day bitmaps given in the order of ``offsets``."""
    if len(offsets) == day_count and all(offset == index for index, offset in enumerate(offsets)):
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


def period_bitmaps(station_ids: Iterable[int], first: date, last: date) -> PeriodBitmaps:
    """Return the received and valid period bitmaps of every (station, parameter) with rollups.

    Days first..last, both inclusive; the station's "any reading" rows are under
    their parameter ``*`` like any other.
    """
    ids = sorted(set(station_ids))
    day_count = (last - first).days + 1
    found: PeriodBitmaps = {}
    if not ids or day_count <= 0:
        return found
    for station_id, parameter, offsets, received, valid, odd in _groups(ids, first, last):
        if odd:
            found[(station_id, parameter)] = _odd_group(station_id, parameter, first, last)
            continue
        found[(station_id, parameter)] = (
            _placed(offsets, received, day_count),
            _placed(offsets, valid, day_count),
        )
    return found
