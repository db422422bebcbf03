"""Reading one cell of an imported list: booleans, numbers, dates, date-times, code lists.

Pure: no Flask, no database. A cell arrives as the reader found it (text from a CSV file;
text, number, boolean or date-time from an ``.xlsx`` cell). Each reader returns the typed
value (``None`` for a blank cell where blank means "not given") or raises ``ValueError``
with the reason in Vietnamese.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from app.formatting import LOCAL_TZ
from app.text import clean_text

TRUE_WORDS = frozenset({"yes", "true", "1", "x", "có"})
FALSE_WORDS = frozenset({"no", "false", "0", "không", ""})
NUMBER = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?$")
AMBIGUOUS = re.compile(r"^[0-9]{1,3}(\.[0-9]{3})+$")
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
DATETIME = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]([0-9]{2}):([0-9]{2})$")


def is_blank(value: Any) -> bool:
    """True for an empty cell or one holding only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value: Any) -> str:
    return f"“{str(value).strip()}”"


def read_text(value: Any) -> str | None:
    """Text, trimmed; a whole number from an ``.xlsx`` cell is written without ``.0``."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    # Text typed on some systems arrives decomposed (NFD): store it composed, as typed elsewhere.
    return clean_text(unicodedata.normalize("NFC", str(value))).strip()


def read_bool(value: Any) -> bool:
    """yes/no, true/false, 1/0, x/blank, có/không (any case); blank is no."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    word = str(value).strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(
        f"Giá trị {_shown(value)} không phải có/không: dùng có/không, yes/no, true/false, 1/0, "
        "x hoặc để trống."
    )


def read_number(value: Any) -> Decimal | None:
    """A number: ASCII digits and an optional decimal point; ``1.000`` and any comma refused."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"Giá trị {_shown(value)} không phải là số.")
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("Ô chứa giá trị không phải là số.")
        return Decimal(str(value))
    if isinstance(value, datetime | date):
        raise ValueError("Ô chứa ngày tháng, không phải là số.")
    text = str(value).strip()
    if "," in text:
        raise ValueError(
            f"Số {_shown(text)} có dấu phẩy: dùng dấu chấm cho phần thập phân và không tách hàng nghìn "
            "(ví dụ 1250.5)."
        )
    if AMBIGUOUS.match(text):
        raise ValueError(
            f"Số {_shown(text)} không rõ nghĩa (dấu chấm tách hàng nghìn hay dấu thập phân?): "
            "viết không tách hàng nghìn, ví dụ 1000 hoặc 1.5."
        )
    if not NUMBER.match(text):
        raise ValueError(f"Giá trị {_shown(text)} không phải là số (ví dụ hợp lệ: 12 hoặc 12.5).")
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already guarantees a number
        raise ValueError(f"Giá trị {_shown(text)} không phải là số.") from exc


def read_date(value: Any) -> date | None:
    """A date: ``YYYY-MM-DD`` text or an ``.xlsx`` date cell."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        if value.time() != time(0, 0):
            raise ValueError("Ô chứa cả giờ: cột này chỉ nhận ngày (YYYY-MM-DD).")
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if isinstance(value, int | float) or not DATE.match(text):
        raise ValueError(f"Ngày {_shown(text)} không đúng dạng YYYY-MM-DD (ví dụ 2024-12-31).")
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"Ngày {_shown(text)} không tồn tại.") from exc


def read_datetime(value: Any) -> datetime | None:
    """A local date-time: ``YYYY-MM-DD hh:mm``, ``YYYY-MM-DDThh:mm`` or an ``.xlsx`` date cell."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        # Excel keeps times as fractions of a day: round away the float noise.
        moment = value.replace(microsecond=0)
        if value.microsecond >= 500_000:
            moment += timedelta(seconds=1)
        return moment.replace(tzinfo=LOCAL_TZ) if moment.tzinfo is None else moment
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=LOCAL_TZ)
    text = str(value).strip()
    found = DATETIME.match(text) if isinstance(value, str) else None
    if not found:
        raise ValueError(
            f"Thời điểm {_shown(text)} không đúng dạng YYYY-MM-DD hh:mm (ví dụ 2025-03-01 08:00)."
        )
    day, hour, minute = found.groups()
    try:
        return datetime.combine(date.fromisoformat(day), time(int(hour), int(minute)), tzinfo=LOCAL_TZ)
    except ValueError as exc:
        raise ValueError(f"Thời điểm {_shown(text)} không tồn tại.") from exc


def read_codes(value: Any) -> list[str]:
    """Codes separated by ``;``, trimmed, blanks dropped, in the order given."""
    if is_blank(value):
        return []
    return [part.strip() for part in str(value).split(";") if part.strip()]


READERS = {
    "text": read_text,
    "code": read_text,
    "bool": read_bool,
    "number": read_number,
    "date": read_date,
    "datetime": read_datetime,
    "codes": read_codes,
}


def read_value(kind: str, value: Any) -> Any:
    """Read a cell as a column of this type (see import_columns)."""
    return READERS[kind](value)
