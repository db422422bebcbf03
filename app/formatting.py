"""How values are shown to Vietnamese users: dates, times, numbers, percentages.

Pure functions; registered as template filters by ``create_app``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local(moment: datetime) -> datetime:
    """An aware moment in Việt Nam's time."""
    return moment.astimezone(LOCAL_TZ)


def _stored(value: date | datetime | str | None) -> date | datetime | None:
    """A value, or the ISO text of one as stored in JSON (local time when it names no offset)."""
    if not isinstance(value, str):
        return value
    if not value:
        return None
    if len(value) == 10:
        return date.fromisoformat(value)
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=LOCAL_TZ)


def format_date(value: date | datetime | str | None) -> str:
    """05/01/2026 (a moment is first taken to local time; ISO text is read first)."""
    value = _stored(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value)
    return value.strftime("%d/%m/%Y")


def format_datetime(value: datetime | str | None) -> str:
    """14:05 05/01/2026 in local time (ISO text without an offset is local time already)."""
    value = _stored(value)
    if value is None:
        return ""
    return local(value).strftime("%H:%M %d/%m/%Y")


def format_number(value: float | int | Decimal | None, decimals: int | None = None) -> str:
    """1.000 or 87,3: dots between thousands, a comma before decimals.

    With ``decimals`` the value is rounded half up to that many places; without,
    it keeps its own (``620`` stays 620, ``0.5`` is 0,5, ``1000.0`` is 1.000).
    """
    if value is None:
        return ""
    number = Decimal(str(value))
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    elif number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = ".".join(groups) or "0"
    return f"{sign}{text},{fraction}" if fraction else f"{sign}{text}"


def format_percent(numerator: int | Fraction, denominator: int | Fraction) -> str:
    """87,3%: numerator / denominator rounded half up to one decimal, exactly.

    Computed from the integer counts (or exact fractions), never from a float;
    a zero denominator (nothing expected) gives ``—``.
    """
    if denominator == 0:
        return "—"
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    tenths = int((2000 * Fraction(numerator) + Fraction(denominator)) // (2 * Fraction(denominator)))
    sign = "-" if tenths < 0 else ""
    whole, tenth = divmod(abs(tenths), 10)
    return f"{sign}{format_number(whole)},{tenth}%"
