"""What the load run's users open: each role's pages on the data set, and the uploading stations.

Read from the database once the set is built: a few facilities, stations, cases
and notices for the staff; for each enterprise account, its own
facilities, stations and notices. Names in the figures are the route patterns
(``/stations/<code>``), whatever object a request opened.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from app.auth.models import User
from app.cases.models import Case
from app.demo.province import USERS
from app.extensions import db
from app.facilities.models import Facility
from app.notices.models import Notice
from app.stations.models import Station
from app.telemetry import accounts
from bench.load_users import LOCAL_TZ, Page, Sender

SAMPLE = 6


def _first(query, limit: int = SAMPLE) -> list:
    return list(db.session.scalars(query.limit(limit)))


def staff_pages() -> dict[str, list[Page]]:
    """The inspectors' and the leaders' pages."""
    month = datetime.now(LOCAL_TZ).strftime("%Y-%m")
    facilities = _first(sa.select(Facility.code).order_by(Facility.code))
    stations = _first(sa.select(Station.code).where(Station.facility_id.is_not(None)).order_by(Station.code))
    cases = _first(sa.select(Case.id).where(Case.status == "open").order_by(Case.id))
    notices = _first(sa.select(Notice.id).where(Notice.status == "issued").order_by(Notice.id))
    common = [
        Page("/home", "/home"),
        Page("/cases/", "/cases/"),
        Page("/notices/", "/notices/"),
        Page("/facilities/", "/facilities/"),
        Page("/stations/", "/stations/"),
        *[Page("/cases/<id>", f"/cases/{i}") for i in cases],
        *[Page("/notices/<id>", f"/notices/{i}") for i in notices],
        *[Page("/stations/<code>/data", f"/stations/{c}/data?month={month}") for c in stations],
    ]
    inspector = [
        *common,
        Page("/telemetry/overview", "/telemetry/overview"),
        Page("/verification/", "/verification/"),
        *[Page("/facilities/<code>", f"/facilities/{c}") for c in facilities],
        *[Page("/stations/<code>", f"/stations/{c}") for c in stations],
        *[
            Page(
                "POST /cases/<id>/note",
                f"/cases/{i}/note",
                "POST",
                {"note-text": "Đã gọi điện nhắc doanh nghiệp."},
            )
            for i in cases[:2]
        ],
    ]
    return {"inspector": inspector, "leader": common}


def enterprise_pages(user: User) -> list[Page]:
    """An enterprise user's own pages."""
    facility_ids = sa.select(Facility.id).where(Facility.enterprise_id == user.enterprise_id)
    facilities = _first(sa.select(Facility.code).where(Facility.id.in_(facility_ids)).order_by(Facility.code))
    stations = _first(
        sa.select(Station.code).where(Station.facility_id.in_(facility_ids)).order_by(Station.code)
    )
    notices = _first(
        sa.select(Notice.id)
        .where(Notice.facility_id.in_(facility_ids), Notice.status == "issued")
        .order_by(Notice.id)
    )
    return [
        Page("/portal/", "/portal/"),
        Page("/portal/notices/", "/portal/notices/"),
        *[Page("/portal/facilities/<code>", f"/portal/facilities/{c}") for c in facilities],
        *[Page("/portal/stations/<code>", f"/portal/stations/{c}") for c in stations],
        *[Page("/portal/notices/<id>", f"/portal/notices/{i}") for i in notices],
    ]


def pages_by_role(
    accounts: list[tuple[str, str, str]] | None = None,
) -> tuple[dict[str, list[Page]], dict[str, list[tuple[str, str, list[Page]]]]]:
    """Pages per staff role, and per role the accounts (e-mail, password, their pages).

    ``accounts`` are (e-mail, role, password); the demo province's accounts by default.
    """
    if accounts is None:
        accounts = [(demo.email, demo.role, demo.password) for demo in USERS]
    pages = staff_pages()
    found: dict[str, list[tuple[str, str, list[Page]]]] = {"inspector": [], "leader": [], "enterprise": []}
    for email, role, password in accounts:
        if role not in found:
            continue
        if role == "enterprise":
            user = db.session.scalar(sa.select(User).where(User.email == email))
            own = enterprise_pages(user)
        else:
            own = pages[role]
        found[role].append((email, password, own))
    return pages, found


def senders(count: int) -> list[Sender]:
    """An HTTP upload token for each of the first ``count`` stations of a facility (created here)."""
    stations = _first(
        sa.select(Station).where(Station.facility_id.is_not(None)).order_by(Station.code), limit=count
    )
    found = []
    for station in stations:
        _, token = accounts.create_account("http", station_id=station.id, note="load run")
        found.append(Sender(station.code, token, tuple(station.parameters or ("pH", "COD", "TSS"))))
    return found
