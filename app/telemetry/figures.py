"""The figures of received data, from the day rollups: the one implementation every page uses.

Pages, PDFs, exports, the API and the CLI call these functions; they load only the
rollups of the period (never raw readings) and the approved excuse windows, and
hand them to the pure ``metrics`` module. Hourly means come from the rollups' hourly
sums of valid readings, kept at ingest time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa

from app.extensions import db
from app.stations.models import ExcuseWindow, Station
from app.telemetry import metrics, period_rollups
from app.telemetry.models import ANY_PARAMETER, DayRollup
from app.telemetry.slots import as_bitmap, day_start, days

SLOTS_PER_HOUR = 12
HOURS_PER_DAY = 24


def _windows(station_ids: Sequence[int], first: date, last: date) -> dict[int, list[metrics.Window]]:
    """Approved excuse windows overlapping the period, per station: (start, excused until)."""
    start, end = day_start(first), day_start(last + timedelta(days=1))
    query = sa.select(
        ExcuseWindow.station_id, ExcuseWindow.starts_at, ExcuseWindow.ends_at, ExcuseWindow.expected_end_at
    ).where(
        ExcuseWindow.station_id.in_(station_ids),
        ExcuseWindow.status == "approved",
        ExcuseWindow.starts_at < end,
        sa.func.coalesce(ExcuseWindow.ends_at, ExcuseWindow.expected_end_at) > start,
    )
    windows: dict[int, list[metrics.Window]] = defaultdict(list)
    for station_id, starts_at, ends_at, expected_end_at in db.session.execute(query):
        windows[station_id].append((starts_at, ends_at or expected_end_at))
    return windows


def station_data(
    stations: Sequence[Station], date_from: date, date_to: date
) -> dict[int, metrics.StationData]:
    """Return each station's rollups for the period as ``metrics.StationData`` (one query each kind)."""
    ids = [station.id for station in stations]
    if not ids:
        return {}
    wanted = {station.id: {ANY_PARAMETER, *station.parameters} for station in stations}
    query = sa.select(
        DayRollup.station_id, DayRollup.parameter, DayRollup.day, DayRollup.received, DayRollup.valid
    ).where(DayRollup.station_id.in_(ids), DayRollup.day.between(date_from, date_to))
    any_slots: dict[int, dict[date, int]] = defaultdict(dict)
    received: dict[int, dict[str, dict[date, int]]] = defaultdict(lambda: defaultdict(dict))
    valid: dict[int, dict[str, dict[date, int]]] = defaultdict(lambda: defaultdict(dict))
    for station_id, parameter, day, received_bits, valid_bits in db.session.execute(query):
        if parameter not in wanted[station_id]:
            continue
        if parameter == ANY_PARAMETER:
            any_slots[station_id][day] = as_bitmap(received_bits)
        else:
            received[station_id][parameter][day] = as_bitmap(received_bits)
            valid[station_id][parameter][day] = as_bitmap(valid_bits)
    windows = _windows(ids, date_from, date_to)
    return {
        station.id: metrics.StationData(
            station=station.code,
            required_parameters=list(station.parameters or ()),
            any_slots=any_slots[station.id],
            received=received[station.id],
            valid=valid[station.id],
            data_expected_from=station.data_expected_from,
            excused_windows=windows[station.id],
            kind=station.kind,
        )
        for station in stations
    }


def period_data(stations: Sequence[Station], date_from: date, date_to: date) -> dict[int, metrics.PeriodData]:
    """Return each station's rollups of whole days date_from..date_to as ``metrics.PeriodData`` (one pass)."""
    ids = [station.id for station in stations]
    if not ids:
        return {}
    wanted = {station.id: (ANY_PARAMETER, *(station.parameters or ())) for station in stations}
    bitmaps = period_rollups.period_bitmaps(ids, date_from, date_to, wanted)
    windows = _windows(ids, date_from, date_to)
    data = {}
    for station in stations:
        required = list(station.parameters or ())
        received, valid = {}, {}
        for code in required:
            if (pair := bitmaps.get((station.id, code))) is not None:
                received[code], valid[code] = pair
        data[station.id] = metrics.PeriodData(
            station=station.code,
            required_parameters=required,
            any_slots=bitmaps.get((station.id, ANY_PARAMETER), (0, 0))[0],
            received=received,
            valid=valid,
            data_expected_from=station.data_expected_from,
            excused_windows=windows[station.id],
            kind=station.kind,
        )
    return data


def stations_completeness(
    stations: Sequence[Station], date_from: date, date_to: date, as_of: datetime | None, excused: bool = False
) -> dict[int, dict[str, Any]]:
    """Return the completeness figures (metrics.md) of several stations, by station id (one pass)."""
    data = period_data(stations, date_from, date_to)
    return {
        station_id: metrics.period_completeness(item, date_from, date_to, as_of, excused=excused)
        for station_id, item in data.items()
    }


def station_completeness(
    station: Station, date_from: date, date_to: date, as_of: datetime | None, excused: bool = False
) -> dict[str, Any]:
    """Return one station's completeness figures: the JSON object of the CLI contract."""
    return stations_completeness([station], date_from, date_to, as_of, excused)[station.id]


class HourlyMean(NamedTuple):
    """One local hour of a parameter: its mean of valid readings, or None ("no mean").

    A named tuple: a month of a station's parameters makes thousands of them.
    """

    start: datetime
    mean: float | None
    valid_slots: int
    readings: int


def hourly_means(
    station: Station,
    parameter: str,
    day_from: date,
    day_to: date,
    min_valid_slots: int | None = None,
) -> list[HourlyMean]:
    """Return every local hour of the days with the mean of its valid readings.

    An hour has a mean only when at least ``min_valid_slots`` of its 12 slots hold a
    valid reading (default: the setting ``threshold.hourly_mean_min_slots``).
    """
    return parameters_hourly_means(station, [parameter], day_from, day_to, min_valid_slots)[parameter]


def parameters_hourly_means(
    station: Station,
    parameters: Sequence[str],
    day_from: date,
    day_to: date,
    min_valid_slots: int | None = None,
) -> dict[str, list[HourlyMean]]:
    """``hourly_means`` of several parameters of a station, by parameter (one query)."""
    if min_valid_slots is None:
        from app.settings.services import get

        min_valid_slots = int(get("threshold.hourly_mean_min_slots"))
    wanted = list(dict.fromkeys(parameters))
    rows: dict[str, dict[date, tuple]] = {parameter: {} for parameter in wanted}
    if wanted:
        query = sa.select(
            DayRollup.parameter, DayRollup.day, DayRollup.valid, DayRollup.hour_sums, DayRollup.hour_counts
        ).where(
            DayRollup.station_id == station.id,
            DayRollup.parameter.in_(wanted),
            DayRollup.day.between(day_from, day_to),
        )
        for parameter, day, bits, sums, counts in db.session.execute(query):
            rows[parameter][day] = (as_bitmap(bits), sums, counts)
    offsets = [timedelta(hours=hour) for hour in range(HOURS_PER_DAY)]
    midnights = [(day, day_start(day)) for day in days(day_from, day_to)]
    return {parameter: _hours(rows[parameter], midnights, offsets, min_valid_slots) for parameter in wanted}


def _hours(
    rows: dict[date, tuple],
    midnights: list[tuple[date, datetime]],
    offsets: list[timedelta],
    min_valid_slots: int,
) -> list[HourlyMean]:
    hours: list[HourlyMean] = []
    add, new = hours.append, tuple.__new__  # a HourlyMean without its Python-level __new__
    hour_mask = (1 << SLOTS_PER_HOUR) - 1
    for day, midnight in midnights:
        found = rows.get(day)
        if found is None:  # no reading that day: every hour without a mean
            for offset in offsets:
                add(new(HourlyMean, (midnight + offset, None, 0, 0)))
            continue
        bits, sums, counts = found
        for hour, offset in enumerate(offsets):
            slots = (bits >> (hour * SLOTS_PER_HOUR) & hour_mask).bit_count()
            count = counts[hour] if counts else 0
            mean = sums[hour] / count if count and slots >= min_valid_slots else None
            add(new(HourlyMean, (midnight + offset, mean, slots, count)))
    return hours
