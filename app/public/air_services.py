"""Ambient stations' VN_AQI for the public page: hourly means from the rollups, the index from ``aqi``.

A station's hourly AQI needs the 12 hours before each hour (NowCast) and its daily AQI
the 7 hours before each day (O3's 8-hour means), so one more day is read before the
period shown; the period is bounded (the last 30 days).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.db import utcnow
from app.public import aqi
from app.public.models import AqiRuleVersion
from app.public.services import AQI_HOURS_SHOWN, PUBLIC_DAYS, ambient_stations, aqi_rules
from app.stations.models import Station
from app.telemetry import figures
from app.telemetry.slots import local_day, to_local

LEAD_HOURS = 24


@dataclass(frozen=True)
class HourAqi:
    """The AQI of one local hour (``index.aqi`` None: no AQI)."""

    start: datetime
    index: aqi.Index


@dataclass(frozen=True)
class DayAqi:
    """The AQI of one local day."""

    day: date
    index: aqi.Index


@dataclass(frozen=True)
class StationAir:
    """An ambient station's daily AQI over the public period and hourly AQI of its last 3 days."""

    station: Station
    hours: list[HourAqi]
    days: list[DayAqi]

    def latest_hour(self, now: datetime) -> HourAqi | None:
        """The latest hour that has ended and has an AQI, if it began within the last 4 hours."""
        ended = [h for h in self.hours if h.start + timedelta(hours=1) <= now and h.index.aqi is not None]
        latest = ended[-1] if ended else None
        return latest if latest and now - latest.start <= timedelta(hours=4) else None

    def latest_day(self, today: date) -> DayAqi | None:
        """The latest day before today with an AQI."""
        found = [d for d in self.days if d.day < today and d.index.aqi is not None]
        return found[-1] if found else None


def _series(station: Station, parameters: list[str], first: date, last: date) -> tuple[list, dict]:
    means = figures.parameters_hourly_means(station, parameters, first, last)
    starts = [h.start for h in next(iter(means.values()))] if means else []
    return starts, {p: [h.mean for h in found] for p, found in means.items()}


def station_air(station: Station, rules: aqi.AqiRules, first: date, last: date) -> StationAir:
    """Daily AQI of the days first..last, hourly AQI of the last 72 hours (the day before as lead)."""
    parameters = [p for p in rules.parameters if p in (station.parameters or ())]
    starts, series = _series(station, parameters, first - timedelta(days=1), last)
    # Hourly AQI of the hours shown only: the last day's and the 48 before it (the lead still counts).
    first_hour = max(len(starts) - LEAD_HOURS - AQI_HOURS_SHOWN, LEAD_HOURS)
    indexes = aqi.hourly_indexes(series, rules, first_hour)
    hours = [HourAqi(s, i) for s, i in zip(starts[first_hour:], indexes, strict=True)]
    days = []
    for number in range((last - first).days + 1):
        end = LEAD_HOURS * (number + 2)
        window = {p: values[end - LEAD_HOURS - 7 : end] for p, values in series.items()}
        days.append(DayAqi(first + timedelta(days=number), aqi.daily_index(window, rules)))
    return StationAir(station, hours, days)


def air_overview(
    as_of: datetime | None = None, code: str | None = None
) -> tuple[list[StationAir], AqiRuleVersion | None]:
    """Every ambient station's (or one's) AQI over the last 30 days, and the rule version used."""
    now = to_local(as_of or utcnow())
    today = local_day(now)
    found = aqi_rules(today)
    if found is None:
        return [], None
    rules, version = found
    first = today - timedelta(days=PUBLIC_DAYS - 1)
    return [station_air(s, rules, first, today) for s in ambient_stations(code)], version


def recent_hours(air: StationAir, now: datetime) -> list[HourAqi]:
    """The last ``AQI_HOURS_SHOWN`` hours that have ended, latest first."""
    ended = [h for h in air.hours if h.start + timedelta(hours=1) <= now]
    return list(reversed(ended[-AQI_HOURS_SHOWN:]))
