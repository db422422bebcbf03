"""Inbox files leave the inbox only after the commit; a failed batch loses no file."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.db import commit, rollback
from app.telemetry import archive, rollups
from app.telemetry.ingest import IncomingFile, Sender, ingest_files
from tests.telemetry.ingest_helpers import (
    at,
    file_name,
    files,
    ingest,
    line,
    new_station,
    readings,
    run,
    write,
)

RECEIVED = datetime(2026, 1, 15, 3, 36, tzinfo=UTC)


@pytest.fixture
def inbox_folder(app) -> Iterator[Path]:
    """A folder of the test's own inside the inbox, removed afterwards."""
    from app.telemetry.inbox import inbox_root

    with app.app_context():
        folder = inbox_root() / f"test-{uuid.uuid4().hex[:10]}"
    folder.mkdir(parents=True)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_an_inbox_file_is_archived_before_commit_and_removed_only_after(app, inbox_folder):
    new_station("NT1")
    # Content no other test wrote: the archive is shared by the session and keeps each content once.
    value = f"7.{uuid.uuid4().int % 10**6:06d}"
    path = write(inbox_folder, file_name("NT1", at(10, 35)), [line("pH", value, at(10, 35))])
    data = path.read_bytes()

    report = ingest_files([IncomingFile(path, RECEIVED, in_inbox=True)], Sender("ftp:nt1"))

    assert report.accepted == 1 and path.exists(), "not received before the commit"
    [data_file] = files()
    archived = archive.path_of(data_file.archive_path)
    assert os.path.samefile(archived, path), "hard-linked, not copied"
    assert data_file.received_at == RECEIVED and data_file.sender == "ftp:nt1"
    commit()
    assert not path.exists()
    assert archive.read(data_file.archive_path) == data


def test_a_batch_that_rolls_back_leaves_its_files_in_the_inbox(app, inbox_folder):
    new_station("NT1")
    commit()
    path = write(inbox_folder, file_name("NT1", at(10, 35)), [line("pH", "7", at(10, 35))])

    ingest_files([IncomingFile(path, RECEIVED, in_inbox=True)], Sender("ftp:nt1"))
    rollback()

    assert path.exists() and files() == []
    again = ingest_files([IncomingFile(path, RECEIVED, in_inbox=True)], Sender("ftp:nt1"))
    commit()
    assert again.accepted == 1 and again.duplicates == 0 and not path.exists()


def test_the_cli_moves_inbox_files_duplicates_included_and_never_other_files(app, inbox_folder, tmp_path):
    new_station("NT1")
    content = [line("pH", "7", at(10, 35))]
    outside = write(tmp_path, file_name("NT1", at(10, 35)), content)
    inside = write(inbox_folder, file_name("NT1", at(10, 35)), content)
    quarantined = write(inbox_folder, "no-station.txt", [line("pH", "8", at(10, 35))])
    uploading = write(inbox_folder, ".upload.txt", content)

    report = ingest(app, outside, inbox_folder)

    assert (report["accepted"], report["duplicates"], report["quarantined"]) == (1, 1, 1)
    assert outside.exists() and uploading.exists()
    assert not inside.exists() and not quarantined.exists()


def test_a_database_failure_mid_batch_loses_no_file(app, inbox_folder, monkeypatch):
    station = new_station("NT1")
    first = write(inbox_folder, file_name("NT1", at(10, 30)), [line("pH", "7", at(10, 30))])
    second = write(inbox_folder, file_name("NT1", at(10, 35)), [line("pH", "7.5", at(10, 35))])
    calls = []
    add_readings = rollups.add_readings

    def fail_on_second_batch(totals):
        calls.append(totals)
        if len(calls) == 2:  # the batch's readings are written already
            raise RuntimeError("database went away")
        return add_readings(totals)

    monkeypatch.setattr(rollups, "add_readings", fail_on_second_batch)

    result = run(app, "ingest", inbox_folder, "--json", "--chunk-files", "1")

    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "database went away" in result.stderr
    assert not first.exists(), "the first batch was committed"
    assert second.exists(), "the failed batch left its file in the inbox"
    assert [r.measured_at for r in readings(station)] == [at(10, 30)]
    assert len(files()) == 1

    monkeypatch.setattr(rollups, "add_readings", add_readings)
    report = ingest(app, inbox_folder)

    assert (report["files"], report["accepted"], report["readings"]) == (1, 1, 1)
    assert not second.exists()
    assert [r.measured_at for r in readings(station)] == [at(10, 30), at(10, 35)]
