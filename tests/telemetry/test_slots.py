"""Slot arithmetic of local days and the 288-slot day bitmaps."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.telemetry import slots
from app.telemetry.slots import (
    BITMAP_BYTES,
    FULL_DAY,
    LOCAL_TZ,
    SLOTS_PER_DAY,
    as_bitmap,
    bitmap_of,
    excused_bitmap,
    expected_bitmap,
    from_bytes,
    has_slot,
    local_day,
    popcount,
    set_slot,
    slot_end,
    slot_index,
    slot_indexes,
    slot_of,
    slot_start,
    span_bitmap,
    to_bytes,
    window_bitmap,
)

FAST = settings(max_examples=300, deadline=None, database=None, derandomize=True)
DAY = date(2026, 1, 15)


def at(hour: int, minute: int, second: int = 0, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=LOCAL_TZ)


def indexes(bitmap: int) -> list[int]:
    return slot_indexes(bitmap)


def test_day_has_288_slots_of_36_bytes() -> None:
    assert SLOTS_PER_DAY == 288
    assert BITMAP_BYTES == 36
    assert popcount(FULL_DAY) == 288


def test_slot_of_a_reading() -> None:
    assert slot_index(at(10, 37, 59)) == 127
    assert slot_start(DAY, 127) == at(10, 35)
    assert slot_end(DAY, 127) == at(10, 40)
    assert slot_index(at(0, 0)) == 0
    assert slot_index(at(23, 59, 59)) == 287
    assert slot_of(at(10, 40)) == (DAY, 128)


def test_slots_are_local_time_whatever_the_zone() -> None:
    moment = datetime(2026, 1, 14, 17, 2, tzinfo=UTC)
    assert local_day(moment) == DAY
    assert slot_index(moment) == 0
    assert slot_of(datetime(2026, 1, 15, 16, 59, tzinfo=UTC)) == (DAY, 287)


def test_naive_moments_are_local_time() -> None:
    assert slot_of(datetime(2026, 1, 15, 10, 37)) == (DAY, 127)


def test_slot_start_is_offset_plus_seven() -> None:
    assert slot_start(DAY, 0).isoformat() == "2026-01-15T00:00:00+07:00"
    assert slot_start(DAY, 288).isoformat() == "2026-01-16T00:00:00+07:00"


def test_bitmap_bytes_layout() -> None:
    assert to_bytes(0) == bytes(36)
    assert to_bytes(set_slot(0, 0)) == b"\x01" + bytes(35)
    assert to_bytes(set_slot(0, 9)) == b"\x00\x02" + bytes(34)
    assert to_bytes(set_slot(0, 287)) == bytes(35) + b"\x80"
    assert to_bytes(FULL_DAY) == b"\xff" * 36


def test_bitmap_bytes_round_trip_and_checks() -> None:
    bitmap = set_slot(set_slot(0, 3), 200)
    assert from_bytes(to_bytes(bitmap)) == bitmap
    assert from_bytes(memoryview(to_bytes(bitmap))) == bitmap
    assert from_bytes(None) == 0
    assert from_bytes(b"") == 0
    with pytest.raises(ValueError):
        from_bytes(bytes(35))
    with pytest.raises(ValueError):
        to_bytes(1 << 288)
    with pytest.raises(ValueError):
        to_bytes(-1)


def test_as_bitmap_accepts_ints_and_bytes() -> None:
    assert as_bitmap(None) == 0
    assert as_bitmap(5) == 5
    assert as_bitmap((1 << 300) | 1) == 1
    assert as_bitmap(to_bytes(6)) == 6


def test_set_has_popcount() -> None:
    bitmap = set_slot(set_slot(set_slot(0, 1), 1), 287)
    assert has_slot(bitmap, 1) and has_slot(bitmap, 287)
    assert not has_slot(bitmap, 0)
    assert popcount(bitmap) == 2
    assert indexes(bitmap) == [1, 287]
    with pytest.raises(ValueError):
        set_slot(0, 288)
    with pytest.raises(ValueError):
        has_slot(0, -1)


def test_bitmap_of_moments() -> None:
    moments = [at(0, 1), at(0, 4, 59), at(10, 37), at(0, 0, day=DAY + timedelta(days=1))]
    assert indexes(bitmap_of(moments, DAY)) == [0, 127]


def test_span_bitmap_is_clipped() -> None:
    assert indexes(span_bitmap(-5, 2)) == [0, 1]
    assert span_bitmap(286, 400) == set_slot(set_slot(0, 286), 287)
    assert span_bitmap(5, 5) == 0
    assert span_bitmap(6, 5) == 0


def test_no_data_expected_from_means_no_expected_slot() -> None:
    assert expected_bitmap(DAY, None, at(23, 0)) == 0


def test_whole_day_expected() -> None:
    assert expected_bitmap(DAY, at(0, 0), at(0, 0, day=DAY + timedelta(days=1))) == FULL_DAY
    assert expected_bitmap(DAY, datetime(2025, 1, 1, tzinfo=LOCAL_TZ), None) == FULL_DAY


def test_expected_from_mid_slot_starts_at_the_next_slot() -> None:
    bitmap = expected_bitmap(DAY, at(10, 2), None)
    assert indexes(bitmap)[0] == 121
    assert popcount(bitmap) == 288 - 121
    assert indexes(expected_bitmap(DAY, at(10, 0), None))[0] == 120
    assert indexes(expected_bitmap(DAY, at(10, 4, 59), None))[0] == 121


def test_as_of_keeps_only_slots_that_have_ended() -> None:
    bitmap = expected_bitmap(DAY, at(0, 0), at(10, 37))
    assert indexes(bitmap)[-1] == 126
    assert popcount(bitmap) == 127
    assert indexes(expected_bitmap(DAY, at(0, 0), at(10, 35)))[-1] == 126
    assert indexes(expected_bitmap(DAY, at(0, 0), at(10, 40)))[-1] == 127


def test_as_of_in_another_zone() -> None:
    as_of = datetime(2026, 1, 15, 5, 0, tzinfo=UTC)
    assert popcount(expected_bitmap(DAY, at(0, 0), as_of)) == 144


def test_window_outside_the_day() -> None:
    assert expected_bitmap(DAY, at(0, 0), at(23, 0, day=DAY - timedelta(days=1))) == 0
    assert expected_bitmap(DAY, at(0, 5, day=DAY + timedelta(days=1)), None) == 0
    assert expected_bitmap(DAY, at(12, 0), at(11, 0)) == 0
    assert expected_bitmap(DAY, at(12, 0), at(12, 4)) == 0


def test_excused_slots_lie_wholly_inside_a_window() -> None:
    bitmap = excused_bitmap(DAY, [(at(10, 2), at(10, 58))])
    assert indexes(bitmap) == list(range(121, 131))


def test_excused_windows_are_not_joined() -> None:
    split = [(at(10, 0), at(10, 2)), (at(10, 2), at(10, 10))]
    assert indexes(excused_bitmap(DAY, split)) == [121]
    overlapping = [(at(10, 0), at(10, 20)), (at(10, 10), at(10, 30))]
    assert indexes(excused_bitmap(DAY, overlapping)) == list(range(120, 126))


def test_excused_window_across_days_and_open_ended() -> None:
    windows = [(at(23, 0, day=DAY - timedelta(days=1)), at(1, 0))]
    assert indexes(excused_bitmap(DAY, windows)) == list(range(12))
    assert excused_bitmap(DAY, [(None, None)]) == FULL_DAY
    assert indexes(excused_bitmap(DAY, [(at(23, 50), None)])) == [286, 287]
    assert excused_bitmap(DAY, []) == 0


def test_days_inclusive() -> None:
    assert list(slots.days(DAY, DAY + timedelta(days=2)))[-1] == DAY + timedelta(days=2)
    assert list(slots.days(DAY, DAY - timedelta(days=1))) == []


@FAST
@given(st.integers(min_value=0, max_value=FULL_DAY))
def test_bytes_round_trip(bitmap: int) -> None:
    stored = to_bytes(bitmap)
    assert len(stored) == 36
    assert from_bytes(stored) == bitmap
    assert popcount(bitmap) == sum(bin(byte).count("1") for byte in stored)


MOMENTS = st.integers(min_value=-2 * 86400, max_value=3 * 86400).map(
    lambda seconds: at(0, 0) + timedelta(seconds=seconds)
)


@FAST
@given(st.one_of(st.none(), MOMENTS), st.one_of(st.none(), MOMENTS))
def test_window_bitmap_matches_slot_by_slot_definition(start, end) -> None:
    bitmap = window_bitmap(DAY, start, end)
    for index in range(SLOTS_PER_DAY):
        inside = (start is None or slot_start(DAY, index) >= start) and (
            end is None or slot_end(DAY, index) <= end
        )
        assert has_slot(bitmap, index) is inside


@FAST
@given(MOMENTS)
def test_slot_contains_its_moment(moment: datetime) -> None:
    day, index = slot_of(moment)
    assert slot_start(day, index) <= moment < slot_end(day, index)
    assert has_slot(bitmap_of([moment.astimezone(UTC)], day), index)
