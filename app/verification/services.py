"""Use cases of verification: the queue of pending items and the inspectors' decisions.

A declaration is verified (its values are written to the station) or rejected
with a reason; a window is approved (optionally with its actual end) or
rejected, and an approved window can later be closed with its actual end.
Each item is decided once: the decision is a conditional update, so two
inspectors deciding at the same moment cannot both succeed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from app.audit.actor import current_actor
from app.audit.services import diff, record
from app.db import utcnow
from app.errors import DomainError
from app.extensions import db
from app.formatting import LOCAL_TZ
from app.portal.services import (
    CONNECTION,
    DECLARATIONS,
    INSTALLATION,
    WINDOWS,
    declaration_label,
    window_label,
)
from app.stations.evidence import evidence_of
from app.stations.models import Declaration, EvidenceFile, ExcuseWindow, Station


class AlreadyDecided(DomainError):
    """The item was decided before (by someone else, or in another tab)."""


@dataclass(frozen=True)
class QueueItem:
    """A pending declaration or window with its evidence."""

    kind: str  # "declaration" or "window"
    item: Declaration | ExcuseWindow
    submitted_at: datetime
    evidence: list[EvidenceFile]

    @property
    def station(self) -> Station:
        """The station the item is about."""
        return self.item.station


def pending_queue() -> list[QueueItem]:
    """Every pending declaration and window, oldest first."""
    declarations = list(db.session.scalars(sa.select(Declaration).where(Declaration.status == "pending")))
    windows = list(db.session.scalars(sa.select(ExcuseWindow).where(ExcuseWindow.status == "pending")))
    files = evidence_of(DECLARATIONS, [d.id for d in declarations])
    window_files = evidence_of(WINDOWS, [w.id for w in windows])
    items = [QueueItem("declaration", d, d.declared_at, files[d.id]) for d in declarations]
    items += [QueueItem("window", w, w.requested_at, window_files[w.id]) for w in windows]
    return sorted(items, key=lambda i: (i.submitted_at, i.kind, i.item.id))


def pending_count() -> int:
    """How many declarations and windows await a decision."""
    declarations = db.session.scalar(
        sa.select(sa.func.count(Declaration.id)).where(Declaration.status == "pending")
    )
    windows = db.session.scalar(
        sa.select(sa.func.count(ExcuseWindow.id)).where(ExcuseWindow.status == "pending")
    )
    return int(declarations or 0) + int(windows or 0)


def open_windows() -> list[ExcuseWindow]:
    """Approved windows whose actual end is not recorded yet, oldest first."""
    return list(
        db.session.scalars(
            sa.select(ExcuseWindow)
            .where(ExcuseWindow.status == "approved", ExcuseWindow.ends_at.is_(None))
            .order_by(ExcuseWindow.starts_at, ExcuseWindow.id)
        )
    )


def _claim(
    model: Any, row: Any, status: str, reason: str | None, extra: dict[str, Any] | None = None
) -> None:
    """Move a pending row to ``status`` unless someone decided it first."""
    if row.status != "pending":
        raise AlreadyDecided(_("This item was already decided; a decision cannot be changed."))
    values = {
        "status": status,
        "decided_by_id": current_actor().user_id,
        "decided_at": utcnow(),
        "decision_reason": reason,
        **(extra or {}),
    }
    result = db.session.execute(
        sa.update(model)
        .where(model.id == row.id, model.status == "pending")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.expire(row)
        raise AlreadyDecided(_("This item was already decided; a decision cannot be changed."))
    db.session.refresh(row)


def _clean(reason: str | None) -> str | None:
    return (reason or "").strip() or None


def _required(reason: str | None) -> str:
    text = _clean(reason)
    if text is None:
        raise DomainError(_("A reason is required to reject."), field="reason")
    return text


def declared_moment(text: str) -> datetime:
    """A declared local ``YYYY-MM-DDThh:mm`` as an aware UTC moment."""
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ).astimezone(UTC)


def station_values(declaration: Declaration) -> dict[str, Any]:
    """The station fields a verified declaration sets."""
    values = declaration.values or {}
    if declaration.kind == INSTALLATION:
        found: dict[str, Any] = {
            "installed_at": date.fromisoformat(values["installed_on"]),
            "has_camera": bool(values.get("has_camera")),
            "has_sampler": bool(values.get("has_sampler")),
        }
        if values.get("parameters"):
            found["parameters"] = list(values["parameters"])
        if values.get("datalogger_make"):
            found["datalogger_make"] = values["datalogger_make"]
        return found
    if declaration.kind == CONNECTION:
        return {
            "data_expected_from": declared_moment(values["connected_since"]),
            "datalogger_ip": values.get("datalogger_ip") or None,
        }
    raise DomainError(_("Unknown kind of declaration."))


def verify_declaration(declaration: Declaration, reason: str | None = None) -> dict[str, list[Any]]:
    """Verify a pending declaration and write its values to the station; return the station's changes."""
    reason = _clean(reason)
    values = station_values(declaration)
    _claim(Declaration, declaration, "verified", reason)
    station = declaration.station
    changes = diff(station, values)
    db.session.flush()
    record(
        "declaration.verified",
        declaration,
        label=declaration_label(declaration),
        changes={"status": ["pending", "verified"], **changes},
        reason=reason,
    )
    if changes:
        record(
            "station.updated",
            station,
            changes=changes,
            reason=_("Declaration #%(id)d verified.", id=declaration.id) + (f" {reason}" if reason else ""),
        )
    return changes


def reject_declaration(declaration: Declaration, reason: str | None) -> None:
    """Reject a pending declaration with a reason (nothing changes on the station)."""
    text = _required(reason)
    _claim(Declaration, declaration, "rejected", text)
    record(
        "declaration.rejected",
        declaration,
        label=declaration_label(declaration),
        changes={"status": ["pending", "rejected"]},
        reason=text,
    )


def _check_end(window: ExcuseWindow, ends_at: datetime) -> datetime:
    if ends_at.tzinfo is None:
        ends_at = ends_at.replace(tzinfo=LOCAL_TZ)
    if ends_at <= window.starts_at:
        raise DomainError(_("The actual end must be after the start."), field="ends_at")
    if ends_at > utcnow():
        raise DomainError(_("The actual end cannot be in the future."), field="ends_at")
    return ends_at


def approve_window(window: ExcuseWindow, ends_at: datetime | None = None, reason: str | None = None) -> None:
    """Approve a pending window, with its actual end when known; its slots are then excused."""
    reason = _clean(reason)
    extra = {"ends_at": _check_end(window, ends_at)} if ends_at is not None else {}
    _claim(ExcuseWindow, window, "approved", reason, extra)
    changes: dict[str, Any] = {"status": ["pending", "approved"]}
    if window.ends_at is not None:
        changes["ends_at"] = [None, window.ends_at]
    record("window.approved", window, label=window_label(window), changes=changes, reason=reason)


def reject_window(window: ExcuseWindow, reason: str | None) -> None:
    """Reject a pending window with a reason."""
    text = _required(reason)
    _claim(ExcuseWindow, window, "rejected", text)
    record(
        "window.rejected",
        window,
        label=window_label(window),
        changes={"status": ["pending", "rejected"]},
        reason=text,
    )


def close_window(window: ExcuseWindow, ends_at: datetime, reason: str | None = None) -> None:
    """Record the actual end of an approved window (once)."""
    if window.status != "approved":
        raise DomainError(_("Only an approved window can be closed."))
    if window.ends_at is not None:
        raise AlreadyDecided(_("This window is already closed."))
    ends_at = _check_end(window, ends_at)
    result = db.session.execute(
        sa.update(ExcuseWindow)
        .where(
            ExcuseWindow.id == window.id, ExcuseWindow.status == "approved", ExcuseWindow.ends_at.is_(None)
        )
        .values(ends_at=ends_at)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.expire(window)
        raise AlreadyDecided(_("This window is already closed."))
    db.session.refresh(window)
    record(
        "window.closed",
        window,
        label=window_label(window),
        changes={"ends_at": [None, ends_at]},
        reason=_clean(reason),
    )
