"""``flask telemetry ingest --json``: every outcome and hostile case of data-format.md."""

from __future__ import annotations

import os
from decimal import Decimal

from app.telemetry.ingest_batch import BAD_NAME, NO_VALID_LINE, UNKNOWN_STATION
from tests.telemetry.ingest_helpers import (
    at,
    file_name,
    files,
    ingest,
    line,
    line_errors,
    new_station,
    readings,
    write,
)

SIX = [
    line("pH", "7.12", at(10, 35), unit="pH"),
    line("TSS", "12.8", at(10, 35)),
    line("COD", "45.3", at(10, 35)),
    line("NH4+", "1.25", at(10, 35)),
    line("Temp", "29.4", at(10, 35), unit="oC"),
    line("Flow_out", "35.2", at(10, 35), status="01", unit="m3/h"),
]


def test_the_illustrative_file_is_accepted_with_every_line_a_reading(app, tmp_path):
    station = new_station("NT1")
    path = write(tmp_path, "HG_NMGIAY_NT1_20260115103500.txt", SIX)

    report = ingest(app, path)

    assert report == {
        "files": 1,
        "accepted": 1,
        "accepted_with_errors": 0,
        "duplicates": 0,
        "quarantined": 0,
        "readings": 6,
        "line_errors": 0,
        "conflicts": 0,
    }
    stored = {r.parameter: r for r in readings(station)}
    # Readings of parameters that are not required (NH4, TEMP, FLOW_OUT) are stored too.
    assert sorted(stored) == ["COD", "FLOW_OUT", "NH4", "TEMP", "TSS", "pH"]
    assert stored["pH"].value == Decimal("7.12")
    assert stored["FLOW_OUT"].status == 1
    assert stored["pH"].measured_at == at(10, 35)
    [data_file] = files()
    assert (data_file.outcome, data_file.readings_count, data_file.station_id) == ("accepted", 6, station.id)
    assert data_file.sender.startswith("cli:")
    assert path.exists(), "a file outside the inbox is never moved"


def test_invalid_lines_make_accepted_with_errors_and_line_errors(app, tmp_path):
    new_station("NT1")
    path = write(
        tmp_path,
        file_name("NT1", at(10, 40)),
        [
            line("pH", "7.1", at(10, 40)),
            "just garbage",
            "",
            line("Unknown", "1", at(10, 40)),
            line("COD", "NaN", at(10, 40)),
            line("COD", "1e3", at(10, 40)),
            line("TSS", "12", at(10, 40), status="03"),
            "TSS 12,5 mg/L 20260115104000 0",
        ],
    )

    report = ingest(app, path)

    assert (report["accepted_with_errors"], report["readings"], report["line_errors"]) == (1, 2, 5)
    [data_file] = files()
    assert data_file.outcome == "accepted_with_errors"
    errors = line_errors(data_file)
    assert [(e.line_no, e.code) for e in errors] == [
        (2, "wrong_field_count"),
        (4, "unknown_parameter"),
        (5, "invalid_value"),
        (6, "invalid_value"),
        (7, "invalid_status"),
    ]
    assert all(e.station_id == data_file.station_id for e in errors)
    assert {r.parameter: r.value for r in readings()} == {"pH": Decimal("7.1"), "TSS": Decimal("12.5")}


def test_quarantine_reasons_bad_name_unknown_station_no_valid_line(app, tmp_path):
    new_station("NT1")

    def good_line(value: str) -> list[str]:
        return [line("pH", value, at(10, 0))]

    write(tmp_path, "NT1_2026011510.txt", good_line("7.1"))  # time is not 14 digits
    write(tmp_path, "A_B_NT1_20260115100000_x.txt", good_line("7.2"))  # 5 parts
    write(tmp_path, "NT1_20261315100000.txt", good_line("7.3"))  # not a real date
    write(tmp_path, b"NT1\xff_20260115100000.txt", good_line("7.4"))  # not UTF-8
    write(tmp_path, file_name("NT9", at(10, 0)), good_line("7.5"))
    write(tmp_path, file_name("NT1", at(10, 5)), ["nothing valid", line("pH", "x", at(10, 5))])
    write(tmp_path, file_name("NT1", at(10, 10)), b"")

    report = ingest(app, tmp_path)

    assert (report["files"], report["quarantined"], report["readings"], report["line_errors"]) == (7, 7, 0, 0)
    codes = sorted(f.quarantine_code for f in files())
    assert codes == [BAD_NAME] * 4 + [NO_VALID_LINE] * 2 + [UNKNOWN_STATION]
    assert readings() == []
    no_valid = [f for f in files() if f.quarantine_code == NO_VALID_LINE and f.size > 0]
    # Its line errors are kept with it, not counted as line errors of the run.
    assert [e.code for e in line_errors(no_valid[0])] == ["wrong_field_count", "invalid_value"]
    assert no_valid[0].line_errors_count == 2
    unknown = next(f for f in files() if f.quarantine_code == UNKNOWN_STATION)
    assert "NT9" in unknown.quarantine_reason and unknown.station_id is None
    assert any(f.original_name == "NT1\\xff_20260115100000.txt" for f in files())


def test_only_txt_files_not_starting_with_a_dot_count_named_or_found(app, tmp_path):
    new_station("NT1")
    content = [line("pH", "7", at(10, 0))]
    write(tmp_path, ".HG_NMGIAY_NT1_20260115100000.txt", content)
    write(tmp_path, "HG_NMGIAY_NT1_20260115100000.csv", content)
    write(tmp_path, "HG_NMGIAY_NT1_20260115100000.txt.part", content)
    hidden = write(tmp_path / "sub", ".NT1_20260115100500.txt", content)
    upper = write(tmp_path / "sub", "NT1_20260115101000.TXT", [line("pH", "7.2", at(10, 10))])

    report = ingest(app, tmp_path, hidden, tmp_path / "HG_NMGIAY_NT1_20260115100000.csv")

    assert (report["files"], report["accepted"]) == (1, 1)
    assert [f.original_name for f in files()] == [upper.name]


def test_duplicates_by_content_within_a_run_and_across_runs(app, tmp_path):
    new_station("NT1")
    content = [line("pH", "7", at(10, 0))]
    first = write(tmp_path / "a", file_name("NT1", at(10, 0)), content)
    write(tmp_path / "b", file_name("NT1", at(10, 0), province="XX"), content)  # same bytes, other name

    assert ingest(app, tmp_path)["duplicates"] == 1
    write(tmp_path / "c", "NT1_20260115100000.txt", content)
    second = ingest(app, tmp_path)
    assert (second["files"], second["duplicates"], second["readings"]) == (3, 3, 0)
    assert len(files()) == 1 and files()[0].original_name == first.name


def test_a_file_named_twice_or_inside_a_named_folder_is_read_once(app, tmp_path):
    new_station("NT1")
    path = write(tmp_path / "2026" / "01", file_name("NT1", at(10, 0)), [line("pH", "7", at(10, 0))])
    relative = os.path.relpath(path)

    report = ingest(app, path, tmp_path, relative, tmp_path / "2026", path)

    assert (report["files"], report["accepted"], report["duplicates"]) == (1, 1, 0)


def test_a_duplicate_of_a_quarantined_file_is_a_duplicate(app, tmp_path):
    write(tmp_path / "a", file_name("NT1", at(10, 0)), [line("pH", "7", at(10, 0))])
    assert ingest(app, tmp_path / "a")["quarantined"] == 1
    new_station("NT1")
    write(tmp_path / "b", "NT1_20260115100000.txt", [line("pH", "7", at(10, 0))])

    report = ingest(app, tmp_path)

    assert (report["duplicates"], report["quarantined"], report["readings"]) == (2, 0, 0)


def test_station_code_is_compared_case_insensitively(app, tmp_path):
    station = new_station("Nt1")
    write(tmp_path, "hg_x_nT1_20260115100000.txt", [line("ph", "7", at(10, 0))])

    assert ingest(app, tmp_path)["accepted"] == 1
    assert [r.parameter for r in readings(station)] == ["pH"]


def test_a_second_ingest_of_the_same_folder_adds_nothing(app, tmp_path):
    new_station("NT1")
    for minute in range(0, 60, 5):
        write(tmp_path / "x", file_name("NT1", at(10, minute)), [line("pH", "7", at(10, minute))])
    write(tmp_path / "y", "bad-name.txt", [line("pH", "7.9", at(10, 0))])

    first = ingest(app, tmp_path)
    count = len(readings())
    second = ingest(app, tmp_path)

    assert (first["accepted"], first["quarantined"], first["readings"]) == (12, 1, 12)
    assert second == {**first, "accepted": 0, "quarantined": 0, "readings": 0, "duplicates": 13}
    assert len(readings()) == count == 12


def test_a_value_the_store_cannot_hold_is_an_invalid_line(app, tmp_path):
    new_station("NT1")
    write(
        tmp_path,
        file_name("NT1", at(10, 0)),
        [line("pH", "1000000000000", at(10, 0)), line("COD", "123456.1234565", at(10, 0))],
    )

    report = ingest(app, tmp_path)

    assert (report["accepted_with_errors"], report["readings"], report["line_errors"]) == (1, 1, 1)
    # Stored with the column's six decimals, rounded half away from zero.
    assert [r.value for r in readings()] == [Decimal("123456.123457")]
    assert [e.code for e in line_errors(files()[0])] == ["value_out_of_range"]


def test_a_line_with_a_nul_character_is_recorded_as_an_error(app, tmp_path):
    new_station("NT1")
    write(
        tmp_path,
        file_name("NT1", at(10, 0)),
        [line("pH", "7", at(10, 0)), "p\x00H\t7\tpH\t20260115100000\t00"],
    )

    report = ingest(app, tmp_path)

    assert (report["accepted_with_errors"], report["line_errors"]) == (1, 1)
    [error] = line_errors(files()[0])
    assert "\x00" not in error.text and "\\x00" in error.text
