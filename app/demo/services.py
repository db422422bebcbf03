"""Building the demo province: settings, enterprises, facilities, users, stations and their data.

The service adds rows, flushes and audits; the caller commits. It never
deletes: a reset is done by the command, which rebuilds the whole schema
(the audit trail is append-only, and its rows point at users). Facilities get
the attributes and emission sources the rules read (province_rules.py), and
their obligations are stored at once, so lists show statuses from the start.
Then come the stations (stations.py), the portal's items, ``days`` days of
readings written straight into the tables (readings.py), a handful of real
files through the receiver (files.py), the stations' status timelines, and
the follow-up: the compliance sweep's cases and notices (followup.py).
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from app.audit.services import record
from app.auth.models import User
from app.auth.services import create_user
from app.compliance.services import reevaluate_facilities, regime_in_force, today
from app.dashboard.snapshots import snapshot_month
from app.demo import province
from app.demo.followup import build_followup
from app.demo.inspections import build_inspections
from app.demo.province_facilities import enterprise_rows, facility_rows
from app.demo.province_rules import rule_values, source_rows
from app.demo.province_stations import STATION_BY_CODE
from app.demo.telemetry import DEMO_DAYS, build_telemetry
from app.errors import DomainError
from app.extensions import db
from app.facilities.models import RULE_ATTRIBUTES, EmissionSource, Enterprise, Facility
from app.settings.services import update
from app.stations.models import Station


def existing_demo_rows() -> list[str]:
    """What of the demo is already in the database: e-mails, tax codes, facility, source and station codes."""
    emails = [u.email for u in province.USERS]
    taxes = [e["tax_code"] for e in enterprise_rows()]
    codes = [f["code"] for f in facility_rows()]
    sources = [s["code"] for s in source_rows()]
    present = set(db.session.scalars(sa.select(User.email).where(User.email.in_(emails))))
    found = [email for email in emails if email in present]
    found += db.session.scalars(sa.select(Enterprise.tax_code).where(Enterprise.tax_code.in_(taxes)))
    found += db.session.scalars(sa.select(Facility.code).where(Facility.code.in_(codes)))
    found += db.session.scalars(sa.select(EmissionSource.code).where(EmissionSource.code.in_(sources)))
    found += db.session.scalars(sa.select(Station.code).where(Station.code.in_(STATION_BY_CODE)))
    return found


def has_users() -> bool:
    """True when the database holds any user account."""
    return db.session.scalar(sa.select(sa.func.count(User.id))) > 0


def build_demo(reset: bool, days: int = DEMO_DAYS) -> dict[str, Any]:
    """Create the demo province and return a summary (counts, users with their passwords).

    ``reset`` tells that the caller has just emptied the database; either way
    the demo is refused when any of its rows already exists. ``days`` is how many
    local days of readings the connected stations have (today included).
    """
    found = existing_demo_rows()
    if found:
        shown = ", ".join(found[:3]) + (" …" if len(found) > 3 else "")
        if reset:
            raise DomainError(f"Cơ sở dữ liệu vẫn còn dữ liệu demo sau khi đặt lại ({shown}).")
        raise DomainError(
            f"Dữ liệu demo đã có trong cơ sở dữ liệu ({shown}). "
            "Dùng `flask demo --reset` để xóa toàn bộ cơ sở dữ liệu và dựng lại. "
            "(The demo data already exists; `flask demo --reset` wipes the database and rebuilds it.)"
        )
    # The demo shows the public disclosure page (off by default elsewhere).
    settings_changed = update({**province.AGENCY, "public.enabled": 1}, reason=province.DEMO_REASON)
    enterprises = _create_enterprises()
    facilities = _create_facilities(enterprises)
    sources = _create_sources(facilities)
    reevaluate_facilities(facilities)
    users = _create_users(enterprises, facilities)
    telemetry = build_telemetry(facilities, days)
    followup = build_followup(facilities)
    inspections = build_inspections(days)
    snapshots = _snapshot_months(days)
    return {
        "province": province.AGENCY["agency.province"],
        "communes": len({f.commune for f in facilities}),
        "industrial_parks": len({f.industrial_park for f in facilities if f.industrial_park}),
        "enterprises": len(enterprises),
        "facilities": len(facilities),
        "sources": len(sources),
        "obligations": _obligation_counts(facilities),
        "settings_changed": sorted(settings_changed),
        "users": users,
        **telemetry,
        "followup": followup,
        "inspections": inspections,
        "dashboard_months": snapshots,
    }


def _snapshot_months(days: int) -> list[str]:
    """The dashboard's snapshots of every month the demo's data touches (the current one included)."""
    first = today() - timedelta(days=max(days, 1) - 1)
    months = sorted({(first + timedelta(days=n)).replace(day=1) for n in range((today() - first).days + 1)})
    return [snapshot_month(month)["month"] for month in months]


def _obligation_counts(facilities: list[Facility]) -> dict[str, Any]:
    """How many facilities owe what under the regime in force today, by kind and status."""
    regime = regime_in_force(today())
    counts = {kind: Counter() for kind in ("wastewater", "emission")}
    for facility in facilities:
        for obligation in facility.obligations:
            if obligation.regime == regime:
                counts[obligation.kind][obligation.status] += 1
    return {"regime": regime, **{kind: dict(found) for kind, found in counts.items()}}


def _create_enterprises() -> dict[str, Enterprise]:
    created: dict[str, Enterprise] = {}
    for row in enterprise_rows():
        enterprise = Enterprise(name=row["name"], tax_code=row["tax_code"], address=row["address"])
        db.session.add(enterprise)
        created[row["key"]] = enterprise
    db.session.flush()
    for enterprise in created.values():
        record(
            "demo.created",
            enterprise,
            changes={"name": [None, enterprise.name], "tax_code": [None, enterprise.tax_code]},
            reason=province.DEMO_REASON,
        )
    return created


def _create_facilities(enterprises: dict[str, Enterprise]) -> list[Facility]:
    created: list[Facility] = []
    for row in facility_rows():
        values = {k: v for k, v in row.items() if k != "enterprise"}
        values.update(rule_values(row))
        facility = Facility(enterprise_id=enterprises[row["enterprise"]].id, **values)
        db.session.add(facility)
        created.append(facility)
    db.session.flush()
    for facility in created:
        changes = {
            "enterprise_id": [None, facility.enterprise_id],
            "commune": [None, facility.commune],
            "industry_type": [None, facility.industry_type],
        }
        for key in RULE_ATTRIBUTES:
            value = getattr(facility, key)
            if key not in changes and value not in (None, False, [], 0):
                changes[key] = [None, value]
        record("demo.created", facility, changes=changes, reason=province.DEMO_REASON)
    return created


def _create_sources(facilities: list[Facility]) -> list[EmissionSource]:
    by_code = {facility.code: facility for facility in facilities}
    created: list[EmissionSource] = []
    for row in source_rows():
        values = {k: v for k, v in row.items() if k != "facility_code"}
        source = EmissionSource(facility=by_code[row["facility_code"]], **values)
        db.session.add(source)
        created.append(source)
    db.session.flush()
    for source in created:
        changes = {"facility_id": [None, source.facility_id], "source_kind": [None, source.source_kind]}
        for key in ("fuel", "capacity", "capacity_unit", "flow_m3_h"):
            if getattr(source, key) is not None:
                changes[key] = [None, getattr(source, key)]
        record("demo.created", source, changes=changes, reason=province.DEMO_REASON)
    return created


def _create_users(enterprises: dict[str, Enterprise], facilities: list[Facility]) -> list[dict[str, Any]]:
    users = []
    for demo in province.USERS:
        enterprise = enterprises[demo.enterprise] if demo.enterprise else None
        user, password = create_user(
            demo.email,
            demo.role,
            full_name=demo.full_name,
            enterprise_id=enterprise.id if enterprise else None,
            password=demo.password,
        )
        users.append(
            {
                "email": user.email,
                "role": user.role,
                "full_name": user.full_name,
                "password": password,
                "enterprise": enterprise.name if enterprise else None,
                "facilities": sum(f.enterprise_id == enterprise.id for f in facilities)
                if enterprise
                else None,
            }
        )
    return users
