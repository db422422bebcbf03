"""Exceedance hours from hourly means and limits (regulation.md, "Limits for exceedance checks").

Pure: no Flask, no database. An **exceedance hour** is a local clock hour in which the
hourly mean of valid readings of any parameter at any of a facility's stations lies
outside its limit (above ``high``; for pH also below ``low``). It is counted once per
facility, whatever the number of parameters or stations above their limits in that
hour. An hour without a mean (fewer valid slots than the setting asks) is "no mean":
it is shown as such and never counts as an exceedance.

Only hours that have ended by ``until`` and that end after the station's *data expected
from* moment are judged; the others are neither exceedances nor "no mean".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

from app.compliance.limits import Limit

HOUR = timedelta(hours=1)


class HourValue(Protocol):
    """An hour's start (aware, local) and its mean or None (``figures.HourlyMean`` fits)."""

    start: datetime
    mean: float | None


@dataclass(frozen=True)
class Series:
    """The hourly means of one parameter at one station, with the limit that applies (or None)."""

    station: str
    parameter: str
    limit: Limit | None
    hours: Sequence[HourValue]
    since: datetime | None = None


@dataclass
class DayCount:
    """One local day of a series: hours above the limit, hours with a mean, hours without."""

    exceeded: int = 0
    with_mean: int = 0
    no_mean: int = 0


@dataclass
class SeriesResult:
    """A series judged: its hours above the limit and its per-day counts."""

    station: str
    parameter: str
    limit: Limit | None
    exceeded_hours: list[datetime] = field(default_factory=list)
    days: dict[date, DayCount] = field(default_factory=dict)

    @property
    def exceeded(self) -> int:
        """How many hours of this series lie outside the limit."""
        return len(self.exceeded_hours)

    @property
    def no_mean(self) -> int:
        """How many judged hours of this series have no mean."""
        return sum(day.no_mean for day in self.days.values())


@dataclass
class Exceedances:
    """A facility's (or a station's) exceedance hours over a period."""

    hours: list[datetime] = field(default_factory=list)
    series: list[SeriesResult] = field(default_factory=list)
    # Parameter -> local day -> distinct hours above the limit at any station.
    by_parameter_day: dict[str, dict[date, int]] = field(default_factory=dict)

    @property
    def total_hours(self) -> int:
        """Exceedance hours, each clock hour counted once."""
        return len(self.hours)

    def by_day(self) -> dict[date, int]:
        """Exceedance hours per local day (each clock hour once)."""
        found: dict[date, int] = defaultdict(int)
        for hour in self.hours:
            found[hour.date()] += 1
        return dict(found)

    def parameter_total(self, parameter: str) -> int:
        """Distinct hours in which this parameter was above its limit somewhere."""
        return sum(self.by_parameter_day.get(parameter, {}).values())


def is_judged(start: datetime, until: datetime | None, since: datetime | None) -> bool:
    """Whether an hour starting at ``start`` is over by ``until`` and ends after ``since``."""
    end = start + HOUR
    return (until is None or end <= until) and (since is None or end > since)


def judge_series(series: Series, until: datetime | None = None) -> SeriesResult:
    """Count a series' hours above its limit, with a mean and without, per local day."""
    result = SeriesResult(series.station, series.parameter, series.limit)
    since = series.since
    if series.hours:
        # The same instants in the hours' zone: comparing moments of one tzinfo is much cheaper.
        zone = series.hours[0].start.tzinfo
        until = until.astimezone(zone) if until is not None and until.tzinfo is not None else until
        since = since.astimezone(zone) if since is not None and since.tzinfo is not None else since
    days, limit = result.days, series.limit
    for hour in series.hours:
        start = hour.start
        end = start + HOUR  # is_judged, inlined: a month of a facility is thousands of hours
        if (until is not None and end > until) or (since is not None and end <= since):
            continue
        key = start.date()
        day = days.get(key)
        if day is None:
            day = days[key] = DayCount()
        if hour.mean is None:
            day.no_mean += 1
            continue
        day.with_mean += 1
        if limit is not None and limit.exceeded_by(hour.mean):
            day.exceeded += 1
            result.exceeded_hours.append(start)
    return result


def evaluate(series: Iterable[Series], until: datetime | None = None) -> Exceedances:
    """Judge every series and count each clock hour once for the whole set (the facility)."""
    results = [judge_series(item, until) for item in series]
    facility_hours: set[datetime] = set()
    per_parameter: dict[str, set[datetime]] = defaultdict(set)
    for result in results:
        facility_hours.update(result.exceeded_hours)
        per_parameter[result.parameter].update(result.exceeded_hours)
    by_parameter_day: dict[str, dict[date, int]] = {}
    for parameter, hours in per_parameter.items():
        days: dict[date, int] = defaultdict(int)
        for hour in hours:
            days[hour.date()] += 1
        by_parameter_day[parameter] = dict(days)
    return Exceedances(hours=sorted(facility_hours), series=results, by_parameter_day=by_parameter_day)
