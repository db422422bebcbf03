"""Dates, numbers and percentages as Vietnamese users write them."""

from datetime import UTC, date, datetime

import pytest

from app.formatting import format_date, format_datetime, format_number, format_percent


def test_dates_in_local_time():
    assert format_date(date(2026, 1, 5)) == "05/01/2026"
    # 20:30 UTC on 4 January is 03:30 on 5 January in Việt Nam.
    moment = datetime(2026, 1, 4, 20, 30, tzinfo=UTC)
    assert format_date(moment) == "05/01/2026"
    assert format_datetime(moment) == "03:30 05/01/2026"


def test_iso_text_as_stored_in_json():
    # Declared values keep local ISO text: without an offset it is Việt Nam's time already.
    assert format_date("2026-01-02") == "02/01/2026"
    assert format_datetime("2026-01-03T07:30") == "07:30 03/01/2026"
    assert format_datetime("2026-01-03T00:30+00:00") == "07:30 03/01/2026"
    assert format_date("") == format_datetime(None) == ""


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (1000, 0, "1.000"),
        (620, 0, "620"),
        (1234567.891, 2, "1.234.567,89"),
        (0.5, 1, "0,5"),
        (-12500, 0, "-12.500"),
        (2.25, 1, "2,3"),
    ],
)
def test_numbers(value, decimals, text):
    assert format_number(value, decimals) == text


def test_percent_half_up_from_integer_counts():
    assert format_percent(8725, 10000) == "87,3%"
    assert format_percent(1, 3) == "33,3%"
    assert format_percent(288, 288) == "100,0%"
    assert format_percent(0, 0) == "—"
    assert format_percent(12, 1) == "1.200,0%"


def test_numbers_keep_their_own_decimals_without_rounding():
    assert format_number(620.0) == "620"
    assert format_number(0.5) == "0,5"
    assert format_number(1000) == "1.000"
