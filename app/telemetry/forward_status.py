"""Whether each station's data reaches the Ministry, and with what delay (the read side of forwarding).

A station's state, worst first:

- ``off``: forwarding is turned off;
- ``failing``: some of its files gave up (``failed``) and wait for an administrator;
- ``late``: a file received more than 15 minutes ago is still waiting;
- ``ok``: its files are sent; the delay is the last sent file's ``forwarded_at - received_at``;
- ``none``: nothing of it has been forwarded yet.

The station page and the receipt overview show these through
``templates/telemetry/_forward_status.html``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from app.db import utcnow
from app.extensions import db
from app.settings import services as settings
from app.settings.models import SettingValue
from app.stations.models import Station
from app.telemetry.models import DataFile

LATE_AFTER = timedelta(minutes=15)
STATES = ("off", "failing", "late", "ok", "none")


def forwarding_since() -> datetime | None:
    """When forwarding was (last) turned on, or None while it is off."""
    row = db.session.get(SettingValue, "receipt.forward_enabled")
    if row is None or int(row.value or 0) != 1:
        return None
    return row.updated_at


def format_delay(delay: timedelta | None) -> str:
    """A delay in words: ``45 s``, ``3 min 05 s``, ``2 h 10 min`` (a dash when unknown)."""
    if delay is None:
        return "—"
    seconds = max(int(delay.total_seconds()), 0)
    if seconds < 60:
        return _("%(s)d s", s=seconds)
    if seconds < 3600:
        return _("%(m)d min %(s)02d s", m=seconds // 60, s=seconds % 60)
    return _("%(h)d h %(m)02d min", h=seconds // 3600, m=seconds % 3600 // 60)


@dataclass
class ForwardSummary:
    """One station's forwarding: its state, the last sent file and its delay, what waits."""

    enabled: bool
    state: str = "none"
    station_id: int | None = None
    station_code: str | None = None
    pending: int = 0
    failed: int = 0
    oldest_pending_at: datetime | None = None
    last_name: str | None = None
    last_received_at: datetime | None = None
    last_forwarded_at: datetime | None = None
    last_error: str | None = None

    @property
    def delay(self) -> timedelta | None:
        """The last sent file's delay between its receipt and its arrival at the Ministry."""
        if self.last_received_at is None or self.last_forwarded_at is None:
            return None
        return self.last_forwarded_at - self.last_received_at

    @property
    def delay_text(self) -> str:
        """The delay in words."""
        return format_delay(self.delay)

    @property
    def reaches(self) -> bool:
        """Whether the station's data currently reaches the Ministry."""
        return self.state == "ok"


@dataclass
class ForwardOverview:
    """The province's forwarding: the destination, totals, and one summary per station."""

    enabled: bool
    since: datetime | None
    configured: bool
    pending: int = 0
    failed: int = 0
    sent_last_day: int = 0
    stations: list[ForwardSummary] = field(default_factory=list)

    @property
    def reaching(self) -> int:
        """How many of the listed stations' data reaches the Ministry."""
        return sum(1 for row in self.stations if row.reaches)

    @property
    def worst_delay(self) -> timedelta | None:
        """The longest of the stations' last delays."""
        delays = [row.delay for row in self.stations if row.delay is not None]
        return max(delays) if delays else None


def _state(summary: ForwardSummary, now: datetime) -> str:
    if not summary.enabled:
        return "off"
    if summary.failed:
        return "failing"
    if summary.oldest_pending_at is not None and summary.oldest_pending_at < now - LATE_AFTER:
        return "late"
    return "ok" if summary.last_forwarded_at is not None else "none"


def _waiting_counts(station_ids: list[int] | None) -> sa.Select:
    query = (
        sa.select(
            DataFile.station_id,
            DataFile.forward_status,
            sa.func.count(DataFile.id),
            sa.func.min(DataFile.received_at),
        )
        .where(DataFile.forward_status.in_(("pending", "failed")), DataFile.station_id.is_not(None))
        .group_by(DataFile.station_id, DataFile.forward_status)
    )
    return query if station_ids is None else query.where(DataFile.station_id.in_(station_ids))


def _last_sent(station_ids: list[int] | None) -> sa.Select:
    latest = sa.select(
        DataFile.station_id.label("station_id"), sa.func.max(DataFile.forwarded_at).label("at")
    ).where(DataFile.forward_status == "sent", DataFile.station_id.is_not(None))
    if station_ids is not None:
        latest = latest.where(DataFile.station_id.in_(station_ids))
    latest = latest.group_by(DataFile.station_id).subquery()
    return sa.select(
        DataFile.station_id, DataFile.original_name, DataFile.received_at, DataFile.forwarded_at
    ).join(
        latest,
        sa.and_(
            DataFile.station_id == latest.c.station_id,
            DataFile.forwarded_at == latest.c.at,
            DataFile.forward_status == "sent",
        ),
    )


def _last_errors(station_ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(
        sa.select(DataFile.station_id, DataFile.forward_error)
        .where(
            DataFile.station_id.in_(station_ids),
            DataFile.forward_status.in_(("pending", "failed")),
            DataFile.forward_error.is_not(None),
        )
        .order_by(DataFile.forwarded_at)
    )
    return {station_id: error for station_id, error in rows}


def _summaries(station_ids: list[int] | None, enabled: bool, now: datetime) -> dict[int, ForwardSummary]:
    found: dict[int, ForwardSummary] = {}

    def summary(station_id: int) -> ForwardSummary:
        return found.setdefault(station_id, ForwardSummary(enabled=enabled, station_id=station_id))

    for station_id, status, count, oldest in db.session.execute(_waiting_counts(station_ids)):
        row = summary(station_id)
        if status == "pending":
            row.pending, row.oldest_pending_at = count, oldest
        else:
            row.failed = count
    for station_id, name, received_at, forwarded_at in db.session.execute(_last_sent(station_ids)):
        row = summary(station_id)
        row.last_name, row.last_received_at, row.last_forwarded_at = name, received_at, forwarded_at
    if found:
        for station_id, error in _last_errors(list(found)).items():
            found[station_id].last_error = error
    rows = db.session.execute(sa.select(Station.id, Station.code).where(Station.id.in_(list(found))))
    codes = {station_id: code for station_id, code in rows}
    for station_id, row in found.items():
        row.station_code = codes.get(station_id)
        row.state = _state(row, now)
    return found


def forward_summary(station: Station, now: datetime | None = None) -> ForwardSummary:
    """Whether this station's data reaches the Ministry: its state, last sent file and delay."""
    now = now or utcnow()
    enabled = forwarding_since() is not None
    found = _summaries([station.id], enabled, now)
    if station.id in found:
        return found[station.id]
    return ForwardSummary(
        enabled=enabled, station_id=station.id, station_code=station.code, state="none" if enabled else "off"
    )


def province_forward_overview(now: datetime | None = None) -> ForwardOverview:
    """Every station with forwarded or waiting files, worst first, and the province's totals."""
    now = now or utcnow()
    since = forwarding_since()
    overview = ForwardOverview(
        enabled=since is not None,
        since=since,
        configured=bool((settings.get("receipt.forward_host") or "").strip()),
    )
    rows = list(_summaries(None, overview.enabled, now).values())
    rows.sort(key=lambda row: (STATES.index(row.state), row.station_code or ""))
    overview.stations = rows
    overview.pending = sum(row.pending for row in rows)
    overview.failed = sum(row.failed for row in rows)
    overview.sent_last_day = (
        db.session.scalar(
            sa.select(sa.func.count(DataFile.id)).where(
                DataFile.forward_status == "sent", DataFile.forwarded_at >= now - timedelta(days=1)
            )
        )
        or 0
    )
    return overview
