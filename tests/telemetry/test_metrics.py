"""Completeness figures: expected slots, rates, gaps and excused slots, from bitmaps."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from fractions import Fraction

import pytest

from app.formatting import format_percent as format_percent_vi
from app.telemetry.metrics import StationData, completeness
from app.telemetry.slots import LOCAL_TZ, slot_of, to_bytes

DAY = date(2026, 1, 15)
NEXT = DAY + timedelta(days=1)
END_OF_DAY = datetime(2026, 1, 16, tzinfo=LOCAL_TZ)
MIDNIGHT = datetime(2026, 1, 15, tzinfo=LOCAL_TZ)
KEYS = {
    "station",
    "from",
    "to",
    "excused",
    "expected_slots",
    "data_slots",
    "connection_rate",
    "gaps_over_1h",
    "longest_gap_slots",
    "transmission_rate",
    "validity_rate",
    "effective_rate",
    "parameters",
    "gaps",
}
PARAMETER_KEYS = {
    "expected",
    "received",
    "valid",
    "transmission_rate",
    "validity_rate",
    "effective_rate",
    "gaps",
}


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL_TZ)


def every(start: datetime, end: datetime) -> list[datetime]:
    """Slot starts from start (inclusive) to end (exclusive)."""
    moments = []
    while start < end:
        moments.append(start)
        start += timedelta(minutes=5)
    return moments


def per_day(moments: Iterable[datetime]) -> dict[date, int]:
    bitmaps: dict[date, int] = {}
    for moment in moments:
        day, index = slot_of(moment)
        bitmaps[day] = bitmaps.get(day, 0) | 1 << index
    return bitmaps


def station(
    received: dict[str, list[datetime]],
    valid: dict[str, list[datetime]] | None = None,
    *,
    others: Iterable[datetime] = (),
    required: list[str] | None = None,
    expected_from: datetime | None = MIDNIGHT,
    windows: list = (),
    kind: str | None = None,
) -> StationData:
    valid = received if valid is None else valid
    everything = [m for moments in received.values() for m in moments] + list(others)
    return StationData(
        station="NT1",
        required_parameters=list(received) if required is None else required,
        any_slots=per_day(everything),
        received={code: per_day(moments) for code, moments in received.items()},
        valid={code: per_day(moments) for code, moments in valid.items()},
        data_expected_from=expected_from,
        excused_windows=list(windows),
        kind=kind,
    )


def test_full_day_of_data() -> None:
    data = station({"COD": every(at(0), END_OF_DAY)})
    result = completeness(data, DAY, DAY, END_OF_DAY)
    assert set(result) == KEYS
    assert set(result["parameters"]["COD"]) == PARAMETER_KEYS
    assert result["station"] == "NT1"
    assert (result["from"], result["to"], result["excused"]) == ("2026-01-15", "2026-01-15", False)
    assert (result["expected_slots"], result["data_slots"]) == (288, 288)
    assert result["connection_rate"] == 1.0
    assert result["gaps"] == [] and result["gaps_over_1h"] == 0
    assert result["longest_gap_slots"] == 0
    assert result["parameters"]["COD"]["gaps"] == []
    assert result["transmission_rate"] == result["validity_rate"] == result["effective_rate"] == 1
    json.dumps(result)


def test_rates_are_unrounded_fractions() -> None:
    readings = every(at(0), at(12))
    valid = readings[:100]
    result = completeness(station({"COD": readings}, {"COD": valid}), DAY, DAY, END_OF_DAY)
    cod = result["parameters"]["COD"]
    assert (cod["expected"], cod["received"], cod["valid"]) == (288, 144, 100)
    assert cod["transmission_rate"] == 0.5
    assert cod["validity_rate"] == 100 / 144
    assert cod["effective_rate"] == 100 / 288
    assert result["connection_rate"] == 0.5


def test_as_of_clips_expected_slots() -> None:
    data = station({"COD": every(at(0), END_OF_DAY)})
    result = completeness(data, DAY, DAY, at(12, 2))
    assert result["expected_slots"] == 144
    assert result["data_slots"] == 144
    assert result["connection_rate"] == 1.0


def test_readings_after_as_of_do_not_count_but_late_files_do() -> None:
    data = station({"COD": every(at(6), END_OF_DAY)})
    result = completeness(data, DAY, DAY, at(12))
    assert result["expected_slots"] == 144
    assert result["data_slots"] == 72
    assert result["gaps"] == [
        {"start": "2026-01-15T00:00:00+07:00", "end": "2026-01-15T06:00:00+07:00", "slots": 72}
    ]


def test_data_expected_from_mid_slot() -> None:
    data = station({"COD": every(at(10), END_OF_DAY)}, expected_from=at(10, 2))
    result = completeness(data, DAY, DAY, END_OF_DAY)
    assert result["expected_slots"] == 288 - 121
    assert result["data_slots"] == 288 - 121
    assert result["gaps"] == []


def test_gap_at_the_start_of_the_window_starts_at_data_expected_from() -> None:
    data = station({"COD": every(at(11), END_OF_DAY)}, expected_from=at(10, 2))
    result = completeness(data, DAY, DAY, END_OF_DAY)
    assert result["gaps"] == [
        {"start": "2026-01-15T10:05:00+07:00", "end": "2026-01-15T11:00:00+07:00", "slots": 11}
    ]
    assert result["gaps_over_1h"] == 0
    assert result["longest_gap_slots"] == 11


def test_gap_at_the_end_is_cut_by_as_of() -> None:
    data = station({"COD": every(at(0), at(9))})
    result = completeness(data, DAY, DAY, at(10, 37))
    assert result["gaps"] == [
        {"start": "2026-01-15T09:00:00+07:00", "end": "2026-01-15T10:35:00+07:00", "slots": 19}
    ]
    assert result["gaps_over_1h"] == 1


def test_gap_at_the_end_of_the_period_ends_at_midnight() -> None:
    data = station({"COD": every(at(0), at(23))})
    result = completeness(data, DAY, DAY, at(12, day=NEXT))
    assert result["expected_slots"] == 288
    assert result["gaps"] == [
        {"start": "2026-01-15T23:00:00+07:00", "end": "2026-01-16T00:00:00+07:00", "slots": 12}
    ]


def test_gap_across_midnight_is_one_gap() -> None:
    readings = every(at(0), at(23, 50)) + every(at(0, 10, day=NEXT), at(0, day=NEXT + timedelta(1)))
    result = completeness(station({"COD": readings}), DAY, NEXT, at(0, day=NEXT + timedelta(2)))
    assert result["expected_slots"] == 576
    assert result["gaps"] == [
        {"start": "2026-01-15T23:50:00+07:00", "end": "2026-01-16T00:10:00+07:00", "slots": 4}
    ]
    assert result["parameters"]["COD"]["gaps"] == result["gaps"]


def test_gaps_are_ordered_and_counted() -> None:
    readings = every(at(0), at(1)) + every(at(2), at(3)) + every(at(3, 55), END_OF_DAY)
    result = completeness(station({"COD": readings}), DAY, DAY, END_OF_DAY)
    assert [gap["slots"] for gap in result["gaps"]] == [12, 11]
    assert result["gaps"][0]["start"] == "2026-01-15T01:00:00+07:00"
    assert result["gaps"][1]["end"] == "2026-01-15T03:55:00+07:00"
    assert result["gaps_over_1h"] == 1
    assert result["longest_gap_slots"] == 12


def test_parameter_gaps_and_station_gaps_differ() -> None:
    data = station({"COD": every(at(0), at(12)), "pH": every(at(12), END_OF_DAY)})
    result = completeness(data, DAY, DAY, END_OF_DAY)
    assert result["gaps"] == []
    assert result["parameters"]["COD"]["gaps"] == [
        {"start": "2026-01-15T12:00:00+07:00", "end": "2026-01-16T00:00:00+07:00", "slots": 144}
    ]
    assert result["parameters"]["pH"]["gaps"][0]["slots"] == 144


def test_readings_of_non_required_parameters_count_only_as_station_data() -> None:
    data = station({"COD": every(at(0), at(12))}, others=every(at(12), END_OF_DAY))
    result = completeness(data, DAY, DAY, END_OF_DAY)
    assert result["data_slots"] == 288
    assert result["gaps"] == []
    assert result["parameters"]["COD"]["received"] == 144
    assert list(result["parameters"]) == ["COD"]


def test_required_parameter_with_no_reading() -> None:
    data = station({"COD": every(at(0), END_OF_DAY)}, required=["COD", "pH"])
    result = completeness(data, DAY, DAY, END_OF_DAY)
    ph = result["parameters"]["pH"]
    assert (ph["received"], ph["valid"]) == (0, 0)
    assert ph["transmission_rate"] == 0.0
    assert ph["validity_rate"] is None
    assert ph["effective_rate"] == 0.0
    assert ph["gaps"] == [
        {"start": "2026-01-15T00:00:00+07:00", "end": "2026-01-16T00:00:00+07:00", "slots": 288}
    ]
    assert result["transmission_rate"] == 0.5
    assert result["validity_rate"] == 1.0
    assert result["effective_rate"] == 0.5


def test_station_rates_are_plain_means_not_products() -> None:
    data = station(
        {"COD": every(at(0), END_OF_DAY), "pH": every(at(0), at(12)), "TSS": every(at(0), at(6))},
        {"COD": every(at(0), at(6)), "pH": every(at(0), at(12)), "TSS": []},
    )
    result = completeness(data, DAY, DAY, END_OF_DAY)
    transmission = (1 + 0.5 + 0.25) / 3
    validity = (0.25 + 1 + 0) / 3
    effective = (0.25 + 0.5 + 0) / 3
    assert result["transmission_rate"] == pytest.approx(transmission, abs=1e-12)
    assert result["validity_rate"] == pytest.approx(validity, abs=1e-12)
    assert result["effective_rate"] == pytest.approx(effective, abs=1e-12)
    assert result["effective_rate"] != pytest.approx(transmission * validity, abs=1e-6)


def test_station_validity_is_the_mean_over_non_null_parameters() -> None:
    data = station(
        {"COD": every(at(0), END_OF_DAY), "pH": []},
        {"COD": every(at(0), at(18)), "pH": []},
    )
    result = completeness(data, DAY, DAY, END_OF_DAY)
    assert result["parameters"]["pH"]["validity_rate"] is None
    assert result["validity_rate"] == 0.75


def test_station_validity_is_null_when_nothing_was_received() -> None:
    result = completeness(station({"COD": [], "pH": []}), DAY, DAY, END_OF_DAY)
    assert result["validity_rate"] is None
    assert result["transmission_rate"] == 0.0
    assert result["connection_rate"] == 0.0
    assert result["gaps"][0]["slots"] == 288


def test_every_rate_is_null_when_nothing_is_expected() -> None:
    data = station({"COD": every(at(0), END_OF_DAY)}, expected_from=None)
    result = completeness(data, DAY, DAY, END_OF_DAY)
    assert result["expected_slots"] == 0
    assert result["data_slots"] == 0
    for key in ("connection_rate", "transmission_rate", "validity_rate", "effective_rate"):
        assert result[key] is None
    cod = result["parameters"]["COD"]
    assert (cod["expected"], cod["received"], cod["valid"]) == (0, 0, 0)
    assert cod["transmission_rate"] is cod["validity_rate"] is cod["effective_rate"] is None
    assert result["gaps"] == [] and result["longest_gap_slots"] == 0


def test_as_of_before_the_period_expects_nothing() -> None:
    result = completeness(station({"COD": []}), DAY, DAY, at(23, day=DAY - timedelta(1)))
    assert result["expected_slots"] == 0
    assert result["connection_rate"] is None


def test_station_without_required_parameters() -> None:
    data = station({}, others=every(at(0), at(12)), required=[])
    result = completeness(data, DAY, DAY, END_OF_DAY)
    assert result["parameters"] == {}
    assert result["connection_rate"] == 0.5
    means = [result[key] for key in ("transmission_rate", "validity_rate", "effective_rate")]
    assert means == [None, None, None]


def test_excused_slots_are_removed_and_split_a_gap() -> None:
    readings = every(at(0), at(10)) + every(at(12), END_OF_DAY)
    windows = [(at(10, 42), at(11, 13))]
    data = station({"COD": readings}, windows=windows)
    raw = completeness(data, DAY, DAY, END_OF_DAY)
    assert raw["excused"] is False
    assert raw["expected_slots"] == 288
    assert raw["gaps"] == [
        {"start": "2026-01-15T10:00:00+07:00", "end": "2026-01-15T12:00:00+07:00", "slots": 24}
    ]
    excused = completeness(data, DAY, DAY, END_OF_DAY, excused=True)
    assert excused["excused"] is True
    assert excused["expected_slots"] == 288 - 5
    assert excused["gaps"] == [
        {"start": "2026-01-15T10:00:00+07:00", "end": "2026-01-15T10:45:00+07:00", "slots": 9},
        {"start": "2026-01-15T11:10:00+07:00", "end": "2026-01-15T12:00:00+07:00", "slots": 10},
    ]
    assert excused["parameters"]["COD"]["gaps"] == excused["gaps"]
    assert excused["gaps_over_1h"] == 0
    assert excused["connection_rate"] == 264 / 283
    assert raw["connection_rate"] == 264 / 288


def test_excused_slots_with_data_leave_received_and_valid() -> None:
    data = station({"COD": every(at(0), END_OF_DAY)}, windows=[(at(0), at(6))])
    result = completeness(data, DAY, DAY, END_OF_DAY, excused=True)
    cod = result["parameters"]["COD"]
    assert (cod["expected"], cod["received"], cod["valid"]) == (216, 216, 216)
    assert result["data_slots"] == 216
    assert result["effective_rate"] == 1.0


def test_period_of_several_days_and_bytes_bitmaps() -> None:
    readings = every(at(0), at(0, day=NEXT + timedelta(1)))
    data = station({"COD": readings})
    stored = StationData(
        station="NT1",
        required_parameters=["COD"],
        any_slots={day: to_bytes(bitmap) for day, bitmap in data.any_slots.items()},
        received={"COD": {d: to_bytes(b) for d, b in data.received["COD"].items()}},
        valid={},
        data_expected_from=at(0),
    )
    result = completeness(stored, DAY, NEXT + timedelta(1), at(12, day=NEXT + timedelta(1)))
    assert result["expected_slots"] == 288 * 2 + 144
    assert result["data_slots"] == 576
    assert result["parameters"]["COD"]["valid"] == 0
    assert result["parameters"]["COD"]["validity_rate"] == 0.0
    assert result["gaps"][0]["start"] == "2026-01-17T00:00:00+07:00"


def test_parameters_follow_the_canonical_order_of_the_kind() -> None:
    data = station({"zinc": [], "COD": [], "pH": [], "FLOW_OUT": []}, kind="wastewater")
    result = completeness(data, DAY, DAY, END_OF_DAY)
    assert list(result["parameters"]) == ["FLOW_OUT", "pH", "COD", "zinc"]


def test_empty_period() -> None:
    result = completeness(station({"COD": []}), NEXT, DAY, END_OF_DAY)
    assert result["expected_slots"] == 0
    assert result["gaps"] == []


@pytest.mark.parametrize(
    ("numerator", "denominator", "text"),
    [
        (8725, 10000, "87,3%"),
        (8724, 10000, "87,2%"),
        (87249, 100000, "87,2%"),
        (1, 3, "33,3%"),
        (2, 3, "66,7%"),
        (0, 288, "0,0%"),
        (1, 2000, "0,1%"),
        (1, 2001, "0,0%"),
        (288, 288, "100,0%"),
        (287, 288, "99,7%"),
        (12, 1, "1.200,0%"),
        (0, 0, "—"),
    ],
)
def test_format_percent_vi(numerator: int, denominator: int, text: str) -> None:
    assert format_percent_vi(numerator, denominator) == text


def test_format_percent_vi_of_exact_fractions() -> None:
    assert format_percent_vi(Fraction(8725, 10000), 1) == "87,3%"
    assert format_percent_vi(Fraction(1, 3) + Fraction(1, 2), 2) == "41,7%"
