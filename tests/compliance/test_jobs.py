"""``compliance.reevaluate_all``: every facility's obligations stored again, with progress."""

from __future__ import annotations

from datetime import time

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.compliance.models import Obligation
from app.db import commit
from app.extensions import db
from app.jobs.dispatch import JOBS, defer_job
from app.jobs.models import JobRun
from app.jobs.runner import JobContext
from app.jobs.schedule import JOB_MODULES, PERIODIC


def stored(facilities) -> list[Obligation]:
    ids = [f.id for f in facilities]
    return list(db.session.scalars(sa.select(Obligation).where(Obligation.facility_id.in_(ids))))


def test_reevaluate_all_stores_obligations_with_progress(monkeypatch, make_facility):
    facilities = [make_facility(wastewater_flow_m3_day=flow) for flow in (0, 600, 1500)]
    calls = []
    original = JobContext.progress

    def spy(self, done, total=None, message=None):
        calls.append((done, total))
        original(self, done, total, message)

    monkeypatch.setattr(JobContext, "progress", spy)
    run = defer_job("compliance.reevaluate_all", batch_size=2)
    commit()  # runs inline in the tests' sync mode
    run = db.session.get(JobRun, run.id)
    assert run.status == "finished", run.error
    assert run.result == {"facilities": 3}
    assert (run.progress_done, run.progress_total) == (3, 3)
    assert calls == [(0, 3), (2, 3), (3, 3)]
    obligations = stored(facilities)
    assert len(obligations) == 3 * 4 * 2
    big = {(o.regime, o.kind): o.status for o in obligations if o.facility_id == facilities[2].id}
    assert big[("decree-40-2019", "wastewater")] == "required"


def test_a_repeat_is_harmless_and_status_changes_are_audited(make_facility):
    facility = make_facility(wastewater_flow_m3_day=100)
    defer_job("compliance.reevaluate_all")
    commit()
    first = {(o.regime, o.kind, o.status) for o in stored([facility])}
    facility.wastewater_flow_m3_day = 1200
    defer_job("compliance.reevaluate_all")
    commit()
    after = stored([facility])
    assert len(after) == len(first) == 8
    assert {(o.regime, o.kind): o.status for o in after}[("decree-40-2019", "wastewater")] == "required"
    events = db.session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.action == "obligation.status_changed", AuditEvent.object_id == str(facility.id)
        )
    ).all()
    assert events and all(e.actor_label == "job:compliance.reevaluate_all" for e in events)


def test_declared_on_the_default_queue_and_run_nightly():
    assert "app.compliance.jobs" in JOB_MODULES
    assert JOBS["compliance.reevaluate_all"].queue == "default"
    nightly = [p for p in PERIODIC if p.job == "compliance.reevaluate_all"]
    assert len(nightly) == 1 and nightly[0].at == time(0, 30)
