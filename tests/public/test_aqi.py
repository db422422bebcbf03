"""VN_AQI from hourly means: every band boundary, NowCast, sufficiency, daily rules (no database)."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.public import aqi
from app.public.aqi_data import seed_aqi

RULES = aqi.rules_from_data(seed_aqi())
INDEX = RULES.index_breakpoints
TABLES = {
    ("O3", "1h"): [0, 160, 200, 300, 400, 800, 1000, 1200],
    ("O3", "8h"): [0, 100, 120, 170, 210, 400],
    ("CO", "1h"): [0, 10000, 30000, 45000, 60000, 90000, 120000, 150000],
    ("SO2", "1h"): [0, 125, 350, 550, 800, 1600, 2100, 2630],
    ("NO2", "1h"): [0, 100, 200, 700, 1200, 2350, 3100, 3850],
    ("PM10", "24h"): [0, 50, 150, 250, 350, 420, 500, 600],
    ("PM2_5", "24h"): [0, 25, 50, 80, 150, 250, 350, 500],
}
CASES = [
    (parameter, averaging, position)
    for (parameter, averaging), values in TABLES.items()
    for position in range(len(values))
]


def index_of(parameter: str, averaging: str, concentration: float) -> int | None:
    return aqi.sub_index(concentration, RULES.tables[parameter][averaging], INDEX)


def test_the_seed_holds_the_regulation_breakpoints():
    assert INDEX == (0, 50, 100, 150, 200, 300, 400, 500)
    for (parameter, averaging), values in TABLES.items():
        assert list(RULES.tables[parameter][averaging]) == values


@pytest.mark.parametrize(("parameter", "averaging", "position"), CASES)
def test_each_breakpoint_gives_its_index_and_just_above_the_next_band(parameter, averaging, position):
    concentration = TABLES[(parameter, averaging)][position]
    assert index_of(parameter, averaging, concentration) == INDEX[position]
    if 0 < position < len(TABLES[(parameter, averaging)]) - 1:
        above = index_of(parameter, averaging, concentration + 0.5 * _step(parameter, averaging, position))
        low, high = INDEX[position], INDEX[position + 1]
        assert low < above < high


def _step(parameter: str, averaging: str, position: int) -> float:
    values = TABLES[(parameter, averaging)]
    return values[position + 1] - values[position]


@pytest.mark.parametrize(
    ("concentration", "expected"),
    [
        (12.5, 25),  # half of the first band
        (25.1, 50),  # 50.2 rounds to 50: still Tốt
        (25.3, 51),  # 50.6 rounds to 51: Trung bình
        (37.5, 75),
        (65, 125),
        (115, 175),
        (200, 250),
        (300, 350),
        (425, 450),
    ],
)
def test_pm25_interpolation_rounds_half_up(concentration, expected):
    assert index_of("PM2_5", "24h", concentration) == expected


def test_half_is_rounded_up_not_to_even():
    # PM10 0..50 µg/m³ maps to 0..50: 2.5 is exactly 2.5, rounded up to 3 (banker's rounding gives 2).
    assert index_of("PM10", "24h", 2.5) == 3
    assert index_of("PM10", "24h", 4.5) == 5


def test_above_the_last_breakpoint_the_last_segment_extends_and_no_value_has_no_index():
    assert index_of("PM2_5", "24h", 650) == 600
    assert index_of("PM2_5", "24h", None) is None
    assert index_of("PM2_5", "24h", -1) is None


@pytest.mark.parametrize(
    ("value", "label", "colour"),
    [
        (0, "Tốt", (0, 228, 0)),
        (50, "Tốt", (0, 228, 0)),
        (51, "Trung bình", (255, 255, 0)),
        (100, "Trung bình", (255, 255, 0)),
        (101, "Kém", (255, 126, 0)),
        (150, "Kém", (255, 126, 0)),
        (151, "Xấu", (255, 0, 0)),
        (200, "Xấu", (255, 0, 0)),
        (201, "Rất xấu", (143, 63, 151)),
        (300, "Rất xấu", (143, 63, 151)),
        (301, "Nguy hại", (126, 0, 35)),
        (500, "Nguy hại", (126, 0, 35)),
        (650, "Nguy hại", (126, 0, 35)),
    ],
)
def test_six_bands_at_their_boundaries(value, label, colour):
    band = aqi.band_of(value, RULES)
    assert (band.label, band.colour) == (label, colour)
    assert band.hex == "#{:02x}{:02x}{:02x}".format(*colour)


def test_nowcast_weights_recent_hours_and_needs_two_of_the_last_three():
    # cmin/cmax = 10/40 = 0.25 -> w = 0.5: (10 + 0.5*20 + 0.125*40) / (1 + 0.5 + 0.125)
    assert aqi.nowcast([10, 20, None, 40], RULES) == pytest.approx(25 / 1.625)
    # Steady values: w = 1, the plain mean.
    assert aqi.nowcast([30] * 12, RULES) == pytest.approx(30)
    # w = cmin/cmax when above 1/2: 40/50 = 0.8.
    assert aqi.nowcast([50, 40], RULES) == pytest.approx((50 + 0.8 * 40) / 1.8)
    # Only the last 12 hours count.
    assert aqi.nowcast([30] * 12 + [900], RULES) == pytest.approx(30)
    assert aqi.nowcast([10, None, None, 40], RULES) is None
    assert aqi.nowcast([None, 10, 20], RULES) == pytest.approx((0.5 * 10 + 0.25 * 20) / 0.75)
    assert aqi.nowcast([0, 0, 0], RULES) == 0.0


def test_hourly_aqi_is_the_highest_index_and_needs_pm():
    hours = 13
    series = {"PM2_5": [30.0] * hours, "O3": [170.0] * hours, "NO2": [None] * hours}
    latest = aqi.hourly_indexes(series, RULES)[-1]
    assert latest.by_parameter == {"O3": 63, "PM2_5": 60}
    assert (latest.aqi, latest.dominant, latest.band.label) == (63, "O3", "Trung bình")
    without_pm = aqi.hourly_indexes({"O3": [170.0] * hours}, RULES)[-1]
    assert without_pm.aqi is None and without_pm.band is None and without_pm.by_parameter == {"O3": 63}


def test_hourly_pm_without_two_of_the_last_three_hours_has_no_index():
    series = {"PM10": [80.0] * 10 + [None, None, 80.0], "NO2": [50.0] * 13}
    indexes = aqi.hourly_indexes(series, RULES)
    assert indexes[-1].aqi is None
    assert indexes[-1].by_parameter == {"NO2": 25}
    assert indexes[-2].aqi is None  # the hour before: only 1 of its last 3
    assert indexes[-4].aqi == 65  # 80 µg/m³ of PM10: 50 + 50 * 30/100


def test_daily_pm_is_the_mean_of_at_least_18_hours():
    day = [40.0] * 18 + [None] * 6
    assert aqi.daily_index({"PM2_5": day}, RULES).by_parameter == {"PM2_5": 80}
    short = [40.0] * 17 + [None] * 7
    assert aqi.daily_index({"PM2_5": short}, RULES).aqi is None


def test_daily_gas_is_the_highest_hourly_index_of_the_day():
    no2 = [50.0] * 23 + [150.0]
    daily = aqi.daily_index({"PM10": [50.0] * 24, "NO2": no2}, RULES)
    assert daily.by_parameter == {"NO2": 75, "PM10": 50}
    assert (daily.aqi, daily.dominant) == (75, "NO2")
    # Hours before the day (O3's lead) do not count for other gases.
    daily = aqi.daily_index({"PM10": [50.0] * 24, "NO2": [900.0] * 7 + no2}, RULES)
    assert daily.by_parameter["NO2"] == 75


def test_daily_o3_uses_its_highest_8_hour_mean_when_higher():
    # Steady 110 µg/m³: 1-hour index 34, 8-hour index 50 + 50 * 10/20 = 75.
    o3 = [110.0] * 31
    assert aqi.daily_index({"PM2_5": [10.0] * 24, "O3": o3}, RULES).by_parameter["O3"] == 75
    # One 1-hour peak of 400 µg/m³: its 1-hour index 200 beats the 8-hour means.
    peaked = [110.0] * 30 + [400.0]
    assert aqi.daily_index({"PM2_5": [10.0] * 24, "O3": peaked}, RULES).by_parameter["O3"] == 200
    # An 8-hour mean above the 8-hour table's end (400) is judged on the 1-hour table.
    high = [500.0] * 31
    assert aqi.daily_index({"PM2_5": [10.0] * 24, "O3": high}, RULES).by_parameter["O3"] == 225


def test_the_rules_are_data_a_new_version_changes_the_result():
    data = copy.deepcopy(seed_aqi())
    data["tables"]["PM2_5"]["24h"] = [0, 20, 50, 80, 150, 250, 350, 500]
    data["daily_min_hours"]["PM"] = 12
    rules = aqi.rules_from_data(data)
    assert aqi.sub_index(20, rules.tables["PM2_5"]["24h"], rules.index_breakpoints) == 50
    assert aqi.daily_index({"PM2_5": [20.0] * 12 + [None] * 12}, rules).aqi == 50


def test_inconsistent_data_is_refused():
    data = copy.deepcopy(seed_aqi())
    data["tables"]["NO2"]["1h"] = [0, 100, 90]
    with pytest.raises(ValueError, match="NO2 1h: các ngưỡng phải tăng dần"):
        aqi.rules_from_data(data)
    data = copy.deepcopy(seed_aqi())
    data["bands"][-1]["upper"] = 500
    with pytest.raises(ValueError, match="bands: mức cuối"):
        aqi.rules_from_data(data)


concentrations = st.floats(min_value=0, max_value=2000, allow_nan=False)


@given(st.sampled_from(sorted(TABLES)), concentrations, concentrations)
def test_an_index_never_decreases_when_the_concentration_rises(table, first, second):
    low, high = sorted((first, second))
    assert index_of(*table, low) <= index_of(*table, high)


@given(st.lists(st.one_of(st.none(), st.floats(min_value=0, max_value=500, allow_nan=False)), max_size=14))
def test_nowcast_lies_between_the_lowest_and_highest_hour(values):
    found = aqi.nowcast(values, RULES)
    present = [v for v in values[:12] if v is not None]
    if found is not None:
        assert min(present) - 1e-9 <= found <= max(present) + 1e-9


@given(st.integers(min_value=0, max_value=800), st.integers(min_value=0, max_value=800))
def test_bands_follow_the_index_order(first, second):
    low, high = sorted((first, second))
    order = [band.label for band in RULES.bands]
    assert order.index(aqi.band_of(low, RULES).label) <= order.index(aqi.band_of(high, RULES).label)


def test_hourly_indexes_from_a_first_hour_still_use_the_hours_before_it():
    series = {"PM10": [80.0] * 10 + [None, None, 80.0, 80.0]}
    whole = aqi.hourly_indexes(series, RULES)
    tail = aqi.hourly_indexes(series, RULES, first_hour=12)
    assert tail == whole[12:]
    assert [i.aqi for i in tail] == [None, 65]
