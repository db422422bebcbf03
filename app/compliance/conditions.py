"""The condition language of the compliance rules, and Vietnamese number and date writing.

Pure: no Flask, no database, no I/O.

Condition language. A condition is one of::

    {"type": "all", "of": [cond, ...]}     every one holds
    {"type": "any", "of": [cond, ...]}     at least one holds
    {"type": "not", "of": cond}            negation
    {"type": "always"}                     holds
    {"attr": NAME, "op": OP, "value": V}   compares the subject's attribute NAME

with OP one of ``is_true`` / ``is_false`` (a blank boolean is false), ``>=``, ``>``, ``<=``,
``<`` (numbers), ``==``, ``!=`` (strings case-insensitive and trimmed, a blank string equals
nothing; numbers as numbers), ``in`` (``==`` against any of a list), ``fuel_is`` (fuel words:
case-insensitive, runs of spaces, ``-`` and ``_`` equal; a blank fuel matches nothing).
A numeric comparison may carry ``"unit_attr"`` and ``"units"`` (``{unit: units per base
unit}``): the attribute is divided by the factor of the subject's unit (case-insensitive,
trimmed). Logic is three-valued: a blank number, or a blank or unlisted unit, makes its
comparison *unknown*; unknown propagates through all/any/not (false AND unknown is false).
A clause whose condition is unknown does not apply (a blank never exceeds a threshold) and the
blank attributes are reported under ``missing``.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from app.formatting import format_date, format_number

Truth = bool | None

BLANK_TEXT = "chưa khai báo"
_ORDERING = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}
_FUEL_SEPARATORS = re.compile(r"[\s_-]+")


def normalize_word(value: Any) -> str:
    """Return a code or word as compared: trimmed and case-folded ('' when blank)."""
    return "" if value is None else str(value).strip().casefold()


def normalize_fuel(value: Any) -> str:
    """Return a fuel as compared: case-folded, runs of spaces, '-' and '_' as one '_'."""
    return _FUEL_SEPARATORS.sub("_", normalize_word(value)).strip("_")


def number_or_none(value: Any) -> float | None:
    """Return a value as a number, or None when it is blank (or not a number)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _equal(value: Any, target: Any) -> bool:
    if isinstance(target, str):
        return normalize_word(value) != "" and normalize_word(value) == normalize_word(target)
    number = number_or_none(value)
    return number is not None and number == float(target)


def _compare(condition: Mapping[str, Any], subject: Mapping[str, Any]) -> tuple[Truth, list[str]]:
    attr, op = condition["attr"], condition["op"]
    raw = subject.get(attr)
    if op == "is_true":
        return bool(raw), []
    if op == "is_false":
        return not raw, []
    if op == "fuel_is":
        fuel = normalize_fuel(raw)
        return fuel != "" and fuel == normalize_fuel(condition["value"]), []
    if op in ("==", "!=", "in"):
        targets = condition["value"] if op == "in" else [condition["value"]]
        equal = any(_equal(raw, target) for target in targets)
        return (not equal if op == "!=" else equal), []
    if op not in _ORDERING:
        raise ValueError(f"unknown operator: {op!r}")
    number = number_or_none(raw)
    if number is None:
        return None, [attr]
    if "units" in condition:
        units = {normalize_word(unit): factor for unit, factor in condition["units"].items()}
        factor = units.get(normalize_word(subject.get(condition["unit_attr"])))
        if factor is None:
            return None, [condition["unit_attr"]]
        number = number / factor
    return _ORDERING[op](number, condition["value"]), []


def check(condition: Mapping[str, Any], subject: Mapping[str, Any]) -> tuple[Truth, list[str]]:
    """Evaluate a condition: (True/False/None for unknown, blank attributes that left it unknown)."""
    kind = condition.get("type", "compare")
    if kind == "always":
        return True, []
    if kind == "not":
        value, missing = check(condition["of"], subject)
        return (None if value is None else not value), missing
    if kind in ("all", "any"):
        results = [check(child, subject) for child in condition["of"]]
        decisive = kind == "any"
        if any(value is decisive for value, _ in results):
            return decisive, []
        if any(value is None for value, _ in results):
            missing = [attr for value, attrs in results if value is None for attr in attrs]
            return None, list(dict.fromkeys(missing))
        return not decisive, []
    if kind == "compare":
        return _compare(condition, subject)
    raise ValueError(f"unknown condition type: {kind!r}")


def as_date(value: Any) -> date | None:
    """Return a date given as a date or an ISO string, or None when blank."""
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


class Values(dict):
    """Placeholder values for a sentence template; an unknown placeholder reads as blank."""

    def __missing__(self, key: str) -> str:
        return BLANK_TEXT


def format_value(value: Any) -> str:
    """Write one attribute for a sentence: numbers and dates the Vietnamese way, blank named."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return BLANK_TEXT
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return format_number(value)
    if isinstance(value, date):
        return format_date(value)
    return str(value).strip()


def template_values(subject: Mapping[str, Any], **extra: str) -> Values:
    """Return a subject's attributes written for a sentence template, plus extra values."""
    values = Values({key: format_value(value) for key, value in subject.items()})
    values.update(extra)
    return values
