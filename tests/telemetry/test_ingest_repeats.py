"""Repeats and conflicts, within a file and across files and runs; order of processing; future lines."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from app.db import utcnow
from app.telemetry.slots import LOCAL_TZ
from tests.telemetry.ingest_helpers import (
    at,
    conflicts,
    file_name,
    files,
    ingest,
    line,
    line_errors,
    new_station,
    readings,
    stamp,
    write,
)


def test_same_value_as_decimals_and_same_status_is_a_repeat(app, tmp_path):
    new_station("NT1")
    write(tmp_path / "1", file_name("NT1", at(10, 0)), [line("pH", "7.1", at(10, 0), status="0")])
    write(
        tmp_path / "2",
        file_name("NT1", at(10, 0), province="X"),
        [
            line("pH", "7.10", at(10, 0), status="00"),
            line("PH", "+7.100", at(10, 0)),
            line("COD", "0", at(10, 0)),
            line("COD", "00", at(10, 0), status="0"),
            line("COD", "0,0", at(10, 0)),
            line("COD", "-0", at(10, 0)),
        ],
    )

    report = ingest(app, tmp_path)

    assert (report["accepted"], report["readings"], report["conflicts"]) == (2, 2, 0)
    assert [(r.parameter, r.value, r.status) for r in readings()] == [
        ("COD", Decimal(0), 0),
        ("pH", Decimal("7.1"), 0),
    ]


def test_each_conflicting_line_is_one_conflict_and_the_first_stored_stands(app, tmp_path):
    station = new_station("NT1")
    write(
        tmp_path / "1",
        file_name("NT1", at(10, 0)),
        [
            line("pH", "7.1", at(10, 0)),
            line("pH", "7.2", at(10, 0)),  # conflict within the file
            line("pH", "7.1", at(10, 0), status="01"),  # another status: a conflict too
            line("pH", "7.1", at(10, 0)),  # repeat
        ],
    )
    write(
        tmp_path / "2",
        file_name("NT1", at(10, 5)),
        [line("pH", "7.3", at(10, 0)), line("pH", "7", at(10, 5))],
    )

    report = ingest(app, tmp_path)

    assert (report["accepted"], report["readings"], report["conflicts"], report["line_errors"]) == (
        2,
        2,
        3,
        0,
    )
    assert [(r.value, r.status) for r in readings(station) if r.measured_at == at(10, 0)] == [
        (Decimal("7.1"), 0)
    ]
    recorded = [(c.line_no, c.stored_value, c.new_value, c.new_status) for c in conflicts()]
    assert recorded == [
        (2, Decimal("7.1"), Decimal("7.2"), 0),
        (3, Decimal("7.1"), Decimal("7.1"), 1),
        (1, Decimal("7.1"), Decimal("7.3"), 0),
    ]
    first, second = files()
    assert (first.conflicts_count, second.conflicts_count) == (2, 1)
    assert first.outcome == second.outcome == "accepted"


def test_conflicts_across_runs_are_recorded_and_repeats_ignored(app, tmp_path):
    new_station("NT1")
    write(tmp_path / "run1", file_name("NT1", at(10, 0)), [line("COD", "45.3", at(10, 0))])
    assert ingest(app, tmp_path / "run1")["readings"] == 1
    write(
        tmp_path / "run2",
        file_name("NT1", at(10, 0), province="Y"),
        [line("COD", "45.30", at(10, 0)), line("COD", "46", at(10, 0)), line("COD", "45.3", at(10, 5))],
    )

    report = ingest(app, tmp_path / "run2")

    assert (report["readings"], report["conflicts"]) == (1, 1)
    [conflict] = conflicts()
    assert (conflict.stored_value, conflict.new_value, conflict.measured_at) == (
        Decimal("45.3"),
        Decimal("46"),
        at(10, 0),
    )


def test_files_are_taken_in_the_byte_order_of_their_absolute_paths(app, tmp_path):
    new_station("NT1")
    # 'B' (0x42) < 'a' (0x61), and 'x.txt' ('.' is 0x2E) before the folder 'x' ('/' is 0x2F).
    write(tmp_path / "a", file_name("NT1", at(10, 0)), [line("pH", "1", at(10, 0))])
    write(tmp_path / "B", file_name("NT1", at(10, 0)), [line("pH", "2", at(10, 0))])
    write(tmp_path / "c" / "x", "NT1_20260115100000.txt", [line("COD", "1", at(10, 0))])
    write(tmp_path / "c", "x.txt", [line("COD", "2", at(10, 0))])
    write(tmp_path / "c", "NT1_20260115100000.txt", [line("COD", "3", at(10, 0))])

    report = ingest(app, tmp_path / "c", tmp_path / "a", tmp_path / "B")

    assert [f.original_name.split("_")[0] for f in files()] == ["HG", "HG", "NT1", "x.txt", "NT1"]
    assert {r.parameter: r.value for r in readings()} == {"pH": Decimal(2), "COD": Decimal(3)}
    assert (report["conflicts"], report["quarantined"]) == (2, 1)


def test_a_line_more_than_ten_minutes_after_receipt_is_an_error(app, tmp_path):
    new_station("NT1")
    now = utcnow().astimezone(LOCAL_TZ).replace(microsecond=0)
    soon, late = now + timedelta(minutes=9), now + timedelta(minutes=12)
    write(
        tmp_path,
        file_name("NT1", now),
        [
            f"pH\t7\tpH\t{stamp(soon)}\t00",
            f"pH\t7\tpH\t{stamp(late)}\t00",
            line("COD", "1", at(10, 0).replace(year=2099)),
        ],
    )
    write(tmp_path, file_name("NT1", now.replace(year=2099)), [line("pH", "7", at(10, 0).replace(year=2099))])

    report = ingest(app, tmp_path)

    assert (report["accepted_with_errors"], report["quarantined"], report["line_errors"]) == (1, 1, 2)
    accepted, future = sorted(files(), key=lambda f: f.outcome)
    assert [e.code for e in line_errors(accepted)] == ["time_in_future", "time_in_future"]
    assert future.quarantine_code == "no_valid_line"
    assert [e.code for e in line_errors(future)] == ["time_in_future"]
    assert len(readings()) == 1
