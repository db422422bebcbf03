"""Fixtures of the public page tests: a facility under an obligation and an ambient station, with rollups."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.compliance.services import store_obligations
from app.db import utcnow
from app.extensions import db
from app.public import cache
from app.settings.services import update
from app.stations.models import Station
from app.telemetry.models import ANY_PARAMETER, DayRollup
from app.telemetry.slots import day_start, local_day, to_bytes

SLOTS_PER_HOUR = 12


def write_hours(station: Station, day: date, values: Mapping[str, Mapping[int, float]]) -> None:
    """Day rollups of a station: every slot of the given hours valid, each hour's mean as given."""
    seen = 0
    for parameter, hours in values.items():
        bits = 0
        for hour in hours:
            bits |= ((1 << SLOTS_PER_HOUR) - 1) << (hour * SLOTS_PER_HOUR)
        seen |= bits
        db.session.add(
            DayRollup(
                station_id=station.id,
                parameter=parameter,
                day=day,
                received=to_bytes(bits),
                valid=to_bytes(bits),
                hour_sums=[hours.get(h, 0) * SLOTS_PER_HOUR for h in range(24)],
                hour_counts=[SLOTS_PER_HOUR if h in hours else 0 for h in range(24)],
            )
        )
    db.session.add(
        DayRollup(
            station_id=station.id,
            parameter=ANY_PARAMETER,
            day=day,
            received=to_bytes(seen),
            valid=to_bytes(seen),
            hour_sums=None,
            hour_counts=None,
        )
    )
    db.session.flush()


def all_hours(value: float) -> dict[int, float]:
    return dict.fromkeys(range(24), value)


@pytest.fixture(autouse=True)
def _no_kept_pages():
    """Each test starts and ends with no public page kept by the cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def switched_on(app):
    """The public page switched on by an administrator."""
    update({"public.enabled": 1}, reason="test")
    db.session.flush()


@pytest.fixture
def today() -> date:
    return local_day(utcnow())


@pytest.fixture
def obliged(make_facility, make_enterprise, today):
    """A facility under a wastewater obligation, its private fields carrying marker strings."""
    enterprise = make_enterprise("Công ty CP Thủy sản Công Khai", tax_code="MST-PRIVATE-1")
    enterprise.address = "ADDR-ENTERPRISE-PRIVATE"
    facility = make_facility(
        "CT-PUB-001",
        enterprise,
        name="Nhà máy chế biến thủy sản Công Khai",
        commune="Phường Ninh Kiều",
        pollution_risk_type=True,
        wastewater_flow_m3_day=Decimal(620),
        industry_type="seafood",
        contact_email="contact-private@example.vn",
        address="ADDR-FACILITY-PRIVATE",
    )
    store_obligations(facility)
    month_start = today.replace(day=1) - timedelta(days=1)
    month_start = month_start.replace(day=1)
    station = Station(
        code="PUBNT1",
        code_key="pubnt1",
        kind="wastewater",
        facility_id=facility.id,
        name="Trạm nước thải sau xử lý",
        parameters=["pH", "COD"],
        installed_at=month_start - timedelta(days=30),
        data_expected_from=day_start(month_start - timedelta(days=20)),
        last_reading_at=day_start(today) - timedelta(hours=14),
        datalogger_make="LOGGER-PRIVATE",
        datalogger_ip="10.99.88.77",
    )
    db.session.add(station)
    db.session.flush()
    for offset in range(10):
        write_hours(
            station, month_start + timedelta(days=offset), {"pH": all_hours(7.2), "COD": all_hours(40)}
        )
    yesterday = today - timedelta(days=1)
    write_hours(station, yesterday, {"pH": {8: 7.125}, "COD": {8: 41.5, 9: 42.25}})
    return facility


@pytest.fixture
def ambient(today):
    """An ambient station with hourly means of PM2.5 and NO2 for yesterday and today."""
    station = Station(
        code="PUBKK1",
        code_key="pubkk1",
        kind="ambient",
        name="Trạm không khí xung quanh Công Khai",
        parameters=["PM10", "PM2_5", "O3", "NO2", "SO2", "CO"],
        installed_at=today - timedelta(days=100),
        data_expected_from=day_start(today - timedelta(days=90)),
        datalogger_ip="10.77.66.55",
    )
    db.session.add(station)
    db.session.flush()
    for day in (today - timedelta(days=1), today):
        write_hours(station, day, {"PM2_5": all_hours(40.0), "NO2": all_hours(150.0)})
    return station
