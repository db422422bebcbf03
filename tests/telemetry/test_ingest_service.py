"""The ingest service: sender scope, aliases, station timestamps, rollups, details of the report."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from app.db import commit, rollback
from app.extensions import db
from app.telemetry import storage
from app.telemetry.ingest import IncomingFile, Sender, ingest_files
from app.telemetry.ingest_batch import NOT_OWNED
from app.telemetry.models import ANY_PARAMETER, ParameterAlias
from app.telemetry.slots import from_bytes
from tests.telemetry.ingest_helpers import (
    DAY,
    at,
    file_name,
    files,
    line,
    line_errors,
    new_station,
    readings,
    rollups,
    write,
)

RECEIVED = datetime(2026, 1, 15, 4, 0, tzinfo=UTC)


def incoming(*paths, received_at: datetime = RECEIVED) -> list[IncomingFile]:
    return [IncomingFile(path, received_at) for path in paths]


def test_a_file_for_a_station_outside_the_senders_scope_is_quarantined(app, tmp_path):
    own, other = new_station("NT1"), new_station("NT2")
    mine = write(tmp_path, file_name("NT1", at(10, 0)), [line("pH", "7", at(10, 0)), "bad"])
    theirs = write(tmp_path, file_name("NT2", at(10, 0)), [line("pH", "7.5", at(10, 0)), "bad"])

    report = ingest_files(incoming(mine, theirs), Sender("ftp:nt1", frozenset({own.id})))

    assert (report.accepted_with_errors, report.quarantined, report.readings, report.line_errors) == (
        1,
        1,
        1,
        1,
    )
    quarantined = next(f for f in files() if f.outcome == "quarantined")
    assert (quarantined.quarantine_code, quarantined.quarantine_reason) == (
        NOT_OWNED,
        "station not owned by sender",
    )
    assert quarantined.station_id == other.id
    # Its line errors are kept with it, but are not the station's.
    assert [e.station_id for e in line_errors(quarantined)] == [None]
    assert readings(other) == [] and other.last_file_at is None
    details = {d.station: (d.outcome, d.reason_code) for d in report.details}
    assert details == {"NT1": ("accepted_with_errors", None), "NT2": ("quarantined", NOT_OWNED)}


def test_aliases_added_per_kind_and_per_station(app, tmp_path):
    nt1, nt2 = new_station("NT1"), new_station("NT2")
    db.session.add_all(
        [
            ParameterAlias(kind="wastewater", alias="Nhu cau oxy", alias_key="nhu cau oxy", parameter="COD"),
            ParameterAlias(kind="wastewater", station_id=nt1.id, alias="X1", alias_key="x1", parameter="TSS"),
            # An administrator's alias takes precedence over a starting one.
            ParameterAlias(
                kind="wastewater", station_id=nt1.id, alias="Flow", alias_key="flow", parameter="FLOW_IN"
            ),
        ]
    )
    db.session.flush()

    def lines(value: str) -> list[str]:
        return [line(name, value, at(10, 0)) for name in ("NHU CAU OXY", "x1", "Flow")]

    first = write(tmp_path, file_name("NT1", at(10, 0)), lines("1"))
    second = write(tmp_path, file_name("NT2", at(10, 0)), lines("2"))

    report = ingest_files(incoming(first, second), Sender("admin"))

    assert {r.parameter for r in readings(nt1)} == {"COD", "TSS", "FLOW_IN"}
    assert {r.parameter for r in readings(nt2)} == {"COD", "FLOW_OUT"}
    assert (report.readings, report.line_errors) == (5, 1)
    [error] = line_errors(files()[1])
    assert error.code == "unknown_parameter"


def test_station_timestamps_follow_the_latest_measurement_and_file(app, tmp_path):
    station = new_station("NT1")
    late = write(tmp_path / "a", file_name("NT1", at(10, 5)), [line("pH", "7", at(10, 5))])
    early = write(tmp_path / "b", file_name("NT1", at(9, 0)), [line("pH", "7", at(9, 0))])

    ingest_files(incoming(late, early), Sender("admin"))

    assert station.last_reading_at == at(10, 5)
    assert station.last_file_at == RECEIVED
    newer = write(tmp_path / "c", file_name("NT1", at(8, 0)), [line("pH", "7", at(8, 0))])
    ingest_files(incoming(newer, received_at=datetime(2026, 1, 15, 5, tzinfo=UTC)), Sender("admin"))
    assert station.last_reading_at == at(10, 5)
    assert station.last_file_at == datetime(2026, 1, 15, 5, tzinfo=UTC)


def test_rollups_hold_slots_and_hourly_sums_of_new_readings_only(app, tmp_path):
    station = new_station("NT1")
    path = write(
        tmp_path / "a",
        file_name("NT1", at(10, 0)),
        [
            line("pH", "7", at(10, 0)),
            line("pH", "8", at(10, 4, 59)),  # same slot, another reading
            line("pH", "6", at(10, 5), status="01"),  # received, not valid
            line("COD", "40", at(23, 55)),
            line("COD", "41", at(0, 0, day=DAY.replace(day=16))),
        ],
    )
    conflicting = write(tmp_path / "b", file_name("NT1", at(10, 10)), [line("pH", "9", at(10, 0))])

    later = datetime(2026, 1, 16, 12, tzinfo=UTC)
    report = ingest_files(incoming(path, conflicting, received_at=later), Sender("admin"))

    assert (report.readings, report.conflicts) == (5, 1)
    found = rollups(station)
    ph = found[("pH", DAY)]
    assert from_bytes(ph.received) == (1 << 120) | (1 << 121)
    assert from_bytes(ph.valid) == 1 << 120
    assert ph.hour_sums[10] == 15.0 and ph.hour_counts[10] == 2
    assert sum(ph.hour_counts) == 2
    station_any = found[(ANY_PARAMETER, DAY)]
    assert from_bytes(station_any.received) == (1 << 120) | (1 << 121) | (1 << 287)
    assert station_any.hour_sums is None and station_any.hour_counts is None
    assert from_bytes(found[("COD", DAY.replace(day=16))].valid) == 1
    assert sorted(found) == sorted(
        [
            ("pH", DAY),
            ("COD", DAY),
            (ANY_PARAMETER, DAY),
            ("COD", DAY.replace(day=16)),
            ("*", DAY.replace(day=16)),
        ]
    )


def test_ingest_files_takes_each_path_once_and_ignores_other_names(app, tmp_path):
    new_station("NT1")
    path = write(tmp_path, file_name("NT1", at(10, 0)), [line("pH", "7.25", at(10, 0))])
    other = write(tmp_path, ".part.txt", [line("pH", "7", at(10, 0))])

    report = ingest_files(incoming(path, path, tmp_path / "." / path.name, other), Sender("admin"))

    assert (report.files, report.accepted, report.duplicates) == (1, 1, 0)
    assert [r.value for r in readings()] == [Decimal("7.25")]


def test_a_file_that_vanished_before_reading_is_not_counted(app, tmp_path):
    report = ingest_files(incoming(tmp_path / "NT1_20260115100000.txt"), Sender("admin"))

    assert report.files == 0 and files() == []


def test_a_reading_stored_behind_the_batchs_back_fails_the_batch(app, tmp_path, monkeypatch):
    new_station("NT1")
    first = write(tmp_path / "a", file_name("NT1", at(10, 0)), [line("pH", "7", at(10, 0))])
    ingest_files(incoming(first), Sender("admin"))
    commit()
    # As if another writer had stored the reading after the batch looked its keys up.
    monkeypatch.setattr(storage, "stored_readings", lambda keys: {})
    second = write(tmp_path / "b", file_name("NT1", at(10, 0)), [line("pH", "8", at(10, 0))])

    with pytest.raises(storage.IngestConflictError, match="stored meanwhile"):
        ingest_files(incoming(second), Sender("admin"))
    rollback()

    assert [r.value for r in readings()] == [Decimal(7)]
