"""Data file names, the alias tables, and the parser's robustness against any bytes."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.telemetry.parser import (
    DEFAULT_ALIASES,
    ParseError,
    is_data_file_name,
    parse_content,
    parse_file_name,
    parse_local_time,
    parse_value,
)
from app.telemetry.slots import LOCAL_TZ

FAST = settings(
    max_examples=300,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
RECEIVED_AT = datetime(2026, 1, 15, 10, 40, tzinfo=LOCAL_TZ)


def test_four_part_name() -> None:
    parsed = parse_file_name("HG_NMGIAY_NT1_20260115103500.txt")
    assert parsed.station_code == "NT1"
    assert parsed.province == "HG"
    assert parsed.facility == "NMGIAY"
    assert parsed.time == datetime(2026, 1, 15, 10, 35, tzinfo=LOCAL_TZ)


def test_two_part_name() -> None:
    parsed = parse_file_name("nt1_20260115103500.TXT")
    assert (parsed.station_code, parsed.province, parsed.facility) == ("nt1", None, None)
    assert parsed.station_key == "nt1"
    assert parse_file_name("NT1_20260115103500.txt").station_key == "nt1"


def test_name_in_folders_and_as_bytes() -> None:
    parsed = parse_file_name(b"2026/01/15/HG_NMGIAY_NT1_20260115103500.Txt")
    assert parsed.station_code == "NT1"


def test_informational_parts_are_not_checked() -> None:
    parsed = parse_file_name("Hà Giang__NT1_20260115103500.txt")
    assert (parsed.province, parsed.facility) == ("Hà Giang", "")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("NT1.txt", "name_parts"),
        ("HG_NT1_20260115103500.txt", "name_parts"),
        ("A_B_C_D_20260115103500.txt", "name_parts"),
        ("HG_NMGIAY_NT1_20260115_103500.txt", "name_parts"),
        ("_20260115103500.txt", "name_station"),
        ("NT1_2026011510350.txt", "name_time"),
        ("NT1_202601151035000.txt", "name_time"),
        ("NT1_2026O115103500.txt", "name_time"),
        ("NT1_２０２６０１１５１０３５００.txt", "name_time"),
        ("NT1_20260230103500.txt", "name_time"),
        ("NT1_20260115240000.txt", "name_time"),
        ("NT1_20260115103500.csv", "not_data_file"),
        (".NT1_20260115103500.txt", "not_data_file"),
        ("NT1_20260115103500.txt.part", "not_data_file"),
        ("", "not_data_file"),
    ],
)
def test_names_that_do_not_parse(name: str, code: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_file_name(name)
    assert caught.value.code == code
    assert caught.value.reason


def test_non_utf8_names_do_not_parse() -> None:
    with pytest.raises(ParseError) as caught:
        parse_file_name(b"HG_NM\xe0_NT1_20260115103500.txt")
    assert caught.value.code == "name_not_utf8"
    with pytest.raises(ParseError) as caught:
        parse_file_name("HG_NM\udce0_NT1_20260115103500.txt")
    assert caught.value.code == "name_not_utf8"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.txt", True),
        ("A.TXT", True),
        ("x_y.TxT", True),
        ("2026/01/15/NT1_20260115103500.txt", True),
        (".NT1_20260115103500.txt", False),
        ("dir/.upload.txt", False),
        (".txt", False),
        ("a.txt.tmp", False),
        ("a.csv", False),
        ("atxt", False),
        ("", False),
        (b"\xff\xfe.txt", True),
        (b".\xff.txt", False),
        (b"a.TXT", True),
        ("a\udcff.txt", True),
    ],
)
def test_is_data_file_name(name: str | bytes, expected: bool) -> None:
    assert is_data_file_name(name) is expected


def test_parse_local_time_and_value() -> None:
    assert parse_local_time("20260115103500").tzinfo is LOCAL_TZ
    assert str(parse_value("7,12")) == "7.12"
    with pytest.raises(ParseError):
        parse_value("1e3")


@FAST
@given(st.binary(max_size=400))
def test_no_bytes_break_the_content_parser(data: bytes) -> None:
    for kind in ("wastewater", "emission", "ambient", ""):
        result = parse_content(data, kind, DEFAULT_ALIASES, RECEIVED_AT)
        for reading in result.readings:
            assert reading.status in {"00", "01", "02"}
            assert reading.measured_at.tzinfo is not None
        lines = {item.line for item in [*result.readings, *result.errors]}
        assert all(1 <= number <= data.count(b"\n") + 1 for number in lines)


FIELD = st.sampled_from(
    [
        "pH",
        "Nhiệt độ",
        "NH4+",
        "7,12",
        "+7.1",
        ".5",
        "5.",
        "NaN",
        "1e3",
        "-",
        "",
        "20260115103500",
        "20260230103500",
        "20260115105100",
        "00",
        "2",
        "03",
        "mg/L",
        "\ufeff",
    ]
)
SEPARATOR = st.sampled_from(["\t", " ", "  ", "\r", "\r\n", "\n", "\u00a0", "\x00", ""])


@FAST
@given(st.lists(st.tuples(FIELD, SEPARATOR), max_size=30), st.binary(max_size=8))
def test_no_near_valid_content_breaks_the_parser(parts: list, tail: bytes) -> None:
    text = "".join(field + separator for field, separator in parts)
    data = text.encode("utf-8", "surrogatepass") + tail
    result = parse_content(data, "wastewater", {"custom": "X"}, RECEIVED_AT)
    assert len(result.readings) + len(result.errors) <= data.count(b"\n") + 1


@FAST
@given(st.one_of(st.binary(max_size=80), st.text(max_size=80)))
def test_no_name_makes_the_name_parser_raise_anything_but_parse_error(name: str | bytes) -> None:
    is_data_file_name(name)
    try:
        parsed = parse_file_name(name)
    except ParseError as error:
        assert error.code and error.reason
    else:
        assert parsed.station_code
        assert parsed.time.tzinfo is not None


@FAST
@given(
    st.lists(
        st.one_of(st.sampled_from(["HG", "NT1", "20260115103500", "2026", ""]), st.text()),
        max_size=6,
    ),
    st.sampled_from([".txt", ".TXT", ".csv", ""]),
)
def test_no_composed_name_breaks_the_name_parser(parts: list[str], extension: str) -> None:
    name = "_".join(parts) + extension
    for candidate in (name, name.encode("utf-8", "surrogatepass")):
        try:
            parse_file_name(candidate)
        except ParseError:
            pass
