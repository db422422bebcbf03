"""The daily sweep: started once a day from the setting's local time, whichever tick asks first."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from app.cases.jobs import is_due, sweep_key
from app.db import commit
from app.extensions import db
from app.formatting import LOCAL_TZ
from app.jobs.dispatch import defer_job
from app.jobs.models import JobRun
from app.jobs.runner import run_job
from app.jobs.schedule import PERIODIC
from app.settings.services import update


def run(name: str, **args) -> JobRun:
    job_run = defer_job(name, **args)
    db.session.info.clear()
    commit()
    run_job(job_run.id)
    return db.session.get(JobRun, job_run.id)


def test_the_daily_sweep_is_checked_every_few_minutes():
    (entry,) = [p for p in PERIODIC if p.job == "cases.daily_sweep"]
    assert entry.every is not None and entry.every.total_seconds() <= 600


def test_due_from_the_setting_time_in_local_time():
    assert not is_due(datetime(2026, 1, 15, 0, 59, tzinfo=LOCAL_TZ), "01:00")
    assert is_due(datetime(2026, 1, 15, 1, 0, tzinfo=LOCAL_TZ), "01:00")


def test_the_sweep_starts_once_a_day_after_the_setting_time(app, facility):
    update({"threshold.daily_sweep_time": "02:30"})
    early = run("cases.daily_sweep", now=datetime(2026, 1, 15, 2, 0, tzinfo=LOCAL_TZ).isoformat())
    assert early.result == {"started": False, "reason": "not_yet"}
    first = run("cases.daily_sweep", now=datetime(2026, 1, 15, 2, 35, tzinfo=LOCAL_TZ).isoformat())
    assert first.status == "finished" and first.result["started"] is True
    sweep_run = db.session.scalars(
        sa.select(JobRun).where(JobRun.dedupe_key == "cases.sweep@2026-01-15")
    ).one()
    assert sweep_run.status == "finished"
    assert sweep_run.result["as_of"] == "2026-01-15" and sweep_run.result["opened"] >= 1
    again = run("cases.daily_sweep", now=datetime(2026, 1, 15, 23, 0, tzinfo=LOCAL_TZ).isoformat())
    assert again.result == {"started": False, "reason": "already_started"}
    assert sweep_key(datetime(2026, 1, 16).date()) == "cases.sweep@2026-01-16"
