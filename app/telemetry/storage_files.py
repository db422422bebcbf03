"""Bulk writes of the ingest's file rows: data files under reserved ids, line errors, conflicts.

Split from ``storage`` (the readings' reads and writes), on the same connection and
transaction. Data files get their ids before they are written (``reserve_file_ids``:
the id sequence on PostgreSQL, the next row ids on SQLite under the ingest's write
lock), so their readings, line errors and conflicts are built with their file id at
once and the files are written in one COPY (one ``executemany`` on SQLite), with no
lookup of the ids afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from app.db import UTCDateTime
from app.extensions import db
from app.telemetry.models import DataFile, LineError, ReadingConflict
from app.telemetry.storage import IngestConflictError, _dialect, _driver_connection, _sqlite_time


def reserve_file_ids(count: int) -> list[int]:
    """Return ``count`` new data file ids, in increasing order, for ``insert_files``.

    PostgreSQL: values of the id sequence (ids of a batch that rolls back are not
    reused, as with any insert). SQLite: the next row ids; the caller holds the
    ingest's write lock (``lock_for_ingest``), so no other writer can take them.
    """
    if count <= 0:
        return []
    if _dialect() == "postgresql":
        with _driver_connection().cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('data_files', 'id')) FROM generate_series(1, %s)",
                (count,),
            )
            return sorted(row[0] for row in cursor.fetchall())
    last = db.session.scalar(sa.select(sa.func.max(DataFile.id))) or 0
    return list(range(last + 1, last + 1 + count))


def _copy_type(column: sa.Column) -> str | None:
    """Return the binary COPY type of a column (None: a type this module does not write)."""
    kind = column.type.impl if isinstance(column.type, UTCDateTime) else column.type
    for python_type, name in (
        (sa.SmallInteger, "int2"),
        (sa.BigInteger, "int8"),
        (sa.Integer, "int4"),
        (sa.Boolean, "bool"),
        (sa.DateTime, "timestamptz"),
        (sa.String, "text"),
    ):
        if isinstance(kind, python_type):
            return name
    return None


def _file_columns(given: Sequence[str]) -> tuple[list[sa.Column], dict[str, Any]] | None:
    """Return the columns to write (given ones, then those with a Python default) and the defaults.

    None when a column's default or type is not one this module can write itself.
    """
    table = DataFile.__table__
    columns, defaults = [], {}
    for column in table.columns:
        if column.name in given:
            columns.append(column)
            continue
        default = column.default
        if default is None:
            continue
        if default.is_scalar:
            defaults[column.name] = default.arg
        elif default.is_callable:
            defaults[column.name] = default.arg(None)
        else:
            return None
        columns.append(column)
    if any(_copy_type(column) is None for column in columns):
        return None
    return columns, defaults


def insert_files(rows: Sequence[dict[str, Any]]) -> None:
    """Write data files (dicts of DataFile's columns, each with its reserved ``id``).

    Columns not given take the model's defaults (evaluated once for the batch). One
    binary COPY on PostgreSQL, one ``executemany`` on SQLite.
    """
    if not rows:
        return
    plan = _file_columns(list(rows[0]))
    if plan is None:  # pragma: no cover - a column this module cannot write: the ORM's insert
        db.session.execute(sa.insert(DataFile.__table__), list(rows))
        return
    columns, defaults = plan
    names = [column.name for column in columns]
    pairs = [(name, defaults.get(name)) for name in names]
    values = ([row.get(name, default) for name, default in pairs] for row in rows)
    if _dialect() == "postgresql":
        from psycopg.errors import UniqueViolation

        try:
            with _driver_connection().cursor() as cursor:
                with cursor.copy(f"COPY data_files ({', '.join(names)}) FROM STDIN (FORMAT BINARY)") as copy:
                    copy.set_types([_copy_type(column) for column in columns])
                    for row in values:
                        copy.write_row(row)
        except UniqueViolation as error:
            raise IngestConflictError(
                f"files were recorded meanwhile: {error.diag.message_detail}"
            ) from error
        return
    times = [index for index, column in enumerate(columns) if _copy_type(column) == "timestamptz"]

    texts: dict[Any, str] = {}  # the storage form of each distinct moment (the batch's share some)

    def stored(row: list[Any]) -> list[Any]:
        for index in times:
            moment = row[index]
            if moment is not None:
                text = texts.get(moment)
                if text is None:
                    text = texts[moment] = _sqlite_time(moment)
                row[index] = text
        return row

    placeholders = ", ".join("?" * len(names))
    _driver_connection().executemany(
        f"INSERT INTO data_files ({', '.join(names)}) VALUES ({placeholders})", map(stored, values)
    )


def insert_line_errors(rows: Sequence[dict[str, Any]]) -> None:
    """Write line errors (dicts of LineError's columns)."""
    if rows:
        db.session.execute(sa.insert(LineError), list(rows))


def insert_conflicts(rows: Sequence[dict[str, Any]]) -> None:
    """Write reading conflicts (dicts of ReadingConflict's columns)."""
    if rows:
        db.session.execute(sa.insert(ReadingConflict), list(rows))


def delete_line_errors(file_id: int) -> None:
    """Remove the line errors kept with a file (before it is ingested again on release)."""
    db.session.execute(sa.delete(LineError).where(LineError.file_id == file_id))
