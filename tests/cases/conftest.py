"""Fixtures of the cases tests: an obliged facility, its stations and a month of their data."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from app.compliance.services import store_obligations
from app.extensions import db
from app.formatting import LOCAL_TZ
from app.stations.models import Station
from app.telemetry.rollups import add_readings
from app.telemetry.slots import day_start

# The day of the checks (decree-05-2025 in force, its deadline 2024-12-31 passed); the month judged.
AS_OF = date(2026, 1, 15)
DECEMBER = (date(2025, 12, 1), date(2025, 12, 31))


def local(text: str) -> datetime:
    """A local moment from ``YYYY-MM-DD hh:mm``."""
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ)


def send(station: Station, first: date, last: date, skip=None, value_at=None) -> None:
    """Store a valid reading of every parameter every 5 minutes of the days, except where ``skip(moment)``.

    Values lie inside every limit (pH 7, others 3) unless ``value_at(moment, code)`` says otherwise.
    """
    readings = []
    moment, end = day_start(first), day_start(last + timedelta(days=1))
    while moment < end:
        if not (skip and skip(moment)):
            for code in station.parameters:
                value = (value_at and value_at(moment, code)) or ("7" if code == "pH" else "3")
                readings.append((station.id, code, moment, Decimal(value), 0))
        moment += timedelta(minutes=5)
    add_readings(readings)
    last_moment = readings[-1][2] if readings else None
    if last_moment and (station.last_reading_at is None or last_moment > station.last_reading_at):
        station.last_reading_at = last_moment
    db.session.flush()


@pytest.fixture
def facility(make_facility):
    """A seafood plant (620 m³/day of wastewater) whose wastewater obligation is required."""
    made = make_facility(
        pollution_risk_type=True,
        wastewater_flow_m3_day=620,
        industry_type="seafood",
        commune="Phường Thốt Nốt",
        qcvn_column="A",
        kq=Decimal(1),
        kf=Decimal(1),
    )
    db.session.refresh(made)
    store_obligations(made, AS_OF)
    return made


@pytest.fixture
def required_parameters(facility) -> list[str]:
    """The parameters the facility's wastewater obligation requires."""
    (obligation,) = [
        o for o in facility.obligations if o.kind == "wastewater" and o.regime == "decree-05-2025"
    ]
    assert obligation.status == "required"
    return list(obligation.parameters)


@pytest.fixture
def make_station(facility, required_parameters):
    """Create a wastewater station of the facility (installed and connected unless told)."""

    def make(code: str | None = None, connected: bool = True, **values) -> Station:
        code = code or f"NT{uuid.uuid4().hex[:5].upper()}"
        station = Station(
            code=code,
            code_key=code.lower(),
            kind=values.pop("kind", "wastewater"),
            facility_id=facility.id,
            parameters=values.pop("parameters", required_parameters),
            installed_at=values.pop("installed_at", date(2025, 6, 1)),
            data_expected_from=local("2025-06-01 00:00") if connected else None,
            **values,
        )
        db.session.add(station)
        db.session.flush()
        return station

    return make
