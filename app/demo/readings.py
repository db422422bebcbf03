"""The demo's readings, written straight into ``readings`` and ``day_rollups`` (no files).

One reading per parameter per 5-minute slot, from the station's data-expected-from
moment up to the last full slot before the build, except where its data plan
(province_stations.py) or its excuse windows say otherwise: an approved maintenance
window or a closed incident is an outage, an incident or suspension without an
actual end stops the data at its start.
Analysers are calibrated every few days (status 01 for 15–30 minutes); device
errors give status 02; exceedances are hours above the facility's discharge limit.

Rows go through the ingest's own writers: ``storage.insert_readings`` (COPY on
PostgreSQL, executemany on SQLite) and ``rollups.write_totals`` with the day totals
built here from the same slots (bitmaps of app.telemetry.slots). Readings written
this way belong to no data file: their ``file_id`` is 0.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from app.compliance.limits import emission_limit, wastewater_limit
from app.demo.province_stations import CALIBRATED, DataPlan, Episode
from app.demo.signals import Signal, signal
from app.stations.models import ExcuseWindow, Station
from app.telemetry import rollups, storage
from app.telemetry.models import ANY_PARAMETER
from app.telemetry.rollups import DayTotals
from app.telemetry.slots import (
    SLOT,
    SLOTS_PER_DAY,
    day_start,
    days,
    local_day,
    slot_floor,
    slot_indexes,
    to_local,
    window_bitmap,
)

NO_FILE = 0
# A datalogger sends its file about a minute after the measurement.
SEND_DELAY = timedelta(seconds=70)
# An approved maintenance window: the station is off from its start until shortly before its end.
BACK_BEFORE_END = timedelta(minutes=15)
# Windows that tell what happened (a rejected or cancelled one does not).
OPEN = ("pending", "approved")


def first_day(today: date, days_count: int, plan: DataPlan | None) -> date:
    """The first local day of a station's data: ``days_count`` days counting today, capped by the plan."""
    count = min(days_count, plan.days) if plan is not None and plan.days else days_count
    return today - timedelta(days=max(1, count) - 1)


def _span(episode: Episode, today: date) -> tuple[datetime, datetime]:
    start = day_start(today - timedelta(days=episode.days_ago)) + timedelta(hours=episode.hour)
    return start, start + timedelta(hours=episode.hours)


def _bits(day: date, spans: Iterable[tuple[datetime, datetime]]) -> int:
    bitmap = 0
    for start, end in spans:
        bitmap |= window_bitmap(day, start, end)
    return bitmap


@dataclass
class Context:
    """What every station's rows share: the build's moment, today, and the slots' UTC moments."""

    now: datetime
    days: int
    rows: int = 0
    totals: dict = field(default_factory=dict)
    _moments: dict[date, tuple[list[datetime], list[datetime]]] = field(default_factory=dict)
    _decimals: dict[int, _Decimals] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return local_day(self.now)

    @property
    def end(self) -> datetime:
        """The end of the last slot written directly: the start of the build's current slot."""
        return slot_floor(self.now)

    def moments(self, day: date) -> tuple[list[datetime], list[datetime]]:
        """The UTC start of each slot of a day, and the moment its file was received."""
        found = self._moments.get(day)
        if found is None:
            start = day_start(day).astimezone(UTC)
            measured = [start + index * SLOT for index in range(SLOTS_PER_DAY)]
            found = self._moments[day] = (measured, [min(m + SEND_DELAY, self.now) for m in measured])
        return found

    def decimals(self, places: int) -> dict[int, Decimal]:
        """Stored values by their integer of the last decimal: ``key / 10**places``, one Decimal each."""
        found = self._decimals.get(places)
        if found is None:
            found = self._decimals[places] = _Decimals(places)
        return found


class _Decimals(dict):
    """Decimals made once: ``cache[key]`` is ``Decimal(key).scaleb(-places)``."""

    def __init__(self, places: int) -> None:
        super().__init__()
        self.places = places

    def __missing__(self, key: int) -> Decimal:
        value = self[key] = Decimal(key).scaleb(-self.places)
        return value


@dataclass
class StationInput:
    """A station with what shapes its data: plan, flow scale, limits and excuse windows."""

    station: Station
    plan: DataPlan
    scale: float
    limits: dict[str, float]
    windows: list[ExcuseWindow]


def limits_of(station: Station) -> dict[str, float]:
    """The upper discharge limits of the station's parameters (none for ambient stations)."""
    facility = station.facility
    found: dict[str, float] = {}
    if facility is None:
        return found
    values = {key: getattr(facility, key) for key in ("qcvn_column", "kq", "kf", "kp", "kv")}
    values["wastewater_flow_m3_day"] = facility.wastewater_flow_m3_day
    total_flow = sum(float(s.flow_m3_h or 0) for s in facility.sources)
    for parameter in station.parameters:
        if station.kind == "wastewater":
            limit = wastewater_limit(parameter, values)
        else:
            limit = emission_limit(parameter, values, total_flow)
        if limit is not None and limit.high is not None:
            found[parameter] = limit.high
    return found


def _stop(item: StationInput, ctx: Context) -> datetime:
    """Where the station's data ends: the build, or earlier (plan, an incident or suspension still open)."""
    stop = ctx.end
    if item.plan.stop_hours_ago is not None:
        stop = min(stop, slot_floor(ctx.now - timedelta(hours=item.plan.stop_hours_ago)))
    for window in item.windows:
        if window.kind != "maintenance" and window.status in OPEN and window.ends_at is None:
            stop = min(stop, slot_floor(window.starts_at))
    return stop


def _outages(item: StationInput, today: date) -> list[tuple[datetime, datetime]]:
    """The plan's outages, and the station off during its approved maintenance and closed incidents."""
    spans = [_span(episode, today) for episode in item.plan.outages]
    for window in item.windows:
        if window.kind == "maintenance" and window.status == "approved":
            spans.append((to_local(window.starts_at), to_local(window.excused_until) - BACK_BEFORE_END))
        elif window.kind != "maintenance" and window.status in OPEN and window.ends_at is not None:
            spans.append((to_local(window.starts_at), to_local(window.ends_at)))
    return spans


def _drops(rng: random.Random, bitmap: int, rate: float, max_run: int) -> int:
    """Clear short runs of slots (a flaky line) so that about ``rate`` of them are lost."""
    if rate <= 0:
        return bitmap
    mean_run = (1 + max_run) / 2
    chance = rate / (mean_run * (1 - rate))
    index = 0
    while index < SLOTS_PER_DAY:
        if rng.random() < chance:
            run = rng.randint(1, max_run)
            bitmap &= ~(((1 << run) - 1) << index)
            index += run + 1
        else:
            index += 1
    return bitmap


def _present(item: StationInput, ctx: Context, rng: random.Random) -> dict[date, int]:
    """The slots of each day with a reading (of every parameter)."""
    start, stop = item.station.data_expected_from, _stop(item, ctx)
    if start is None or stop <= to_local(start):
        return {}
    outages = _outages(item, ctx.today)
    missing = {ctx.today - timedelta(days=n) for n in item.plan.missing_days}
    found: dict[date, int] = {}
    for day in days(local_day(start), local_day(stop - SLOT)):
        if day in missing:
            continue
        bitmap = window_bitmap(day, start, stop) & ~_bits(day, outages)
        bitmap = _drops(rng, bitmap, item.plan.drop_rate, item.plan.max_run)
        if bitmap:
            found[day] = bitmap
    return found


def _calibrations(plan: DataPlan, days_with_data: Iterable[date], rng: random.Random) -> dict[date, int]:
    """Every few days, 15 to 30 minutes of calibration at a station's usual hour."""
    hour = rng.randint(7, 15)
    found: dict[date, int] = {}
    for day in days_with_data:
        if day.toordinal() % plan.calibration_every_days == hour % plan.calibration_every_days:
            first = hour * 12 + rng.randint(0, 6)
            found[day] = ((1 << rng.randint(3, 6)) - 1) << first
    return found


def _errors(plan: DataPlan, today: date) -> dict[str, list[tuple[datetime, datetime]]]:
    """The device errors' stretches, by parameter."""
    found: dict[str, list[tuple[datetime, datetime]]] = {}
    for episode in plan.errors:
        found.setdefault(episode.parameter or "", []).append(_span(episode, today))
    return found


def _over(item: StationInput, today: date, day: date, parameter: str) -> dict[int, float]:
    """The slots of a day where a parameter exceeds its limit, with the value aimed at."""
    limit = item.limits.get(parameter)
    found: dict[int, float] = {}
    for episode in item.plan.exceedances:
        if episode.parameter == parameter and limit is not None:
            for index in slot_indexes(_bits(day, [_span(episode, today)])):
                found[index] = limit * episode.factor
    return found


def _keys(sig: Signal, indexes: list[int], over: dict[int, float]) -> list[int]:
    """The values of one parameter-day at these slots, as integers of the signal's last decimal."""
    profile, low, high, noise, multiplier = sig.profile, sig.low, sig.high, sig.noise, sig.multiplier
    rnd, drift = sig.rng.random, sig.drift()
    keys = []
    for index in indexes:
        if over and index in over:
            value = sig.around(over[index])
        else:
            value = profile[index] + drift + (rnd() + rnd() - 1.0) * noise
            value = low if value < low else high if value > high else value
        keys.append(round(value * multiplier))
    return keys


def write_station(item: StationInput, ctx: Context) -> int:
    """Write a station's readings and add their day totals to ``ctx.totals``; return how many."""
    station, plan = item.station, item.plan
    rng = random.Random(station.code)
    present = _present(item, ctx, rng)
    if not present:
        return 0
    level = plan.level * (0.85 + 0.3 * rng.random())
    signals = {p: signal(p, station.kind, item.scale, level, rng) for p in station.parameters}
    calibrations = _calibrations(plan, present, rng)
    errors = _errors(plan, ctx.today)
    rows: list[storage.ReadingRow] = []
    Row, append, sid = storage.ReadingRow, rows.append, station.id
    for day, bitmap in present.items():
        measured, received = ctx.moments(day)
        valid_any = 0
        for parameter, sig in signals.items():
            calibrating = calibrations.get(day, 0) if parameter in CALIBRATED else 0
            invalid = (calibrating | _bits(day, errors.get(parameter, ()))) & bitmap
            valid = bitmap & ~invalid
            over = _over(item, ctx.today, day, parameter) if plan.exceedances else {}
            indexes = slot_indexes(valid)
            keys = _keys(sig, indexes, over)
            multiplier, cache = sig.multiplier, ctx.decimals(sig.model.decimals)
            sums, counts = [0.0] * 24, [0] * 24
            for index, key in zip(indexes, keys, strict=True):
                sums[index // 12] += key / multiplier
                counts[index // 12] += 1
                append(Row(sid, parameter, measured[index], cache[key], 0, NO_FILE, received[index]))
            wrong = slot_indexes(invalid)
            for index, key in zip(wrong, _keys(sig, wrong, over), strict=True):
                status = 1 if calibrating >> index & 1 else 2
                append(Row(sid, parameter, measured[index], cache[key], status, NO_FILE, received[index]))
            ctx.totals[(sid, parameter, day)] = DayTotals(bitmap, valid, sums, counts)
            valid_any |= valid
        ctx.totals[(sid, ANY_PARAMETER, day)] = DayTotals(bitmap, valid_any, None, None)
    storage.insert_readings(rows)
    last = max(present)
    last_index = max(slot_indexes(present[last]))
    measured, received = ctx.moments(last)
    station.last_reading_at, station.last_file_at = measured[last_index], received[last_index]
    ctx.rows += len(rows)
    return len(rows)


def write_rollups(ctx: Context) -> int:
    """Write the day totals gathered by ``write_station`` (the ingest's OR-merging writer)."""
    return rollups.write_totals(ctx.totals)
