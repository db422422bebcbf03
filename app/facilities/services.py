"""Use cases of facilities: finding them within what the user may see."""

from __future__ import annotations

import sqlalchemy as sa

from app.auth.access import ensure_enterprise, scope_to_enterprise
from app.errors import NotFound
from app.extensions import db
from app.facilities.models import Enterprise, Facility


def facility_query(
    text: str | None = None, commune: str | None = None, industry: str | None = None
) -> sa.Select:
    """Facilities the current user may see, filtered, ordered by code."""
    query = sa.select(Facility).join(Enterprise).order_by(Facility.code)
    query = scope_to_enterprise(query, Facility.enterprise_id)
    if text:
        pattern = f"%{text.strip()}%"
        query = query.where(
            sa.or_(Facility.code.ilike(pattern), Facility.name.ilike(pattern), Enterprise.name.ilike(pattern))
        )
    if commune:
        query = query.where(Facility.commune == commune)
    if industry:
        query = query.where(Facility.industry_type == industry)
    return query


def visible_facility(code: str) -> Facility:
    """The facility with this code, if the current user may see it (else NotFound)."""
    facility = db.session.scalar(sa.select(Facility).where(Facility.code == code))
    if facility is None:
        raise NotFound(code)
    ensure_enterprise(facility.enterprise_id)
    return facility


def communes() -> list[str]:
    """The communes that have facilities, for filters."""
    return list(
        db.session.scalars(
            scope_to_enterprise(
                sa.select(Facility.commune).where(Facility.commune.is_not(None)).distinct(),
                Facility.enterprise_id,
            ).order_by(Facility.commune)
        )
    )


def industries() -> list[str]:
    """The industry codes in use, for filters."""
    return list(
        db.session.scalars(
            scope_to_enterprise(
                sa.select(Facility.industry_type).where(Facility.industry_type.is_not(None)).distinct(),
                Facility.enterprise_id,
            ).order_by(Facility.industry_type)
        )
    )
