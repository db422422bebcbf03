"""Helpers of the stations tests: fixed moments, sources, suspension windows."""

from __future__ import annotations

from datetime import datetime

from app.extensions import db
from app.facilities.models import EmissionSource
from app.formatting import LOCAL_TZ
from app.stations.models import ExcuseWindow, Station

# A fixed moment (decree-05-2025 is in force on that day).
AS_OF = datetime(2026, 1, 15, 12, 0, tzinfo=LOCAL_TZ)


def local(text: str) -> datetime:
    """A local moment from ``YYYY-MM-DD hh:mm[:ss]``."""
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ)


def source_of(facility, code: str) -> EmissionSource:
    """The facility's emission source with that code."""
    return next(s for s in facility.sources if s.code == code)


def suspend(station: Station, starts_at: datetime, expected_end_at: datetime, **values) -> ExcuseWindow:
    """Record a suspension window of a station (approved unless told)."""
    window = ExcuseWindow(
        station_id=station.id,
        kind=values.pop("kind", "suspension"),
        status=values.pop("status", "approved"),
        starts_at=starts_at,
        expected_end_at=expected_end_at,
        reason=values.pop("reason", "dừng sản xuất"),
        **values,
    )
    db.session.add(window)
    db.session.flush()
    return window
