"""The audit event: written once, never updated or deleted (database triggers enforce it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import utcnow
from app.extensions import db


class AuditEvent(db.Model):
    """Who did what to which object, what changed, and why."""

    __tablename__ = "audit_events"
    __table_args__ = (
        sa.Index("ix_audit_events_object", "object_type", "object_id"),
        sa.Index("ix_audit_events_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_label: Mapped[str] = mapped_column(sa.String(200))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(sa.String(80), index=True)
    object_type: Mapped[str] = mapped_column(sa.String(60))
    object_id: Mapped[str | None] = mapped_column(sa.String(80))
    object_label: Mapped[str | None] = mapped_column(sa.String(300))
    changes: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    reason: Mapped[str | None] = mapped_column(sa.Text)


@sa.event.listens_for(sa.orm.Session, "before_flush")
def _refuse_audit_rewrite(session: sa.orm.Session, flush_context: Any, instances: Any) -> None:
    """Refuse, before the database has to, any change to an audit event already written."""
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and session.is_modified(obj):
            raise ValueError("audit events are append-only")
        if isinstance(obj, AuditEvent) and obj in session.deleted:
            raise ValueError("audit events are append-only")
