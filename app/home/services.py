"""What each role's home page shows."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_login import current_user

from app.audit.models import AuditEvent
from app.auth.models import User
from app.auth.roles import ADMIN, ENTERPRISE
from app.extensions import db
from app.facilities.models import Enterprise, Facility
from app.jobs.models import JobRun


def _count(query: sa.Select) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))


def summary() -> dict[str, Any]:
    """Figures and lists for the current user's home page."""
    if current_user.role == ENTERPRISE:
        facilities = db.session.scalars(
            sa.select(Facility)
            .where(Facility.enterprise_id == current_user.enterprise_id)
            .order_by(Facility.code)
        ).all()
        return {"facilities": facilities, "enterprise": current_user.enterprise}
    data: dict[str, Any] = {
        "facility_count": _count(sa.select(Facility.id)),
        "enterprise_count": _count(sa.select(Enterprise.id)),
        "by_commune": db.session.execute(
            sa.select(Facility.commune, sa.func.count(Facility.id))
            .group_by(Facility.commune)
            .order_by(sa.func.count(Facility.id).desc(), Facility.commune)
            .limit(10)
        ).all(),
    }
    if current_user.role == ADMIN:
        data["user_count"] = _count(sa.select(User.id).where(User.is_active_account.is_(True)))
        data["jobs_waiting"] = _count(
            sa.select(JobRun.id).where(JobRun.status.in_(("pending", "queued", "running")))
        )
        data["jobs_failed"] = _count(sa.select(JobRun.id).where(JobRun.status == "failed"))
        data["recent_events"] = db.session.scalars(
            sa.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(8)
        ).all()
    return data
