"""The one-pass reading of many stations' rollups gives the figures of the per-day reading."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from app.extensions import db
from app.stations.models import ExcuseWindow
from app.telemetry import figures, metrics
from app.telemetry.models import ANY_PARAMETER, DayRollup
from app.telemetry.period_rollups import period_bitmaps
from app.telemetry.slots import FULL_DAY, as_bitmap, day_start, to_bytes
from tests.telemetry.ingest_helpers import at, new_station

FIRST = date(2026, 1, 10)
LAST = date(2026, 1, 19)


def add(station, parameter: str, day: date, received: int | bytes, valid: int | bytes) -> None:
    db.session.add(
        DayRollup(
            station_id=station.id,
            parameter=parameter,
            day=day,
            received=received if isinstance(received, bytes) else to_bytes(received),
            valid=valid if isinstance(valid, bytes) else to_bytes(valid),
            hour_sums=None,
            hour_counts=None,
        )
    )


@pytest.fixture
def stations(app):
    rng = random.Random(5)
    made = []
    for number in range(3):
        station = new_station(f"NT{number}", data_expected_from=at(8, 0, day=FIRST))
        made.append(station)
        for day_index in range(12):  # days before and after the period too
            day = FIRST - timedelta(days=1) + timedelta(days=day_index)
            if rng.random() < 0.3:
                continue  # a day without data: the period's bytes are not contiguous
            received = rng.getrandbits(288) | rng.getrandbits(288)
            valid = received & rng.getrandbits(288)
            add(station, ANY_PARAMETER, day, received, 0)
            for code in ("pH", "COD", "BOD5"):  # BOD5 is not required
                add(station, code, day, received & rng.getrandbits(288), valid & rng.getrandbits(288))
    start = at(9, 0, day=FIRST + timedelta(days=2))
    db.session.add(
        ExcuseWindow(
            station_id=made[1].id,
            kind="maintenance",
            status="approved",
            starts_at=start,
            expected_end_at=start + timedelta(hours=6),
            ends_at=start + timedelta(hours=5, minutes=2),
            reason="bảo trì",
        )
    )
    db.session.flush()
    return made


def per_day(stations, as_of, excused):
    data = figures.station_data(stations, FIRST, LAST)
    return {
        key: metrics.completeness(item, FIRST, LAST, as_of, excused=excused) for key, item in data.items()
    }


@pytest.mark.parametrize("excused", [False, True])
def test_the_one_pass_figures_equal_the_per_day_figures(stations, excused):
    as_of = day_start(LAST) + timedelta(hours=15, minutes=7)
    bulk = figures.stations_completeness(stations, FIRST, LAST, as_of, excused=excused)
    assert bulk == per_day(stations, as_of, excused)
    assert bulk[stations[1].id]["expected_slots"] < bulk[stations[0].id]["expected_slots"] or not excused
    assert figures.station_completeness(stations[1], FIRST, LAST, as_of, excused) == bulk[stations[1].id]


def test_bitmaps_are_placed_by_day_whatever_is_missing(stations):
    station = stations[0]
    found = period_bitmaps([station.id], FIRST, LAST)
    data = figures.station_data([station], FIRST, LAST)[station.id]
    period = [FIRST + timedelta(days=k) for k in range(10)]
    expected = sum(as_bitmap(data.received["pH"].get(day)) << (288 * k) for k, day in enumerate(period))
    assert found[(station.id, "pH")][0] == expected
    assert found[(station.id, ANY_PARAMETER)][0] >> (288 * 10) == 0


def test_an_empty_bitmap_is_no_slot_and_a_malformed_one_fails(app):
    station = new_station("NT9", data_expected_from=at(0, 0, day=FIRST))
    add(station, "pH", FIRST, b"", b"")
    add(station, "pH", FIRST + timedelta(days=1), FULL_DAY, FULL_DAY)
    db.session.flush()
    assert period_bitmaps([station.id], FIRST, LAST)[(station.id, "pH")] == (FULL_DAY << 288, FULL_DAY << 288)
    add(station, "COD", FIRST, b"\x01\x02", b"")
    db.session.flush()
    with pytest.raises(ValueError, match="36 bytes"):
        period_bitmaps([station.id], FIRST, LAST)
