"""Use cases of facilities: finding them within what the user may see."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from app.auth.access import ensure_enterprise, scope_to_enterprise
from app.compliance.models import Obligation
from app.errors import NotFound
from app.extensions import db
from app.facilities.models import Enterprise, Facility

SORTS = {
    "code": (Facility.code,),
    "name": (Facility.name, Facility.code),
    "enterprise": (Enterprise.name, Facility.code),
    "commune": (Facility.commune, Facility.code),
    "flow": (Facility.wastewater_flow_m3_day.desc(), Facility.code),
}
OBLIGATION_FILTERS = ("required", "optional", "not_required", "under_obligation")


@dataclass(frozen=True)
class Filters:
    """What the facility list is filtered and sorted by."""

    text: str | None = None
    commune: str | None = None
    industry: str | None = None
    regime: str | None = None
    wastewater: str | None = None
    emission: str | None = None
    missing_data: bool = False
    sort: str = "code"


def _status_filter(query: sa.Select, regime: str, kind: str, wanted: str) -> sa.Select:
    statuses = ("required", "optional") if wanted == "under_obligation" else (wanted,)
    matching = sa.select(Obligation.facility_id).where(
        Obligation.regime == regime, Obligation.kind == kind, Obligation.status.in_(statuses)
    )
    return query.where(Facility.id.in_(matching))


def facility_query(filters: Filters) -> sa.Select:
    """Facilities the current user may see, filtered and sorted."""
    query = sa.select(Facility).join(Enterprise)
    query = scope_to_enterprise(query, Facility.enterprise_id)
    if filters.text:
        pattern = f"%{filters.text.strip()}%"
        query = query.where(
            sa.or_(
                Facility.code.ilike(pattern),
                Facility.name.ilike(pattern),
                Enterprise.name.ilike(pattern),
                Enterprise.tax_code.ilike(pattern),
            )
        )
    if filters.commune:
        query = query.where(Facility.commune == filters.commune)
    if filters.industry:
        query = query.where(Facility.industry_type == filters.industry)
    if filters.regime:
        for kind in ("wastewater", "emission"):
            wanted = getattr(filters, kind)
            if wanted in OBLIGATION_FILTERS:
                query = _status_filter(query, filters.regime, kind, wanted)
        if filters.missing_data:
            with_missing = sa.select(Obligation.facility_id).where(
                Obligation.regime == filters.regime, sa.func.json_array_length(Obligation.missing) > 0
            )
            query = query.where(Facility.id.in_(with_missing))
    return query.order_by(*SORTS.get(filters.sort, SORTS["code"]))


def obligations_for(facility_ids: list[int], regime: str) -> dict[int, dict[str, Obligation]]:
    """Stored obligations of these facilities under a regime, by facility then kind."""
    found: dict[int, dict[str, Obligation]] = {}
    if not facility_ids:
        return found
    rows = db.session.scalars(
        sa.select(Obligation).where(Obligation.facility_id.in_(facility_ids), Obligation.regime == regime)
    )
    for obligation in rows:
        found.setdefault(obligation.facility_id, {})[obligation.kind] = obligation
    return found


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
