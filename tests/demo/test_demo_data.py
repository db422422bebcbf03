"""The full demo's 30 days of data: completeness, gaps, excused windows and exceedances (one build)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import sqlalchemy as sa

from app.compliance.limits import wastewater_limit
from app.db import utcnow
from app.demo.services import build_demo
from app.demo.telemetry import DEMO_DAYS
from app.extensions import db
from app.stations.models import ExcuseWindow, Station, StationStatusChange
from app.telemetry.figures import hourly_means, station_completeness
from app.telemetry.models import ANY_PARAMETER, DayRollup, Reading
from app.telemetry.slots import local_day


def test_the_full_demo_has_a_month_of_plausible_data():
    summary = build_demo(reset=False)
    now = utcnow()
    today = local_day(now)
    first = today - timedelta(days=DEMO_DAYS - 1)
    stations = {s.code: s for s in db.session.scalars(sa.select(Station))}

    def rate(code: str, excused: bool = False, key: str = "connection_rate") -> float:
        return station_completeness(stations[code], first, today, now, excused)[key]

    assert summary["days"] == DEMO_DAYS and summary["readings"] > 1_000_000
    figures = {code: rate(code) for code, s in stations.items() if s.last_reading_at is not None}
    # A clean line, a flaky one (~97%), a bad one (~80%), whole days missing, a station lost days ago.
    assert figures["XL001NT1"] > 0.99 and rate("XL001NT1", key="validity_rate") < 1
    assert 0.95 < figures["XL003NT1"] < 0.985
    assert 0.75 < figures["XL006NT1"] < 0.85
    missing = {today - timedelta(days=n) for n in (11, 12)}
    days_with_data = set(
        db.session.scalars(
            sa.select(DayRollup.day).where(
                DayRollup.station_id == stations["XL005NT1"].id, DayRollup.parameter == ANY_PARAMETER
            )
        )
    )
    assert not missing & days_with_data and len(days_with_data) >= DEMO_DAYS - 3
    assert 0.85 < figures["XL004NT1"] < 0.92

    # The approved maintenance window covers an outage: excused figures are better than raw ones.
    [maintenance] = db.session.scalars(
        sa.select(ExcuseWindow).where(ExcuseWindow.kind == "maintenance", ExcuseWindow.status == "approved")
    ).all()
    code = maintenance.station.code
    raw = station_completeness(stations[code], first, today, now)
    excused = station_completeness(stations[code], first, today, now, excused=True)
    assert excused["connection_rate"] > raw["connection_rate"]
    assert raw["gaps_over_1h"] > excused["gaps_over_1h"]
    # So does the suspension, from its start on.
    assert rate("DU002NT1", excused=True) > 0.99 > 0.85 > rate("DU002NT1")

    # Some hours of COD above 150 x Kq x Kf, and calibrations and device errors.
    station = stations["XL002NT1"]
    facility = station.facility
    inputs = {"wastewater_flow_m3_day": facility.wastewater_flow_m3_day, "kq": facility.kq, "kf": facility.kf}
    limit = wastewater_limit("COD", inputs)
    assert limit.high == 150
    means = [h.mean for h in hourly_means(station, "COD", first, today) if h.mean is not None]
    assert 3 <= sum(mean > limit.high for mean in means) <= 10 and min(means) > 15
    statuses = Counter(db.session.scalars(sa.select(Reading.status).where(Reading.station_id == station.id)))
    assert statuses[1] > 0 and statuses[2] == 0
    assert db.session.scalar(sa.select(sa.func.count()).where(Reading.status == 2)) > 0

    # The timelines tell when data stopped.
    steps = {
        code: [
            c.status
            for c in db.session.scalars(
                sa.select(StationStatusChange)
                .where(StationStatusChange.station_id == stations[code].id)
                .order_by(StationStatusChange.id)
            )
        ]
        for code in ("DU002NT1", "XL004NT1", "GI001NT1")
    }
    assert steps == {
        "DU002NT1": ["receiving", "suspended"],
        "XL004NT1": ["receiving", "lost"],
        "GI001NT1": ["receiving", "lost"],
    }
