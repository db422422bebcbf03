"""What the public disclosure page shows, from the functions every other page uses.

Nothing is computed here: obligations and coverage come from
``app.stations.coverage_services``, station statuses from ``app.stations.services.observe``,
last full month's completeness from ``app.telemetry.figures.stations_completeness`` (the
figures of ``flask telemetry completeness``), hourly means from
``app.telemetry.figures.hourly_means`` (the rollups, never raw readings), and VN_AQI from
the pure ``app.public.aqi``. Every period is bounded (one month, the last 30 days).

Only the fields listed in ``PUBLIC_FACILITY_FIELDS`` and ``PUBLIC_STATION_FIELDS`` leave
this module: no contact, e-mail, tax code, address, IP address, evidence, case or notice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction

import sqlalchemy as sa

from app.db import utcnow
from app.extensions import db
from app.facilities.models import Facility
from app.public import aqi
from app.public.models import AqiRuleVersion
from app.settings.services import get as setting
from app.stations.coverage_services import coverage_by_facility
from app.stations.models import Station
from app.stations.services import observe
from app.telemetry import figures
from app.telemetry.exceedances import last_full_month
from app.telemetry.slots import day_start, local_day, to_local
from app.telemetry.station_data import station_rates

# The only fields of a facility and of a station the public pages show.
PUBLIC_FACILITY_FIELDS = ("code", "name", "enterprise", "commune", "industry_type", "obligations")
PUBLIC_STATION_FIELDS = ("code", "name", "kind", "status", "last_reading_at", "effective_rate")
# The period of a facility's hourly figures and of an ambient station's daily AQI.
PUBLIC_DAYS = 30
# The hours of hourly AQI shown on an ambient station's page.
AQI_HOURS_SHOWN = 48


def is_enabled() -> bool:
    """Whether an administrator switched the public page on (setting ``public.enabled``)."""
    return bool(int(setting("public.enabled")))


@dataclass(frozen=True)
class PublicStation:
    """A station as the public sees it."""

    code: str
    name: str | None
    kind: str
    status: str
    last_reading_at: datetime | None
    # Last full month's effective rate (raw), exact; None when no data was expected.
    effective_rate: Fraction | None


@dataclass(frozen=True)
class PublicFacility:
    """A facility under an obligation as the public sees it."""

    code: str
    name: str
    enterprise: str
    commune: str | None
    industry_type: str | None
    obligations: tuple[str, ...]
    stations: tuple[PublicStation, ...] = field(default=())


def _public_stations(stations: Sequence[Station], as_of: datetime) -> dict[int, PublicStation]:
    """Each serving station with its status now and last full month's effective rate (raw)."""
    observed = observe(stations, as_of)
    first, last = last_full_month(local_day(as_of))
    month_end = day_start(last + timedelta(days=1))
    expected = [
        s
        for s in stations
        if observed[s.id].is_serving and s.data_expected_from and s.data_expected_from < month_end
    ]
    month = figures.stations_completeness(expected, first, last, as_of) if expected else {}
    return {
        s.id: PublicStation(
            code=s.code,
            name=s.name,
            kind=s.kind,
            status=str(observed[s.id].state.status),
            last_reading_at=s.last_reading_at,
            effective_rate=station_rates(month[s.id]).effective if s.id in month else None,
        )
        for s in stations
        if observed[s.id].is_serving
    }


def facilities_under_obligation(
    as_of: datetime | None = None, code: str | None = None
) -> list[PublicFacility]:
    """Facilities under an obligation (regime in force) with their serving stations, by code."""
    as_of = to_local(as_of or utcnow())
    query = sa.select(Facility).order_by(Facility.code)
    if code is not None:
        query = query.where(Facility.code == code)
    facilities = list(db.session.scalars(query))
    coverages = coverage_by_facility(facilities, as_of)
    kinds = {
        f.id: tuple(c.kind for c in coverages.get(f.id, []) if c.is_under_obligation) for f in facilities
    }
    obliged = [f for f in facilities if kinds[f.id]]
    if not obliged:
        return []
    stations = list(
        db.session.scalars(
            sa.select(Station)
            .where(Station.facility_id.in_([f.id for f in obliged]))
            .order_by(Station.code_key)
        )
    )
    shown = _public_stations(stations, as_of)
    return [
        PublicFacility(
            code=f.code,
            name=f.name,
            enterprise=f.enterprise.name,
            commune=f.commune,
            industry_type=f.industry_type,
            obligations=kinds[f.id],
            stations=tuple(shown[s.id] for s in stations if s.facility_id == f.id and s.id in shown),
        )
        for f in obliged
    ]


def last_month(as_of: datetime | None = None) -> tuple[date, date]:
    """The last full month the list's completeness is of."""
    return last_full_month(local_day(as_of or utcnow()))


def public_period(as_of: datetime | None = None) -> tuple[date, date]:
    """The last ``PUBLIC_DAYS`` local days, today included."""
    today = local_day(as_of or utcnow())
    return today - timedelta(days=PUBLIC_DAYS - 1), today


@dataclass(frozen=True)
class StationHours:
    """A station's hourly means of its parameters over the public period."""

    station: str
    parameters: tuple[str, ...]
    hours: tuple[datetime, ...]
    means: dict[str, tuple[float | None, ...]]


def station_hours(station: Station, first: date, last: date) -> StationHours:
    """Hourly means of every parameter of the station, days first..last (one query)."""
    parameters = tuple(station.parameters or ())
    series = figures.parameters_hourly_means(station, parameters, first, last)
    hours = tuple(h.start for h in next(iter(series.values()), []))
    if not hours:
        hours = tuple(day_start(first) + timedelta(hours=i) for i in range(((last - first).days + 1) * 24))
    return StationHours(
        station.code, parameters, hours, {p: tuple(h.mean for h in found) for p, found in series.items()}
    )


def serving_stations(facility_code: str, as_of: datetime | None = None) -> list[Station]:
    """The stations serving an obligation of a facility, by code."""
    as_of = to_local(as_of or utcnow())
    stations = list(
        db.session.scalars(
            sa.select(Station)
            .join(Facility, Station.facility_id == Facility.id)
            .where(Facility.code == facility_code)
            .order_by(Station.code_key)
        )
    )
    observed = observe(stations, as_of)
    return [s for s in stations if observed[s.id].is_serving]


def aqi_rules(on: date) -> tuple[aqi.AqiRules, AqiRuleVersion] | None:
    """The VN_AQI rule data in force on a day (the latest recorded version valid then)."""
    version = db.session.scalar(
        sa.select(AqiRuleVersion)
        .where(
            AqiRuleVersion.valid_from <= on,
            sa.or_(AqiRuleVersion.valid_to.is_(None), AqiRuleVersion.valid_to >= on),
        )
        .order_by(AqiRuleVersion.recorded_at.desc(), AqiRuleVersion.id.desc())
        .limit(1)
    )
    return None if version is None else (aqi.rules_from_data(version.data), version)


def ambient_stations(code: str | None = None) -> list[Station]:
    """The department's ambient stations from which data is expected (or the one of a code), by code."""
    query = sa.select(Station).where(Station.kind == "ambient", Station.data_expected_from.is_not(None))
    if code is not None:
        query = query.where(Station.code_key == code.lower())
    return list(db.session.scalars(query.order_by(Station.code_key)))
