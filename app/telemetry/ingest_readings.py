"""The readings of an ingest batch: new ones, repeats and conflicts; written with their rollups.

Split from ``ingest_batch`` (which classifies the files): given the batch's accepted
files, each with its reserved file id, sort their readings against the stored ones
and the batch's earlier ones, then write the new readings, their day rollups, the
line errors and the conflicts. The sort is one pass over the readings that builds
each new reading's row and its rollup entry at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP
from typing import TYPE_CHECKING

from app.telemetry import ingest_batch, rollups, storage, storage_files

if TYPE_CHECKING:
    from app.telemetry.ingest_batch import _Pending

_STATUS_CODES = {"00": 0, "01": 1, "02": 2}


def _keys(accepted: Sequence[_Pending]) -> list[list[storage.ReadingKey]]:
    """Return each file's reading keys (station, parameter, UTC time), times converted once each."""
    utc: dict[datetime, datetime] = {}
    keys_of: list[list[storage.ReadingKey]] = []
    for p in accepted:
        station_id = p.station.id
        keys = []
        append = keys.append
        for reading in p.parsed.readings:
            moment = reading.measured_at
            at = utc.get(moment)
            if at is None:
                at = utc[moment] = moment.astimezone(UTC)
            append((station_id, reading.parameter, at))
        keys_of.append(keys)
    return keys_of


def sort_readings(accepted: Sequence[_Pending]) -> None:
    """Sort each accepted file's readings into new ones, repeats (dropped) and conflicts, in order.

    Each file's ``data_file_id`` is already reserved: new readings are built with it.
    """
    keys_of = _keys(accepted)
    # (value, status) by key: the stored ones, then the batch's first of each key.
    stored: dict[storage.ReadingKey, tuple] = storage.stored_readings(key for keys in keys_of for key in keys)
    quantum, row_of, codes, new_tuple = (
        storage.VALUE_QUANTUM,
        storage.ReadingRow,
        _STATUS_CODES,
        tuple.__new__,
    )
    for p, keys in zip(accepted, keys_of, strict=True):
        received_at = p.loaded.received_at.astimezone(UTC)
        file_id = p.result.data_file_id
        add_row, add_total = p.new.append, p.totals.append
        for reading, key in zip(p.parsed.readings, keys, strict=True):
            value = reading.value.quantize(quantum, rounding=ROUND_HALF_UP)  # storage.quantise, inlined
            status = codes.get(reading.status)
            if status is None:
                status = int(reading.status)
            first = stored.get(key)
            if first is None:
                stored[key] = (value, status)
                station_id, parameter, at = key
                # A ReadingRow, built without its Python-level __new__ (once per new reading).
                add_row(new_tuple(row_of, (station_id, parameter, at, value, status, file_id, received_at)))
                add_total((station_id, parameter, reading.measured_at, value, status))
            elif first[0] != value or first[1] != status:
                p.conflicts.append(
                    {
                        "station_id": key[0],
                        "parameter": key[1],
                        "measured_at": key[2],
                        "stored_value": first[0],
                        "stored_status": first[1],
                        "new_value": value,
                        "new_status": status,
                        "line_no": reading.line,
                        "file_id": file_id,
                    }
                )


def write_rows(files: Sequence[_Pending]) -> None:
    """Write the new readings with their rollups, the line errors and the conflicts."""
    readings, errors, conflicts, totals = [], [], [], []
    for p in files:
        file_id = p.result.data_file_id
        readings.extend(p.new)
        totals.extend(p.totals)
        conflicts.extend(p.conflicts)
        # Errors of a file sent for a station by someone else are not the station's.
        owned = p.result.reason_code != ingest_batch.NOT_OWNED
        station_id = p.station.id if p.station is not None and owned else None
        errors.extend(
            {
                "file_id": file_id,
                "station_id": station_id,
                "line_no": error.line,
                "code": error.code,
                "reason": ingest_batch.fit_text(error.reason, 200),
                "detail": ingest_batch.fit_text(error.detail, 300),
                "text": ingest_batch.fit_text(error.text, 200),
            }
            for error in p.errors
        )
    storage.insert_readings(readings)
    rollups.add_readings(totals)
    storage_files.insert_line_errors(errors)
    storage_files.insert_conflicts(conflicts)
