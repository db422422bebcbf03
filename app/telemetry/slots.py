"""Five-minute slots of local days and the 288-slot bitmaps that roll up received data.

Pure arithmetic. Time is local time of Việt Nam (Asia/Ho_Chi_Minh, UTC+7, no daylight
saving); a naive datetime is read as local time. A day bitmap is a Python ``int`` whose
bit ``i`` (value ``1 << i``) is the slot starting ``5 * i`` minutes after local midnight.
Stored, it is 36 bytes: slot ``i`` is bit ``i % 8`` of byte ``i // 8`` (little-endian).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SLOTS_PER_DAY = 288
SLOT_MINUTES = 5
SLOT = timedelta(minutes=SLOT_MINUTES)
BITMAP_BYTES = SLOTS_PER_DAY // 8
FULL_DAY = (1 << SLOTS_PER_DAY) - 1
EMPTY = 0


def _local_tz() -> tzinfo:
    try:
        return ZoneInfo("Asia/Ho_Chi_Minh")
    except ZoneInfoNotFoundError:  # pragma: no cover - systems without a tz database
        return timezone(timedelta(hours=7), "+07")


LOCAL_TZ: tzinfo = _local_tz()

Bitmap = int
Moment = datetime | None
Window = tuple[Moment, Moment]


def to_local(moment: datetime) -> datetime:
    """Return the moment as an aware local datetime (naive input is read as local)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=LOCAL_TZ)
    return moment.astimezone(LOCAL_TZ)


def day_start(day: date) -> datetime:
    """Return local midnight at the start of a day."""
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ)


def local_day(moment: datetime) -> date:
    """Return the local day a moment falls in."""
    return to_local(moment).date()


def slot_index(moment: datetime) -> int:
    """Return the index (0..287) of the slot of its local day a moment falls in."""
    local = to_local(moment)
    return (local.hour * 60 + local.minute) // SLOT_MINUTES


def slot_of(moment: datetime) -> tuple[date, int]:
    """Return the local day and slot index of a moment."""
    local = to_local(moment)
    return local.date(), (local.hour * 60 + local.minute) // SLOT_MINUTES


def slot_start(day: date, index: int) -> datetime:
    """Return the local start of slot ``index`` of ``day`` (index may run past the day)."""
    return day_start(day) + index * SLOT


def slot_end(day: date, index: int) -> datetime:
    """Return the local end of slot ``index`` of ``day``."""
    return day_start(day) + (index + 1) * SLOT


def slot_floor(moment: datetime) -> datetime:
    """Return the local start of the slot a moment falls in."""
    day, index = slot_of(moment)
    return slot_start(day, index)


def days(first: date, last: date) -> Iterator[date]:
    """Yield the days from first to last, both inclusive."""
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def bit(index: int) -> Bitmap:
    """Return the bitmap with only slot ``index`` set."""
    _check_index(index)
    return 1 << index


def set_slot(bitmap: Bitmap, index: int) -> Bitmap:
    """Return the bitmap with slot ``index`` set."""
    return bitmap | bit(index)


def has_slot(bitmap: Bitmap, index: int) -> bool:
    """Return whether slot ``index`` is set."""
    _check_index(index)
    return bool(bitmap >> index & 1)


def popcount(bitmap: Bitmap) -> int:
    """Return the number of slots set."""
    return bitmap.bit_count()


def slot_indexes(bitmap: Bitmap) -> list[int]:
    """Return the indexes of the slots set, in increasing order."""
    return [i for i, char in enumerate(reversed(format(bitmap, "b"))) if char == "1"]


def bitmap_of(moments: Iterable[datetime], day: date) -> Bitmap:
    """Return the bitmap of the slots of ``day`` holding at least one of the moments."""
    bitmap = 0
    for moment in moments:
        moment_day, index = slot_of(moment)
        if moment_day == day:
            bitmap |= 1 << index
    return bitmap


def span_bitmap(first: int, stop: int) -> Bitmap:
    """Return the bitmap of slots ``first`` (inclusive) to ``stop`` (exclusive), clipped."""
    first = max(0, min(SLOTS_PER_DAY, first))
    stop = max(0, min(SLOTS_PER_DAY, stop))
    if stop <= first:
        return 0
    return ((1 << (stop - first)) - 1) << first


def to_bytes(bitmap: Bitmap) -> bytes:
    """Return the 36-byte stored form of a day bitmap."""
    if bitmap < 0 or bitmap > FULL_DAY:
        raise ValueError("a day bitmap holds 288 slots")
    return bitmap.to_bytes(BITMAP_BYTES, "little")


def from_bytes(data: bytes | bytearray | memoryview | None) -> Bitmap:
    """Return the day bitmap of its stored form (None or empty is the empty bitmap)."""
    if data is None or len(data) == 0:
        return 0
    if len(data) != BITMAP_BYTES:
        raise ValueError(f"a stored day bitmap has {BITMAP_BYTES} bytes, not {len(data)}")
    return int.from_bytes(bytes(data), "little")


def as_bitmap(value: Bitmap | bytes | bytearray | memoryview | None) -> Bitmap:
    """Return a day bitmap from an int, its stored bytes, or None (masked to 288 slots)."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value & FULL_DAY
    return from_bytes(value)


def window_bitmap(day: date, start: Moment, end: Moment) -> Bitmap:
    """Return the slots of ``day`` lying wholly inside ``[start, end)`` (None: unbounded)."""
    midnight = day_start(day)
    first = 0
    stop = SLOTS_PER_DAY
    if start is not None:
        # Ceiling division: the first slot starting at or after ``start``.
        first = max(first, -((midnight - to_local(start)) // SLOT))
    if end is not None:
        # Floor division: the first slot not ending at or before ``end``.
        stop = min(stop, (to_local(end) - midnight) // SLOT)
    return span_bitmap(first, stop)


def period_window_bitmap(first_day: date, day_count: int, start: Moment, end: Moment) -> Bitmap:
    """Return the slots of ``day_count`` days from ``first_day`` wholly inside ``[start, end)``.

    A period bitmap: bit ``288 * k + i`` is slot ``i`` of the ``k``-th day; the same
    slots as ``window_bitmap`` of each day, shifted by ``288 * k``, in one step.
    """
    origin = day_start(first_day)
    total = SLOTS_PER_DAY * max(0, day_count)
    first = 0 if start is None else max(0, -((origin - to_local(start)) // SLOT))
    stop = total if end is None else min(total, (to_local(end) - origin) // SLOT)
    if stop <= first:
        return 0
    return ((1 << (stop - first)) - 1) << first


def expected_bitmap(day: date, data_expected_from: Moment, as_of: Moment) -> Bitmap:
    """Return the expected slots of ``day``: wholly inside [data_expected_from, as_of)."""
    if data_expected_from is None:
        return 0
    return window_bitmap(day, data_expected_from, as_of)


def excused_bitmap(day: date, windows: Iterable[Window]) -> Bitmap:
    """Return the slots of ``day`` lying wholly inside at least one approved window."""
    bitmap = 0
    for start, end in windows:
        bitmap |= window_bitmap(day, start, end)
    return bitmap


def _check_index(index: int) -> None:
    if not 0 <= index < SLOTS_PER_DAY:
        raise ValueError(f"slot index {index} is outside 0..{SLOTS_PER_DAY - 1}")
