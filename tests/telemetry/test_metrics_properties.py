"""The bitmap implementation of the figures against a slot-by-slot reading of the definitions."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from app.telemetry.metrics import StationData, completeness
from app.telemetry.slots import LOCAL_TZ, SLOT, SLOTS_PER_DAY, slot_of

FAST = settings(max_examples=300, deadline=None, database=None, derandomize=True)
FIRST = date(2026, 1, 15)
ORIGIN = datetime(2026, 1, 15, tzinfo=LOCAL_TZ)
CODES = ("COD", "pH", "TSS")


def reference(
    received: dict[str, set[int]],
    valid: dict[str, set[int]],
    others: set[int],
    n_days: int,
    expected_from: datetime | None,
    as_of: datetime,
    windows: list[tuple[datetime, datetime]],
    excused: bool,
) -> dict:
    """Compute the figures slot by slot, straight from the definitions."""
    expected = []
    for index in range(SLOTS_PER_DAY * n_days):
        start = ORIGIN + SLOT * index
        end = start + SLOT
        if expected_from is None or start < expected_from or end > as_of:
            continue
        if excused and any(w_start <= start and end <= w_end for w_start, w_end in windows):
            continue
        expected.append(index)
    any_slots = others.union(*received.values())

    def gaps(present: set[int]) -> list[dict]:
        runs: list[list[int]] = []
        for index in expected:
            if index in present:
                continue
            if runs and runs[-1][-1] == index - 1:
                runs[-1].append(index)
            else:
                runs.append([index])
        return [
            {
                "start": (ORIGIN + SLOT * run[0]).isoformat(),
                "end": (ORIGIN + SLOT * (run[-1] + 1)).isoformat(),
                "slots": len(run),
            }
            for run in runs
        ]

    n = len(expected)
    parameters = {}
    for code in CODES:
        got = sum(1 for i in expected if i in received[code])
        good = sum(1 for i in expected if i in valid[code])
        parameters[code] = {
            "expected": n,
            "received": got,
            "valid": good,
            "transmission_rate": got / n if n else None,
            "validity_rate": good / got if got else None,
            "effective_rate": good / n if n else None,
            "gaps": gaps(received[code]),
        }
    data_count = sum(1 for i in expected if i in any_slots)
    station_gaps = gaps(any_slots)

    def mean(key: str) -> float | None:
        values = [p[key] for p in parameters.values() if p[key] is not None]
        return sum(values) / len(values) if values and n else None

    return {
        "expected_slots": n,
        "data_slots": data_count,
        "connection_rate": data_count / n if n else None,
        "gaps_over_1h": sum(1 for gap in station_gaps if gap["slots"] >= 12),
        "longest_gap_slots": max((gap["slots"] for gap in station_gaps), default=0),
        "transmission_rate": mean("transmission_rate"),
        "validity_rate": mean("validity_rate"),
        "effective_rate": mean("effective_rate"),
        "parameters": parameters,
        "gaps": station_gaps,
    }


def per_day(indexes: set[int]) -> dict[date, int]:
    bitmaps: dict[date, int] = {}
    for index in indexes:
        day, slot = slot_of(ORIGIN + SLOT * index)
        bitmaps[day] = bitmaps.get(day, 0) | 1 << slot
    return bitmaps


def close(left: float | None, right: float | None) -> bool:
    if left is None or right is None:
        return left is right
    return abs(left - right) < 1e-9


def same_rates(actual: dict, expected: dict) -> bool:
    keys = [key for key in expected if key.endswith("_rate")]
    return all(close(actual[key], expected[key]) for key in keys)


SLOT_SETS = st.sets(st.integers(min_value=0, max_value=3 * SLOTS_PER_DAY - 1), max_size=200)


def spread(runs: list[tuple[int, int]]) -> set[int]:
    return {i for start, length in runs for i in range(start, start + length)}


RUN = st.tuples(st.integers(0, 3 * SLOTS_PER_DAY - 1), st.integers(1, 60))
RUNS = st.lists(RUN, max_size=6).map(spread)
INDEXES = st.one_of(SLOT_SETS, RUNS).map(lambda s: {i for i in s if i < 3 * SLOTS_PER_DAY})
MINUTES = st.integers(min_value=-24 * 60, max_value=4 * 24 * 60).map(
    lambda minutes: ORIGIN + timedelta(minutes=minutes, seconds=minutes % 7)
)


@FAST
@given(
    received=st.fixed_dictionaries({code: INDEXES for code in CODES}),
    valid_share=st.fixed_dictionaries({code: st.integers(0, 3) for code in CODES}),
    others=INDEXES,
    n_days=st.integers(1, 3),
    expected_from=st.one_of(st.none(), MINUTES),
    as_of=MINUTES,
    windows=st.lists(st.tuples(MINUTES, MINUTES), max_size=3),
    excused=st.booleans(),
)
def test_bitmaps_agree_with_the_definitions(
    received, valid_share, others, n_days, expected_from, as_of, windows, excused
) -> None:
    valid = {code: {i for i in got if i % 4 >= valid_share[code]} for code, got in received.items()}
    data = StationData(
        station="S",
        required_parameters=list(CODES),
        any_slots=per_day(others.union(*received.values())),
        received={code: per_day(indexes) for code, indexes in received.items()},
        valid={code: per_day(indexes) for code, indexes in valid.items()},
        data_expected_from=expected_from,
        excused_windows=windows,
    )
    last = FIRST + timedelta(days=n_days - 1)
    actual = completeness(data, FIRST, last, as_of, excused=excused)
    expected = reference(received, valid, others, n_days, expected_from, as_of, windows, excused)
    for key in ("expected_slots", "data_slots", "gaps_over_1h", "longest_gap_slots", "gaps"):
        assert actual[key] == expected[key], key
    assert same_rates(actual, expected)
    for code in CODES:
        got, want = actual["parameters"][code], expected["parameters"][code]
        for key in ("expected", "received", "valid", "gaps"):
            assert got[key] == want[key], (code, key)
        assert same_rates(got, want)
