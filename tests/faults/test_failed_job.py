"""A job that fails after recording a batch leaves no trace of it: no file leaves the inbox, no job is sent."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from app.db import commit
from app.extensions import db
from app.jobs import dispatch
from app.jobs.models import JobRun
from app.telemetry.ingest import IncomingFile, Sender, ingest_files
from app.telemetry.models import DataFile
from tests.telemetry.ingest_helpers import at, file_name, line, new_station, write

NAME = "faults.fails_after_recording"


def test_a_job_failing_before_its_commit_drops_its_after_commit_actions_and_deferred_jobs(
    app, tmp_path, monkeypatch
):
    from app.telemetry.inbox import inbox_root

    new_station("NT1")
    folder = inbox_root() / f"test-{uuid.uuid4().hex[:10]}"
    path = write(folder, file_name("NT1", at(10, 35)), [line("pH", "7", at(10, 35))])
    received = datetime(2026, 1, 15, 3, 36, tzinfo=UTC)

    def fails_after_recording(ctx):
        # The batch is recorded and its files' removal waits for the commit; a job is deferred.
        ingest_files([IncomingFile(path, received, in_inbox=True)], Sender("ftp:nt1"))
        dispatch.defer_job("auth.purge_login_attempts")
        raise RuntimeError("the connection went away before the commit")

    spec = dispatch.JobSpec(NAME, fails_after_recording, "ingest", 1, 60)
    monkeypatch.setitem(dispatch.JOBS, NAME, spec)
    try:
        run = dispatch.defer_job(NAME)
        commit()  # JOBS_MODE sync: the job runs, fails, and its failure is committed
        assert db.session.get(JobRun, run.id).status == "failed"
        assert path.exists(), "the file of the batch that rolled back is still in the inbox"
        assert db.session.scalars(sa.select(DataFile)).all() == []
        names = db.session.scalars(sa.select(JobRun.name)).all()
        assert "auth.purge_login_attempts" not in names
    finally:
        path.unlink(missing_ok=True)
        folder.rmdir()
