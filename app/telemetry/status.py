"""Connection status of a station, derived from its declarations and the data observed.

Pure: plain values in, a status and the moment it has been lost since out. Never typed
in by anyone; the first status whose condition holds wins, in the contract's order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from app.telemetry.slots import SLOT, Window, slot_floor, to_local

DEFAULT_LOST_AFTER = timedelta(minutes=60)
"""Default *lost-after* threshold (a setting)."""


class ConnectionStatus(StrEnum):
    """The connection statuses of a station, in the order they are tried."""

    SUSPENDED = "suspended"
    NOT_REQUIRED = "not_required"
    NOT_INSTALLED = "not_installed"
    INSTALLED = "installed"
    AWAITING_DATA = "awaiting_data"
    RECEIVING = "receiving"
    LOST = "lost"


@dataclass(frozen=True, slots=True)
class ConnectionState:
    """A station's connection status and, when lost, since when."""

    status: ConnectionStatus
    lost_since: datetime | None = None


def covers(windows: Iterable[Window], moment: datetime) -> bool:
    """Return whether a window ``[start, end)`` (None: unbounded) covers the moment."""
    moment = to_local(moment)
    for start, end in windows:
        if (start is None or to_local(start) <= moment) and (end is None or moment < to_local(end)):
            return True
    return False


def lost_since(
    data_expected_from: datetime,
    last_reading_at: datetime | None,
    lost_after: timedelta = DEFAULT_LOST_AFTER,
) -> datetime:
    """Return when a station is lost since: its last reading's slot end plus lost-after."""
    if last_reading_at is None:
        return to_local(data_expected_from) + lost_after
    return slot_floor(last_reading_at) + SLOT + lost_after


def connection_status(
    *,
    as_of: datetime,
    kind: str,
    serves_obligation: bool,
    installed_at: datetime | None,
    data_expected_from: datetime | None,
    last_reading_at: datetime | None,
    suspensions: Iterable[Window] = (),
    lost_after: timedelta = DEFAULT_LOST_AFTER,
) -> ConnectionState:
    """Return the connection status of a station at ``as_of``.

    ``suspensions`` are the approved suspension windows; ``last_reading_at`` is the
    measurement time of the station's last stored reading (None when it never sent one).
    Ambient stations are always required by the department.
    """
    as_of = to_local(as_of)
    if covers(suspensions, as_of):
        return ConnectionState(ConnectionStatus.SUSPENDED)
    if kind != "ambient" and not serves_obligation:
        return ConnectionState(ConnectionStatus.NOT_REQUIRED)
    if data_expected_from is None:
        if installed_at is None:
            return ConnectionState(ConnectionStatus.NOT_INSTALLED)
        return ConnectionState(ConnectionStatus.INSTALLED)
    if last_reading_at is None and as_of - to_local(data_expected_from) < lost_after:
        return ConnectionState(ConnectionStatus.AWAITING_DATA)
    if last_reading_at is not None and as_of - (slot_floor(last_reading_at) + SLOT) <= lost_after:
        return ConnectionState(ConnectionStatus.RECEIVING)
    since = lost_since(data_expected_from, last_reading_at, lost_after)
    return ConnectionState(ConnectionStatus.LOST, since)
