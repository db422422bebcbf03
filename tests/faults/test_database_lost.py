"""PostgreSQL connection lost during an ingest batch: the batch rolls back, its files are ingested later.

The scan job runs in this process on a database of its own; inside its second
batch (files and readings already written in the transaction) another
connection terminates the batch's backend with ``pg_terminate_backend``, as a
database restart or a network cut would. The first batch stays committed, the
second leaves nothing behind but its files in the inbox, and the next pass
ingests them, each reading once.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.db import commit
from app.extensions import db
from app.jobs.dispatch import defer_job
from app.telemetry import archive, inbox, rollups
from app.telemetry.models import DataFile, Reading
from app.telemetry.receipt_jobs import SCAN_JOB
from tests.faults.common import runs
from tests.jobs.test_worker import dispose, make_app
from tests.telemetry.ingest_helpers import at, file_name, line, new_station, write

pytestmark = pytest.mark.own_database


def write_files(folder, count: int) -> dict:
    """``count`` five-minute files of station NT1 in the inbox, old enough to be taken; {path: bytes}."""
    old = (datetime.now(UTC) - timedelta(minutes=5)).timestamp()
    written = {}
    for index in range(count):
        moment = at(8, 0) + timedelta(minutes=5 * index)
        path = write(folder, file_name("NT1", moment), [line(p, "7.1", moment) for p in ("pH", "TSS", "COD")])
        os.utime(path, (old, old))
        written[path] = path.read_bytes()
    return written


def test_a_connection_cut_inside_a_batch_rolls_it_back_and_the_next_pass_takes_its_files(
    postgres_url, own_database, tmp_path, monkeypatch
):
    folder = tmp_path / "inbox"
    app = make_app(own_database, tmp_path, TELEMETRY_INBOX=str(folder))
    admin = sa.create_engine(own_database, isolation_level="AUTOCOMMIT")
    try:
        with app.app_context():
            station = new_station("NT1")
            commit()
            station_id = station.id
            written = write_files(folder, 12)
            paths = sorted(written)
            monkeypatch.setattr(inbox, "BATCH_SIZE", 6)
            add_readings = rollups.add_readings
            cut: list[int] = []

            def cut_the_connection_in_the_second_batch(totals):
                if len(cut) == 0 and any(row[2] >= at(8, 30) for row in totals):
                    pid = db.session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
                    with admin.connect() as other:
                        assert other.execute(
                            sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}
                        ).scalar()
                    cut.append(pid)
                return add_readings(totals)

            monkeypatch.setattr(rollups, "add_readings", cut_the_connection_in_the_second_batch)
            defer_job(SCAN_JOB)
            commit()  # the job runs here (JOBS_MODE sync), after the commit

            assert len(cut) == 1
            [failed] = runs(SCAN_JOB)
            assert failed.status == "failed" and "terminat" in failed.error.lower()
            assert [p.exists() for p in paths] == [False] * 6 + [True] * 6, "the first batch stands"
            assert db.session.scalar(sa.select(sa.func.count(DataFile.id))) == 6
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Reading)) == 18

            # The next pass (the scheduler's next minute) takes the files the cut batch left.
            defer_job(SCAN_JOB)
            commit()
            again = runs(SCAN_JOB)[-1]
            assert again.status == "finished", again.error
            assert (again.result["files"], again.result["accepted"], again.result["readings"]) == (6, 6, 18)
            assert not any(p.exists() for p in paths)
            stored = db.session.scalars(sa.select(DataFile)).all()
            assert sorted(archive.read(f.archive_path) for f in stored) == sorted(written.values())
            per_key = db.session.execute(
                sa.select(sa.func.count())
                .select_from(Reading)
                .where(Reading.station_id == station_id)
                .group_by(Reading.parameter, Reading.measured_at)
            ).scalars()
            assert sorted(per_key) == [1] * 36
    finally:
        admin.dispose()
        dispose(app)
