"""The inbox scan: complete files only, the sender from the folder, batches, the periodic job."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.db import commit, utcnow
from app.extensions import db
from app.jobs.dispatch import defer_job
from app.jobs.models import JobRun
from app.jobs.schedule import JOB_MODULES, PERIODIC
from app.settings import services as settings
from app.telemetry import accounts, inbox
from app.telemetry.inbox import inbox_root, scan_inbox, survey_inbox
from app.telemetry.models import DataFile
from app.telemetry.receipt_jobs import scan_and_ingest
from tests.telemetry.receipt_helpers import file_bytes, file_name, make_station, write_aged


@pytest.fixture
def root(app, tmp_path, monkeypatch) -> Path:
    """An inbox of the test's own."""
    folder = tmp_path / "inbox"
    monkeypatch.setitem(app.config, "TELEMETRY_INBOX", str(folder))
    assert inbox_root() == folder and folder.is_dir()
    return folder


@pytest.fixture
def site(make_facility):
    """Two facilities: A with stations A1, A2 and an FTP account, B with station B1."""
    facility_a, facility_b = make_facility(), make_facility()
    stations = {
        "A1": make_station(facility_a, "A1"),
        "A2": make_station(facility_a, "A2"),
        "B1": make_station(facility_b, "B1"),
    }
    account, _ = accounts.create_account("ftp", facility_id=facility_a.id, name="nha-may-a")
    return stations, account


def files_of(batches) -> dict[str, list[str]]:
    return {batch.sender.label: [f.path.name for f in batch.files] for batch in batches}


def test_scan_takes_complete_data_files_and_the_sender_from_the_folder(root, site):
    stations, account = site
    admin_file = write_aged(root / file_name("B1"), file_bytes())
    write_aged(root / "nha-may-a" / file_name("A1"), file_bytes())
    write_aged(root / "nha-may-a" / "2026" / "01" / file_name("A2"), file_bytes())
    write_aged(
        root / "nha-may-a" / file_name("A1", utcnow().replace(tzinfo=None)), file_bytes(), age_seconds=5
    )
    write_aged(root / "nha-may-a" / f".{file_name('A1')}.1234.part", file_bytes())
    write_aged(root / "nha-may-a" / "notes.csv", b"x")
    write_aged(root / "nha-may-a" / ".hidden" / file_name("A2"), file_bytes())

    scan = survey_inbox(utcnow())

    assert files_of(scan.batches) == {
        "admin": [file_name("B1")],
        "ftp:nha-may-a": [file_name("A2"), file_name("A1")],  # byte order of the full path
    }
    assert scan.too_recent == 1
    admin_batch = scan.batches[0]
    assert admin_batch.sender.station_ids is None
    assert scan.batches[1].sender.station_ids == frozenset({stations["A1"].id, stations["A2"].id})
    [incoming] = admin_batch.files
    assert incoming.in_inbox
    assert incoming.received_at.timestamp() == pytest.approx(admin_file.stat().st_mtime)
    assert incoming.received_at.tzinfo is not None


def test_the_unchanged_time_is_a_setting(root, site):
    write_aged(root / "nha-may-a" / file_name("A1"), file_bytes(), age_seconds=10)
    assert scan_inbox(utcnow()) == []
    settings.update({"receipt.unchanged_seconds": 5})
    assert files_of(scan_inbox(utcnow())) == {"ftp:nha-may-a": [file_name("A1")]}


def test_out_of_scope_files_are_quarantined_and_the_rest_accepted(root, site):
    stations, _ = site
    write_aged(root / "nha-may-a" / file_name("A1"), file_bytes(value="7.1"))
    write_aged(root / "nha-may-a" / file_name("B1"), file_bytes(value="7.2"))
    write_aged(root / file_name("B1"), file_bytes(value="7.3"))

    result = scan_and_ingest(utcnow(), after_batch=commit)

    assert (result["accepted"], result["quarantined"], result["batches"]) == (2, 1, 2)
    rows = {(row.sender, row.station_id): row for row in db.session.scalars(sa.select(DataFile))}
    assert rows[("ftp:nha-may-a", stations["A1"].id)].outcome == "accepted"
    refused = [row for row in rows.values() if row.outcome == "quarantined"]
    assert [(r.sender, r.quarantine_code) for r in refused] == [("ftp:nha-may-a", "station_not_owned")]
    assert rows[("admin", stations["B1"].id)].outcome == "accepted"
    assert list(root.rglob("*.txt")) == []  # recorded files left the inbox after the commit


def test_inactive_account_files_are_still_taken_unknown_folders_are_left(root, site):
    _, account = site
    token, secret = accounts.create_account("http", station_id=site[0]["A2"].id)
    accounts.set_active(account, False)
    accounts.set_active(token, False)
    write_aged(root / "nha-may-a" / file_name("A1"), file_bytes(value="7.1"))
    write_aged(root / f"http-{token.name}" / file_name("A2"), file_bytes(value="7.2"))
    stray = write_aged(root / "no-such-account" / file_name("A1"), file_bytes(value="7.3"))

    scan = survey_inbox(utcnow())

    assert files_of(scan.batches) == {
        "ftp:nha-may-a": [file_name("A1")],
        f"http:{token.name}": [file_name("A2")],
    }
    assert scan.unclaimed == {"no-such-account": 1}
    scan_and_ingest(utcnow(), after_batch=commit)
    assert stray.exists()


def test_batches_hold_at_most_the_batch_size(root, site, monkeypatch):
    monkeypatch.setattr(inbox, "BATCH_SIZE", 2)
    for minute in range(5):
        write_aged(root / "nha-may-a" / f"A1_2026011510{minute:02d}00.txt", file_bytes())
    assert [len(batch.files) for batch in scan_inbox(utcnow())] == [2, 2, 1]


def test_unsafe_folder_names_are_refused(root):
    for name in ("..", "a/b", ".hidden", ""):
        with pytest.raises(ValueError):
            inbox.account_inbox(name)


def test_the_scan_job_ingests_and_commits_per_batch(root, site):
    write_aged(root / "nha-may-a" / file_name("A1"), file_bytes())
    run = defer_job("telemetry.scan_inbox")
    commit()  # runs inline in the tests' sync mode
    run = db.session.get(JobRun, run.id)
    assert run.status == "finished", run.error
    assert run.queue == "ingest"
    assert run.result["accepted"] == 1 and run.result["batches"] == 1
    assert not (root / "nha-may-a" / file_name("A1")).exists()


def test_the_scan_job_skips_while_an_earlier_scan_runs(root, site):
    write_aged(root / "nha-may-a" / file_name("A1"), file_bytes())
    db.session.add(
        JobRun(name="telemetry.scan_inbox", queue="ingest", status="running", started_at=utcnow(), args={})
    )
    run = defer_job("telemetry.scan_inbox")
    commit()
    run = db.session.get(JobRun, run.id)
    assert run.result == {"skipped": "an earlier scan is still running"}
    assert (root / "nha-may-a" / file_name("A1")).exists()


def test_scan_and_forward_are_periodic_every_minute():
    assert "app.telemetry.receipt_jobs" in JOB_MODULES
    every = {p.job: p.every for p in PERIODIC}
    assert every["telemetry.scan_inbox"] == timedelta(seconds=60)
    assert every["telemetry.forward_pending"] == timedelta(seconds=60)
    assert settings.get("receipt.scan_interval_seconds") == 60
