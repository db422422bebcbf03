"""``flask telemetry``: arguments, text output, details, partitions on SQLite."""

from __future__ import annotations

import json

import pytest

from app.extensions import db
from tests.telemetry.ingest_helpers import at, file_name, line, new_station, run, write


def test_ingest_refuses_a_path_that_does_not_exist_and_no_path(app, tmp_path):
    missing = run(app, "ingest", tmp_path / "nope", "--json")
    nothing = run(app, "ingest", "--json")

    assert missing.exit_code == 1 and missing.stdout == ""
    assert missing.stderr.count("\n") == 1 and "no such file or folder" in missing.stderr
    assert nothing.exit_code == 1 and nothing.stderr.count("\n") == 1


def test_ingest_runs_on_an_empty_folder(app, tmp_path):
    result = run(app, "ingest", tmp_path, "--json")

    assert result.exit_code == 0
    assert json.loads(result.stdout) == dict.fromkeys(
        [
            "files",
            "accepted",
            "accepted_with_errors",
            "duplicates",
            "quarantined",
            "readings",
            "line_errors",
            "conflicts",
        ],
        0,
    )


def test_ingest_details_and_text_output(app, tmp_path):
    new_station("NT1")
    write(tmp_path, file_name("NT1", at(10, 0)), [line("pH", "7", at(10, 0))])
    write(tmp_path, "nope.txt", [line("pH", "8", at(10, 0))])

    detailed = json.loads(run(app, "ingest", tmp_path, "--json", "--details").stdout)
    text = run(app, "ingest", tmp_path, "--details")

    assert [(d["outcome"], d["station"], d["reason_code"]) for d in detailed["details"]] == [
        ("accepted", "NT1", None),
        ("quarantined", None, "bad_name"),
    ]
    assert detailed["files"] == 2
    assert text.exit_code == 0
    assert text.stdout.splitlines()[-1].startswith(
        "files 2, accepted 0, accepted_with_errors 0, duplicates 2"
    )


def test_completeness_text_output(app):
    new_station("NT1", data_expected_from=at(10, 0))
    result = run(app, "completeness", "--station", "NT1", "--from", "2026-01-15", "--to", "2026-01-15")

    assert result.exit_code == 0 and result.stdout.startswith("NT1 2026-01-15..2026-01-15: expected")


def test_partitions_is_a_no_op_on_sqlite(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL partitions: test_partitions.py")
    result = run(app, "partitions")

    assert result.exit_code == 0 and "nothing to do" in result.stdout


def test_release_refuses_bad_ids(app):
    assert run(app, "release", "abc").exit_code == 1
    unknown = run(app, "release", "999999")
    assert unknown.exit_code == 1 and "unknown file id" in unknown.stderr
