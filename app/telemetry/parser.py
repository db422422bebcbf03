"""Parsing of the stations' data files: their names and their lines of readings.

Pure: bytes and plain values in, plain values out. The layout is the one of the
monitoring circulars as dataloggers in the field emit it; parsing is lenient where the
contract allows and exact where it does not. Whatever the input bytes, nothing here
raises anything but ``ParseError`` (and ``parse_content`` reports line errors instead).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from app.telemetry.aliases import (
    DEFAULT_ALIASES,
    alias_key,
    canonical_parameters,
    merge_aliases,
    normalise_alias_table,
    sort_parameters,
    station_aliases,
)
from app.telemetry.slots import LOCAL_TZ, to_local

__all__ = [
    "DEFAULT_ALIASES",
    "FUTURE_TOLERANCE",
    "FileName",
    "LineError",
    "ParseError",
    "ParsedFile",
    "Reading",
    "alias_key",
    "canonical_parameters",
    "is_data_file_name",
    "merge_aliases",
    "parse_content",
    "parse_file_name",
    "parse_local_time",
    "parse_value",
    "sort_parameters",
    "station_aliases",
]

FUTURE_TOLERANCE = timedelta(minutes=10)
"""A line measured more than this after the moment of receipt is "in the future"."""

BOM = b"\xef\xbb\xbf"
FIELD_COUNT = 5
ERROR_TEXT_LIMIT = 200

_VALUE_RE = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_DIGITS = frozenset("0123456789")
_STATUSES = {"00": "00", "01": "01", "02": "02", "0": "00", "1": "01", "2": "02"}
_SPACES_RE = re.compile(" +")
# A value parse_value takes as it is: digits with at most one point (no comma to read as a point).
_PLAIN_VALUE = _VALUE_RE.fullmatch

# Machine codes of line errors, with their readable reasons.
NOT_UTF8 = "not_utf8"
WRONG_FIELD_COUNT = "wrong_field_count"
UNKNOWN_PARAMETER = "unknown_parameter"
INVALID_VALUE = "invalid_value"
INVALID_TIME = "invalid_time"
INVALID_STATUS = "invalid_status"
TIME_IN_FUTURE = "time_in_future"
LINE_REASONS: Mapping[str, str] = {
    NOT_UTF8: "not UTF-8",
    WRONG_FIELD_COUNT: "wrong number of fields",
    UNKNOWN_PARAMETER: "unknown parameter",
    INVALID_VALUE: "invalid value",
    INVALID_TIME: "invalid time",
    INVALID_STATUS: "invalid status",
    TIME_IN_FUTURE: "time in the future",
}


class ParseError(Exception):
    """A file name or value that does not parse: a machine code and a readable reason."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason


@dataclass(frozen=True, slots=True)
class FileName:
    """What a data file's name says: the station's code and the time of the file."""

    station_code: str
    time: datetime
    province: str | None = None
    facility: str | None = None

    @property
    def station_key(self) -> str:
        """Return the station code in the form compared case-insensitively."""
        return self.station_code.casefold()


class Reading(NamedTuple):
    """One valid line: a reading of a canonical parameter (a tuple: cheap to build per line)."""

    line: int
    parameter: str
    name: str
    value: Decimal
    unit: str
    measured_at: datetime
    status: str


# Builds a named tuple from a plain one (Reading(...) runs a Python-level __new__ per line).
_new_tuple = tuple.__new__


@dataclass(frozen=True, slots=True)
class LineError:
    """One invalid line: its number, a machine code, a readable reason and details."""

    line: int
    code: str
    reason: str
    detail: str = ""
    text: str = ""


@dataclass(slots=True)
class ParsedFile:
    """The valid readings and the line errors of one file, in line order."""

    readings: list[Reading] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)

    @property
    def has_valid_line(self) -> bool:
        """Return whether the file holds at least one valid line."""
        return bool(self.readings)


def _basename(name: str) -> str:
    return name.rsplit("/", 1)[-1]


def is_data_file_name(name: str | bytes) -> bool:
    """Return whether a file name (or path) is a data file: ``.txt`` in any case, no dot first."""
    if isinstance(name, (bytes, bytearray)):
        base = bytes(name).rsplit(b"/", 1)[-1]
        return not base.startswith(b".") and base[-4:].lower() == b".txt"
    base = _basename(name)
    suffix = base[-4:]
    return not base.startswith(".") and suffix.isascii() and suffix.lower() == ".txt"


def parse_local_time(text: str) -> datetime:
    """Return the local time of 14 ASCII digits ``YYYYMMDDhhmmss``; ParseError otherwise."""
    if len(text) != 14 or not _DIGITS.issuperset(text):
        raise ParseError(INVALID_TIME, "time is not 14 digits YYYYMMDDhhmmss")
    try:
        return datetime(
            int(text[0:4]),
            int(text[4:6]),
            int(text[6:8]),
            int(text[8:10]),
            int(text[10:12]),
            int(text[12:14]),
            tzinfo=LOCAL_TZ,
        )
    except ValueError:
        raise ParseError(INVALID_TIME, "time is not a real date and time") from None


def parse_file_name(name: str | bytes) -> FileName:
    """Return what a data file's name says; ParseError when it does not parse."""
    if isinstance(name, (bytes, bytearray)):
        try:
            name = bytes(name).decode("utf-8")
        except UnicodeDecodeError:
            raise ParseError("name_not_utf8", "file name is not valid UTF-8") from None
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise ParseError("name_not_utf8", "file name is not valid UTF-8") from None
    base = _basename(name)
    if not is_data_file_name(base):
        raise ParseError("not_data_file", "file name does not end in .txt or starts with '.'")
    parts = base[:-4].split("_")
    if len(parts) == 4:
        province, facility, station, time_text = parts
    elif len(parts) == 2:
        province = facility = None
        station, time_text = parts
    else:
        raise ParseError(
            "name_parts",
            f"file name has {len(parts)} parts separated by '_', expected 2 or 4",
        )
    if not station:
        raise ParseError("name_station", "file name has no station code")
    try:
        time = parse_local_time(time_text)
    except ParseError as error:
        raise ParseError("name_time", f"file name {error.reason}") from None
    return FileName(station_code=station, time=time, province=province, facility=facility)


def _lookup_table(aliases: Mapping | None, station_kind: str) -> Mapping[str, str]:
    """Return the flat alias table for a station, from a per-kind or a flat mapping."""
    if aliases is None or aliases is DEFAULT_ALIASES:
        return DEFAULT_ALIASES.get(station_kind, {})
    values = list(aliases.values())
    if values and all(isinstance(value, Mapping) for value in values):
        return station_aliases(station_kind, aliases)
    flat = normalise_alias_table({k: v for k, v in aliases.items() if isinstance(v, str)})
    for code in canonical_parameters(station_kind):
        flat.setdefault(alias_key(code), code)
    return flat


def _split_lines(data: bytes) -> list[str] | list[bytes]:
    """Return the lines, decoded when the whole file is UTF-8 (LF never occurs inside a character)."""
    body = data.removeprefix(BOM)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return [line[:-1] if line.endswith(b"\r") else line for line in body.split(b"\n")]
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


def _split_fields(line: str) -> list[str]:
    if "\t" in line:
        parts = line.split("\t")
        return [part.strip(" ") for part in parts] if " " in line else parts
    return _SPACES_RE.split(line)


def parse_value(text: str) -> Decimal:
    """Return the decimal number of a value field; ParseError when it is not one."""
    number = text.replace(",", ".") if "." not in text and text.count(",") == 1 else text
    if not _VALUE_RE.fullmatch(number):
        raise ParseError(INVALID_VALUE, f"value {text!r} is not a decimal number")
    try:
        return Decimal(number)
    except (InvalidOperation, ValueError):  # pragma: no cover - the pattern excludes these
        raise ParseError(INVALID_VALUE, f"value {text!r} is not a decimal number") from None


def _line_error(number: int, code: str, detail: str, text: str) -> LineError:
    return LineError(
        line=number,
        code=code,
        reason=LINE_REASONS[code],
        detail=detail,
        text=text[:ERROR_TEXT_LIMIT],
    )


def _measured_at(time_text: str, latest: datetime | None) -> datetime | LineError:
    """Return a line's measurement time, or its error (the line number is filled in later)."""
    try:
        measured_at = parse_local_time(time_text)
    except ParseError as error:
        return _line_error(0, INVALID_TIME, f"{error.reason}: {time_text!r}", "")
    if latest is not None and measured_at > latest:
        received_at = (latest - FUTURE_TOLERANCE).isoformat()
        detail = f"measured at {measured_at.isoformat()}, received at {received_at}"
        return _line_error(0, TIME_IN_FUTURE, detail, "")
    return measured_at


def _parse_line(
    number: int,
    line: str,
    table: Mapping[str, str],
    latest: datetime | None,
    times: dict[str, datetime | LineError],
) -> Reading | LineError:
    """Parse one stripped, non-blank line; ``times`` caches the file's time texts (shared by its lines)."""
    if "\t" in line and " " not in line:  # the common layout: _split_fields, inlined
        fields = line.split("\t")
    else:
        fields = _split_fields(line)
    if len(fields) != FIELD_COUNT:
        detail = f"{len(fields)} fields, expected {FIELD_COUNT}"
        return _line_error(number, WRONG_FIELD_COUNT, detail, line)
    name, value_text, unit, time_text, status_text = fields
    parameter = table.get(alias_key(name))
    if parameter is None:
        return _line_error(number, UNKNOWN_PARAMETER, f"parameter {name!r}", line)
    if _PLAIN_VALUE(value_text):  # parse_value's own test, without its call and comma check
        value = Decimal(value_text)
    else:
        try:
            value = parse_value(value_text)
        except ParseError as error:
            return _line_error(number, INVALID_VALUE, error.reason, line)
    measured_at = times.get(time_text)
    if measured_at is None:
        measured_at = times[time_text] = _measured_at(time_text, latest)
    status = _STATUSES.get(status_text)
    if type(measured_at) is LineError:
        # The checks keep their order: a bad time is reported before a bad status.
        if measured_at.code == INVALID_TIME or status is not None:
            return LineError(
                number, measured_at.code, measured_at.reason, measured_at.detail, line[:ERROR_TEXT_LIMIT]
            )
    if status is None:
        return _line_error(number, INVALID_STATUS, f"status {status_text!r}", line)
    return _new_tuple(Reading, (number, parameter, name, value, unit, measured_at, status))


def parse_content(
    data: bytes, station_kind: str, aliases: Mapping | None, received_at: datetime
) -> ParsedFile:
    """Return the valid readings and the line errors of a data file's bytes.

    ``aliases`` is either a per-kind table (kind -> {name: code}, like DEFAULT_ALIASES)
    or one station's flat table ({name: code}); names are compared through alias_key.
    None means DEFAULT_ALIASES.
    A naive ``received_at`` is read as local time.
    """
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    table = _lookup_table(aliases, station_kind)
    try:
        latest: datetime | None = to_local(received_at) + FUTURE_TOLERANCE
    except OverflowError:
        latest = None
    result = ParsedFile()
    readings, errors = result.readings, result.errors
    times: dict[str, datetime | LineError] = {}
    for number, raw in enumerate(_split_lines(bytes(data)), start=1):
        if type(raw) is bytes:  # the file is not all UTF-8: lines are decoded one by one
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("utf-8", "backslashreplace")
                errors.append(_line_error(number, NOT_UTF8, "line is not valid UTF-8", text))
                continue
        line = raw.strip(" \t")
        if not line:
            continue
        outcome = _parse_line(number, line, table, latest, times)
        if type(outcome) is Reading:
            readings.append(outcome)
        else:
            errors.append(outcome)
    return result
