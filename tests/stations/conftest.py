"""Fixtures of the stations tests: stations, and facilities whose obligations are stored."""

from __future__ import annotations

import uuid

import pytest

from app.compliance.services import store_obligations
from app.extensions import db
from app.facilities.models import EmissionSource
from app.stations.models import Station


@pytest.fixture
def make_station(app):
    """Create a station (of a facility unless ambient)."""

    def make(
        facility=None, code: str | None = None, kind: str = "wastewater", source=None, **values
    ) -> Station:
        code = code or f"ST{uuid.uuid4().hex[:6].upper()}"
        station = Station(
            code=code,
            code_key=code.lower(),
            kind=kind,
            facility_id=facility.id if facility is not None else None,
            source_id=source.id if source is not None else None,
            parameters=values.pop("parameters", []),
            **values,
        )
        db.session.add(station)
        db.session.flush()
        return station

    return make


@pytest.fixture
def obliged_facility(make_facility):
    """Create a facility with its obligations stored (sources given as (code, kind, fuel))."""

    def make(code: str | None = None, enterprise=None, sources=(), **attrs):
        facility = make_facility(code, enterprise, **attrs)
        for source_code, kind, *fuel in sources:
            db.session.add(
                EmissionSource(
                    code=source_code,
                    facility_id=facility.id,
                    source_kind=kind,
                    fuel=fuel[0] if fuel else None,
                )
            )
        db.session.flush()
        db.session.refresh(facility)
        store_obligations(facility)
        return facility

    return make


@pytest.fixture
def wastewater_required(obliged_facility):
    """A facility whose wastewater obligation is required under the regime in force (620 m³/day)."""
    return obliged_facility(pollution_risk_type=True, wastewater_flow_m3_day=620, industry_type="seafood")


@pytest.fixture
def wastewater_optional(obliged_facility):
    """A facility whose wastewater obligation is optional under the regime in force (300 m³/day)."""
    return obliged_facility(pollution_risk_type=True, wastewater_flow_m3_day=300, industry_type="seafood")


@pytest.fixture
def not_obliged(obliged_facility):
    """A facility under no obligation."""
    return obliged_facility(wastewater_flow_m3_day=10)


@pytest.fixture
def cement(obliged_facility):
    """A cement plant: a clinker kiln K1 and a cement mill M1 trigger; a boiler B1 does not."""
    return obliged_facility(
        industry_type="cement",
        sources=(("K1", "clinker_kiln"), ("M1", "cement_mill"), ("B1", "boiler", "coal")),
    )
