"""Reading only the parameters the figures need, and gap times formatted once per period."""

from __future__ import annotations

import random
from datetime import date, timedelta

from app.extensions import db
from app.telemetry import metrics
from app.telemetry.models import ANY_PARAMETER, DayRollup
from app.telemetry.period_rollups import period_bitmaps
from app.telemetry.slots import FULL_DAY, to_bytes
from tests.telemetry.ingest_helpers import at, new_station

FIRST = date(2026, 3, 1)
LAST = date(2026, 3, 10)


def add(station, parameter: str, day: date, received: int, valid: int) -> None:
    db.session.add(
        DayRollup(
            station_id=station.id,
            parameter=parameter,
            day=day,
            received=to_bytes(received),
            valid=to_bytes(valid),
            hour_sums=None,
            hour_counts=None,
        )
    )


def test_only_the_named_parameters_are_read_with_the_same_bitmaps(app):
    rng = random.Random(3)
    stations = [new_station(f"PR{number}", data_expected_from=at(0, 0, day=FIRST)) for number in range(3)]
    for station in stations:
        for offset in range(-2, 13):  # days outside the period too
            day = FIRST + timedelta(days=offset)
            if rng.random() < 0.25:
                continue
            for code in (ANY_PARAMETER, "pH", "COD", "TSS"):
                received = rng.getrandbits(288)
                add(station, code, day, received, received & rng.getrandbits(288))
    db.session.flush()
    ids = [station.id for station in stations]
    everything = period_bitmaps(ids, FIRST, LAST)
    assert {parameter for _id, parameter in everything} == {ANY_PARAMETER, "pH", "COD", "TSS"}

    wanted = {
        stations[0].id: [ANY_PARAMETER, "pH", "pH"],  # a code twice is read once
        stations[1].id: ["COD", "NH4"],  # no rollup of NH4: nothing for it
    }
    found = period_bitmaps(ids, FIRST, LAST, wanted)
    assert set(found) == {(stations[0].id, ANY_PARAMETER), (stations[0].id, "pH"), (stations[1].id, "COD")}
    for key, bitmaps in found.items():
        assert bitmaps == everything[key]
    assert period_bitmaps(ids, FIRST, LAST, {}) == {}


def test_a_full_period_is_read_as_it_is_stored(app):
    station = new_station("PR9", data_expected_from=at(0, 0, day=FIRST))
    for offset in range(10):
        add(station, "pH", FIRST + timedelta(days=offset), FULL_DAY, FULL_DAY >> offset)
    db.session.flush()
    received, valid = period_bitmaps([station.id], FIRST, LAST, {station.id: ["pH"]})[(station.id, "pH")]
    assert received == (1 << (288 * 10)) - 1
    assert valid == sum((FULL_DAY >> offset) << (288 * offset) for offset in range(10))


def test_gap_times_are_those_of_the_gaps_whatever_periods_came_before():
    rng = random.Random(8)
    # More first days than the formatter keeps, alternating, so its texts are made again.
    for round_ in range(40):
        first = date(2026, 1, 1) + timedelta(days=rng.randrange(30))
        day_count = rng.randrange(1, 4)
        received = rng.getrandbits(288 * day_count) & rng.getrandbits(288 * day_count)
        data = metrics.PeriodData(
            station="PR",
            required_parameters=["pH"],
            any_slots=received,
            received={"pH": received},
            valid={"pH": received},
            data_expected_from=at(0, 0, day=first) + timedelta(minutes=5 * round_),
        )
        figures = metrics.period_completeness(data, first, first + timedelta(days=day_count - 1), None)
        expected_slots = (1 << (288 * day_count)) - (1 << round_)
        gaps = [gap.as_dict() for gap in metrics.find_gaps(expected_slots & ~received, first)]
        assert figures["gaps"] == gaps
        assert figures["parameters"]["pH"]["gaps"] == gaps
        assert gaps and all(item["start"].endswith("+07:00") for item in gaps)
