"""The nightly refresh: the previous and the current month's snapshots, again, by ``flask jobs run``."""

from __future__ import annotations

import json

import sqlalchemy as sa

from app.compliance.services import today
from app.dashboard.models import FacilityMonth
from app.dashboard.services import closed_month
from app.extensions import db
from app.jobs.schedule import PERIODIC
from tests.dashboard.conftest import DECEMBER


def test_the_refresh_recomputes_the_previous_and_current_month(app, facility, december):
    assert any(p.job == "dashboard.refresh_snapshots" and p.at is not None for p in PERIODIC)
    result = app.test_cli_runner().invoke(args=["jobs", "run", "dashboard.refresh_snapshots"])
    assert result.exit_code == 0, result.output
    done = json.loads(result.stdout)["result"]["months"]
    wanted = [closed_month(), today().replace(day=1)]
    assert [m["month"] for m in done] == [f"{m:%Y-%m}" for m in wanted]
    months = set(
        db.session.scalars(sa.select(FacilityMonth.month).where(FacilityMonth.facility_id == facility.id))
    )
    assert months >= {*wanted, DECEMBER}
