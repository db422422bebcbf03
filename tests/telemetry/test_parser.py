"""Parsing of data file contents: every rule of the data file contract."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from app.telemetry.parser import (
    DEFAULT_ALIASES,
    LineError,
    ParsedFile,
    Reading,
    parse_content,
)
from app.telemetry.slots import LOCAL_TZ

RECEIVED_AT = datetime(2026, 1, 15, 10, 40, tzinfo=LOCAL_TZ)
TIME = "20260115103500"
MEASURED_AT = datetime(2026, 1, 15, 10, 35, tzinfo=LOCAL_TZ)

EXAMPLE = (
    b"pH\t7.12\tpH\t20260115103500\t00\n"
    b"TSS\t12.8\tmg/L\t20260115103500\t00\n"
    b"COD\t45.3\tmg/L\t20260115103500\t00\n"
    b"NH4+\t1.25\tmg/L\t20260115103500\t00\n"
    b"Temp\t29.4\toC\t20260115103500\t00\n"
    b"Flow_out\t35.2\tm3/h\t20260115103500\t01\n"
)


def parse(data: bytes | str, kind: str = "wastewater", aliases=DEFAULT_ALIASES) -> ParsedFile:
    if isinstance(data, str):
        data = data.encode()
    return parse_content(data, kind, aliases, RECEIVED_AT)


def line(parameter: str = "pH", value: str = "7.12", unit: str = "pH", time: str = TIME) -> str:
    return f"{parameter}\t{value}\t{unit}\t{time}\t00"


def only_reading(data: bytes | str, kind: str = "wastewater") -> Reading:
    result = parse(data, kind)
    assert result.errors == []
    assert len(result.readings) == 1
    return result.readings[0]


def only_error(data: bytes | str, kind: str = "wastewater") -> LineError:
    result = parse(data, kind)
    assert result.readings == []
    assert len(result.errors) == 1
    return result.errors[0]


def test_example_file_gives_six_readings() -> None:
    result = parse(EXAMPLE)
    assert result.errors == []
    assert result.has_valid_line
    assert [r.parameter for r in result.readings] == ["pH", "TSS", "COD", "NH4", "TEMP", "FLOW_OUT"]
    assert [r.line for r in result.readings] == [1, 2, 3, 4, 5, 6]
    first = result.readings[0]
    assert first.value == Decimal("7.12")
    assert isinstance(first.value, Decimal)
    assert first.unit == "pH"
    assert first.name == "pH"
    assert first.measured_at == MEASURED_AT
    assert first.measured_at.utcoffset().total_seconds() == 7 * 3600
    assert first.status == "00"
    assert result.readings[-1].status == "01"
    assert result.readings[3].name == "NH4+"


def test_crlf_line_endings() -> None:
    result = parse(EXAMPLE.replace(b"\n", b"\r\n"))
    assert result.errors == []
    assert len(result.readings) == 6


def test_only_one_trailing_cr_is_dropped() -> None:
    error = only_error(line() + "\r\r\n")
    assert error.code == "invalid_status"


def test_lone_cr_in_the_middle_does_not_split_a_line() -> None:
    result = parse(line() + "\r" + line("COD", "45.3", "mg/L") + "\n")
    assert result.readings == []
    assert [(e.line, e.code) for e in result.errors] == [(1, "wrong_field_count")]


def test_leading_bom_is_dropped() -> None:
    reading = only_reading(b"\xef\xbb\xbf" + line().encode())
    assert reading.parameter == "pH"
    assert reading.line == 1


def test_bom_later_in_the_file_is_not_dropped() -> None:
    result = parse(line() + "\n\ufeff" + line())
    assert len(result.readings) == 1
    assert [(e.line, e.code) for e in result.errors] == [(2, "unknown_parameter")]


def test_blank_lines_are_counted_and_ignored() -> None:
    data = "\n  \n\t\n" + line() + "\n\n" + line("COD", "1", "mg/L") + "\n"
    result = parse(data)
    assert result.errors == []
    assert [r.line for r in result.readings] == [4, 6]


def test_invalid_utf8_line_is_one_line_error() -> None:
    data = line().encode() + b"\n" + b"pH\t7\xff\tpH\t" + TIME.encode() + b"\t00\n" + EXAMPLE
    result = parse(data)
    assert [(e.line, e.code, e.reason) for e in result.errors] == [(2, "not_utf8", "not UTF-8")]
    assert [r.line for r in result.readings] == [1, 3, 4, 5, 6, 7, 8]


def test_utf16_file_gives_line_errors_only() -> None:
    data = "Nhiệt độ\t29.4\toC\t20260115103500\t00\n".encode("utf-16-le")
    result = parse(data)
    assert result.readings == []
    assert result.errors and all(e.code in {"not_utf8", "wrong_field_count"} for e in result.errors)


def test_spaces_instead_of_tabs() -> None:
    reading = only_reading("pH 7.12 pH 20260115103500 00")
    assert (reading.parameter, reading.value, reading.unit) == ("pH", Decimal("7.12"), "pH")


def test_runs_of_spaces_split_like_one() -> None:
    reading = only_reading("   COD     45,3   mg/L  20260115103500    1   ")
    assert (reading.parameter, reading.value, reading.status) == ("COD", Decimal("45.3"), "01")


def test_surrounding_tabs_and_spaces_are_stripped() -> None:
    reading = only_reading(" \t pH \t 7.12 \t pH \t 20260115103500 \t 00 \t ")
    assert reading.unit == "pH"
    assert reading.status == "00"


def test_tab_lines_are_not_split_on_spaces() -> None:
    reading = only_reading("Nhiet do\t29.4\tdo C\t20260115103500\t00")
    assert reading.parameter == "TEMP"
    assert reading.unit == "do C"


def test_multi_word_name_with_spaces_only_has_too_many_fields() -> None:
    assert only_error("Nhiet do 29.4 oC 20260115103500 00").code == "wrong_field_count"


def test_other_white_space_does_not_split() -> None:
    text = "pH\u00a07.12\u00a0pH\u00a020260115103500\u00a000"
    assert only_error(text).code == "wrong_field_count"


@pytest.mark.parametrize(
    "text",
    [
        "pH\t7.12\tpH\t20260115103500",
        "pH\t7.12\tpH\t20260115103500\t00\textra",
        "pH\t\t7.12\tpH\t20260115103500\t00",
        "pH 7.12 20260115103500 00",
        "pH 7.12 pH 20260115103500 00 x",
        "pH",
    ],
)
def test_wrong_number_of_fields(text: str) -> None:
    error = only_error(text)
    assert error.code == "wrong_field_count"
    assert error.reason == "wrong number of fields"
    assert error.line == 1


def test_empty_unit_is_kept() -> None:
    assert only_reading("pH\t7.12\t\t20260115103500\t00").unit == ""


def test_unit_is_kept_as_sent() -> None:
    assert only_reading(line("TSS", "1", "MG/l (x)")).unit == "MG/l (x)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7.12", "7.12"),
        ("7,12", "7.12"),
        ("+7.1", "7.1"),
        (".5", "0.5"),
        ("5.", "5"),
        ("-3", "-3"),
        ("0", "0"),
        ("-0,5", "-0.5"),
        ("007.100", "7.1"),
        (",5", "0.5"),
        ("5,", "5"),
        ("123456789012345678901234567890.5", "123456789012345678901234567890.5"),
    ],
)
def test_valid_values(text: str, expected: str) -> None:
    assert only_reading(line(value=text)).value == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    [
        "NaN",
        "nan",
        "inf",
        "-Infinity",
        "1e3",
        "1E3",
        "-",
        "+",
        ".",
        ",",
        "1.2.3",
        "1,2,3",
        "7,1.2",
        "1.2,3",
        "0x10",
        "1_000",
        "٣",
        "３",
        "--3",
        "+-3",
        "7.1a",
        "sNaN",
    ],
)
def test_invalid_values(text: str) -> None:
    error = only_error(line(value=text))
    assert (error.code, error.reason) == ("invalid_value", "invalid value")


def test_empty_value_is_invalid() -> None:
    assert only_error("pH\t\tpH\t20260115103500\t00").code == "invalid_value"


@pytest.mark.parametrize(
    "text",
    [
        "20260230103500",
        "20260115243500",
        "20260115106000",
        "20260115103560",
        "20261315103500",
        "00000115103500",
        "2026011510350",
        "202601151035000",
        "2026-01-15 10:35",
        "2026011510350a",
        "２０２６０１１５１０３５００",
        "",
    ],
)
def test_invalid_times(text: str) -> None:
    error = only_error(f"pH\t7.12\tpH\t{text}\t00")
    assert (error.code, error.reason) == ("invalid_time", "invalid time")


def test_leap_day_is_a_real_date() -> None:
    reading = only_reading(line(time="20240229235959"))
    assert reading.measured_at == datetime(2024, 2, 29, 23, 59, 59, tzinfo=LOCAL_TZ)


def test_time_is_local_time_of_vietnam() -> None:
    reading = only_reading(line(time="20260115000000"))
    assert reading.measured_at.astimezone(UTC) == datetime(2026, 1, 14, 17, 0, tzinfo=UTC)


def test_time_ten_minutes_after_receipt_is_valid() -> None:
    assert only_reading(line(time="20260115105000")).measured_at.minute == 50


def test_time_more_than_ten_minutes_after_receipt_is_in_the_future() -> None:
    error = only_error(line(time="20260115105001"))
    assert (error.code, error.reason) == ("time_in_future", "time in the future")


def test_old_times_are_valid() -> None:
    assert only_reading(line(time="20200101000000")).measured_at.year == 2020


def test_future_is_judged_against_aware_receipt_in_any_zone() -> None:
    received = datetime(2026, 1, 15, 3, 40, tzinfo=UTC)
    result = parse_content(line(time="20260115105000").encode(), "wastewater", None, received)
    assert len(result.readings) == 1
    result = parse_content(line(time="20260115105100").encode(), "wastewater", None, received)
    assert result.errors[0].code == "time_in_future"


def test_naive_receipt_is_local_time() -> None:
    received = datetime(2026, 1, 15, 10, 40)
    result = parse_content(line(time="20260115105100").encode(), "wastewater", None, received)
    assert result.errors[0].code == "time_in_future"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("00", "00"), ("01", "01"), ("02", "02"), ("0", "00"), ("1", "01"), ("2", "02")],
)
def test_statuses(text: str, expected: str) -> None:
    assert only_reading(f"pH\t7.12\tpH\t{TIME}\t{text}").status == expected


@pytest.mark.parametrize("text", ["03", "3", "000", "-1", "OK", "０", "0.0", "10", "0 0"])
def test_invalid_statuses(text: str) -> None:
    error = only_error(f"pH\t7.12\tpH\t{TIME}\t{text}")
    assert (error.code, error.reason) == ("invalid_status", "invalid status")


def test_missing_status_leaves_four_fields_after_stripping() -> None:
    assert only_error(f"pH\t7.12\tpH\t{TIME}\t").code == "wrong_field_count"


def test_unknown_parameter_is_a_line_error_not_the_file() -> None:
    result = parse(line("XYZ") + "\n" + line())
    assert [r.line for r in result.readings] == [2]
    error = result.errors[0]
    assert (error.line, error.code, error.reason) == (1, "unknown_parameter", "unknown parameter")
    assert "XYZ" in error.detail
    assert error.text.startswith("XYZ")


def test_file_with_only_errors_has_no_valid_line() -> None:
    result = parse(line("XYZ") + "\n")
    assert not result.has_valid_line


def test_error_order_reports_the_first_bad_field() -> None:
    assert only_error("XYZ\tbad\tx\tbad\tbad").code == "unknown_parameter"
    assert only_error("pH\tbad\tx\tbad\tbad").code == "invalid_value"
    assert only_error("pH\t1\tx\tbad\tbad").code == "invalid_time"
    assert only_error(f"pH\t1\tx\t{TIME}\tbad").code == "invalid_status"


def test_empty_file_has_nothing() -> None:
    result = parse(b"")
    assert result.readings == [] and result.errors == []
    result = parse(b"\xef\xbb\xbf\r\n\r\n")
    assert result.readings == [] and result.errors == []


def test_error_text_is_bounded() -> None:
    error = only_error("x" * 5000)
    assert len(error.text) <= 200


def test_nul_bytes_make_a_line_invalid_not_the_parser_fail() -> None:
    result = parse(b"pH\t7\x00\tpH\t20260115103500\t00\n" + line().encode())
    assert [e.code for e in result.errors] == ["invalid_value"]
    assert len(result.readings) == 1
