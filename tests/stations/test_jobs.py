"""``stations.refresh_statuses``: a timeline step whenever a station's derived status changes."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from app.db import commit
from app.extensions import db
from app.jobs.dispatch import JOBS, defer_job
from app.jobs.models import JobRun
from app.jobs.schedule import JOB_MODULES, PERIODIC
from app.stations.models import StationStatusChange
from app.stations.services import refresh_statuses
from tests.stations.helpers import AS_OF, local, suspend


def steps(station) -> list[tuple[str, object]]:
    rows = db.session.scalars(
        sa.select(StationStatusChange)
        .where(StationStatusChange.station_id == station.id)
        .order_by(StationStatusChange.id)
    )
    return [(row.status, row.since) for row in rows]


def test_the_job_is_declared_and_runs_every_minute() -> None:
    assert "app.stations.jobs" in JOB_MODULES
    assert "stations.refresh_statuses" in JOBS
    (periodic,) = [p for p in PERIODIC if p.job == "stations.refresh_statuses"]
    assert periodic.every == timedelta(minutes=1)


def test_changes_are_recorded_once_with_the_moment_they_began(wastewater_required, make_station) -> None:
    station = make_station(wastewater_required, installed_at=date(2026, 1, 2))
    station.created_at = local("2026-01-01 09:00")
    assert refresh_statuses(AS_OF, [station.id]) == {"stations": 1, "changes": 1}
    assert refresh_statuses(AS_OF, [station.id]) == {"stations": 1, "changes": 0}
    assert steps(station) == [("installed", local("2026-01-02 00:00"))]

    station.data_expected_from = local("2026-01-15 13:00")
    station.last_reading_at = local("2026-01-15 13:02")
    refresh_statuses(local("2026-01-15 13:10"), [station.id])
    refresh_statuses(local("2026-01-15 14:04"), [station.id])  # 59 minutes after the slot's end
    refresh_statuses(local("2026-01-15 14:06"), [station.id])
    refresh_statuses(local("2026-01-15 14:07"), [station.id])
    suspend(station, local("2026-01-15 15:00"), local("2026-01-16 15:00"))
    refresh_statuses(local("2026-01-15 15:30"), [station.id])
    refresh_statuses(local("2026-01-15 15:31"), [station.id])
    assert steps(station) == [
        ("installed", local("2026-01-02 00:00")),
        ("receiving", local("2026-01-15 13:00")),
        ("lost", local("2026-01-15 14:05")),
        ("suspended", local("2026-01-15 15:00")),
    ]


def test_a_first_step_without_a_known_start_begins_at_creation(not_obliged, make_station) -> None:
    station = make_station(not_obliged)
    station.created_at = local("2026-01-10 10:00")
    refresh_statuses(AS_OF, [station.id])
    assert steps(station) == [("not_required", local("2026-01-10 10:00"))]


def test_the_periodic_run_refreshes_every_station(wastewater_required, make_station) -> None:
    stations = [make_station(wastewater_required) for _ in range(3)]
    run = defer_job("stations.refresh_statuses", as_of=AS_OF.isoformat())
    commit()  # runs inline in the tests' sync mode
    run = db.session.get(JobRun, run.id)
    assert run.status == "finished", run.error
    assert run.result["changes"] >= 3
    # Created after the moment observed: the step begins when observed.
    assert all(steps(s) == [("not_installed", AS_OF)] for s in stations)
    again = defer_job("stations.refresh_statuses", as_of=AS_OF.isoformat())
    commit()
    assert db.session.get(JobRun, again.id).result["changes"] == 0
