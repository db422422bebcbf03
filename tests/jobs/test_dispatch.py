"""The outbox: runs recorded with the change, executed after commit, retried, never lost."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.db import commit, rollback, utcnow
from app.extensions import db
from app.jobs.dispatch import defer_job, job
from app.jobs.models import JobRun
from app.jobs.runner import run_job
from app.jobs.services import runs_to_enqueue, schedule_due

CALLS: list[dict] = []


@job("tests.echo")
def echo_job(ctx, value: int = 0) -> dict:
    ctx.progress(1, 2, "halfway")
    seen = db.session.get(JobRun, ctx.run_id, populate_existing=True)
    CALLS.append({"value": value, "done_seen": seen.progress_done})
    return {"echo": value}


@job("tests.flaky", max_attempts=2)
def flaky_job(ctx) -> None:
    raise RuntimeError("device unreachable")


@pytest.fixture(autouse=True)
def _clear():
    CALLS.clear()


def test_job_runs_after_commit_with_progress_and_result():
    run = defer_job("tests.echo", value=7)
    assert CALLS == []  # nothing runs before the commit
    commit()
    db.session.refresh(run)
    assert CALLS == [{"value": 7, "done_seen": 1}]
    assert run.status == "finished" and run.result == {"echo": 7}
    assert run.progress_done == run.progress_total == 2
    assert run.attempts == 1 and run.finished_at is not None


def test_rolled_back_change_loses_its_job_too():
    defer_job("tests.echo", value=1)
    rollback()
    commit()
    assert CALLS == []
    assert db.session.scalar(sa.select(sa.func.count(JobRun.id)).where(JobRun.name == "tests.echo")) == 0


def test_once_per_transaction_reuses_the_run_deferred_in_the_same_transaction():
    first = defer_job("tests.echo", once_per_transaction=True, value=5)
    assert defer_job("tests.echo", once_per_transaction=True, value=5) is first
    other = defer_job("tests.echo", once_per_transaction=True, value=6)
    assert other is not first
    commit()
    assert sorted(c["value"] for c in CALLS) == [5, 6]
    later = defer_job("tests.echo", once_per_transaction=True, value=5)
    assert later.id != first.id


def test_a_run_executes_once_even_if_enqueued_twice():
    run = defer_job("tests.echo", value=3)
    commit()
    assert run_job(run.id) == "finished"
    assert len(CALLS) == 1


def test_failure_is_retried_later_then_marked_failed():
    run = defer_job("tests.flaky")
    commit()
    db.session.refresh(run)
    assert run.status == "pending" and run.attempts == 1
    assert run.run_after > utcnow() + timedelta(seconds=20)
    assert "device unreachable" in run.error
    assert run_job(run.id) == "pending"  # not due yet: left alone
    run.run_after = utcnow() - timedelta(seconds=1)
    commit()
    assert run_job(run.id) == "failed"
    db.session.refresh(run)
    assert run.attempts == 2 and run.finished_at is not None


def test_sweeper_takes_stale_pending_and_overdue_running_runs(app):
    stale = defer_job("tests.echo", value=1)
    fresh = defer_job("tests.echo", value=2)
    dead = defer_job("tests.echo", value=3)
    db.session.info.clear()  # as if Redis refused them at commit
    stale.created_at = utcnow() - timedelta(minutes=10)
    dead.status, dead.started_at = "running", utcnow() - timedelta(hours=2)
    db.session.flush()
    taken = runs_to_enqueue()
    assert stale.id in taken and dead.id in taken and fresh.id not in taken
    commit()
    assert sorted(c["value"] for c in CALLS) == [1, 3]


def test_periodic_ticks_are_created_once_per_slot():
    now = utcnow()
    first = schedule_due(now)
    assert first  # every periodic job has a slot due
    db.session.info.clear()
    assert schedule_due(now) == []
    keys = db.session.scalars(sa.select(JobRun.dedupe_key).where(JobRun.id.in_(first))).all()
    assert all("@" in key for key in keys)


def test_jobs_page_shows_progress(client, make_user, login):
    run = defer_job("tests.echo", value=5)
    commit()
    login(make_user("admin"))
    page = client.get("/admin/jobs/").get_data(as_text=True)
    assert "tests.echo" in page and "<progress" in page
    status = client.get(f"/admin/jobs/{run.id}.json").get_json()
    assert status["status"] == "finished" and status["percent"] == 100


def test_after_commit_actions_run_only_after_a_commit():
    from app.db import after_commit

    done = []
    after_commit(lambda: done.append("rolled back"))
    rollback()
    commit()
    assert done == []
    after_commit(lambda: done.append("committed"))
    assert done == []
    commit()
    assert done == ["committed"]
