"""Writing and reading the audit trail."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from app.audit.actor import current_actor
from app.audit.models import AuditEvent
from app.extensions import db


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def record(
    action: str,
    obj: Any = None,
    *,
    object_type: str | None = None,
    object_id: Any = None,
    label: str | None = None,
    changes: dict[str, Any] | None = None,
    reason: str | None = None,
) -> AuditEvent:
    """Append an event for the current actor; ``changes`` maps field -> [old, new]."""
    actor = current_actor()
    if obj is not None:
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else getattr(obj, "id", None)
        label = label or str(obj)
    event = AuditEvent(
        actor_label=_fit(actor.label, AuditEvent.actor_label),
        actor_id=actor.user_id,
        action=action,
        object_type=object_type or "system",
        object_id=None if object_id is None else str(object_id),
        object_label=_fit(label, AuditEvent.object_label),
        changes=_plain(changes or {}),
        reason=reason,
    )
    db.session.add(event)
    db.session.flush()
    return event


def _fit(text: str | None, column: Any) -> str | None:
    """The text cut to the column's length, marked with an ellipsis (a long name must not fail a change)."""
    length = column.type.length
    if text is None or len(text) <= length:
        return text
    return text[: length - 1] + "…"


def diff(obj: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set ``values`` on ``obj`` and return the fields that changed as field -> [old, new]."""
    changes: dict[str, list[Any]] = {}
    for field, new in values.items():
        old = getattr(obj, field)
        if old != new:
            changes[field] = [old, new]
            setattr(obj, field, new)
    return changes


def search(
    *,
    actor: str | None = None,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> sa.Select:
    """A query of events matching the filters, newest first."""
    query = sa.select(AuditEvent).order_by(AuditEvent.id.desc())
    if actor:
        query = query.where(AuditEvent.actor_label.ilike(f"%{actor}%"))
    if action:
        query = query.where(AuditEvent.action.like(f"{action}%"))
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if object_id:
        query = query.where(AuditEvent.object_id == object_id)
    if since:
        query = query.where(AuditEvent.at >= since)
    if until:
        query = query.where(AuditEvent.at < until)
    return query


def actions() -> list[str]:
    """Every action name present in the trail, for the filter list."""
    return list(db.session.scalars(sa.select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def object_types() -> list[str]:
    """Every object type present in the trail, for the filter list."""
    return list(
        db.session.scalars(sa.select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type))
    )
