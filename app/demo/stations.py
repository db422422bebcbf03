"""The demo's stations: the facilities' choices, the stations, their certificates and a suspension.

Stations are registered through the same use case as the inspectors' form
(audited), with the parameters each obligation requires: the wastewater
obligation's list, and for an emission station the list of its own source. A
station serving no obligation keeps a usual list of its kind. Installation and
connection moments are set relative to the build, so the statuses of
province_stations.py hold whenever the demo is built.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from app.audit.actor import acting_as
from app.auth.models import User
from app.auth.roles import ENTERPRISE, INSPECTOR
from app.demo.province import DEMO_REASON
from app.demo.province_stations import (
    AMBIENT_PARAMETERS,
    MONITORING_CHOICES,
    STATIONS,
    SUSPENSION,
    StationSeed,
)
from app.demo.readings import first_day
from app.extensions import db
from app.facilities.models import Facility
from app.portal import services as portal
from app.portal.demo import evidence_pdf
from app.stations.coverage_services import coverage_by_facility, record_monitoring_choice
from app.stations.edit_services import add_certificate, create_station
from app.stations.evidence import Upload
from app.stations.models import ExcuseWindow, Station
from app.stations.services import obligation_facts, regime_at
from app.telemetry.slots import day_start, local_day, to_local
from app.verification import services as verification

# A station that serves no obligation still measures the usual parameters of its kind.
USUAL = {
    "wastewater": ("FLOW_OUT", "TEMP", "pH", "TSS", "COD", "NH4"),
    "emission": ("FLOW_GAS", "TEMP_GAS", "DUST", "SO2", "NOX", "CO", "O2"),
    "ambient": AMBIENT_PARAMETERS,
}


def record_choices(facilities: list[Facility]) -> int:
    """Record the facilities' choices for their optional obligations; return how many."""
    by_code = {facility.code: facility for facility in facilities}
    for code, kind, choice in MONITORING_CHOICES:
        record_monitoring_choice(by_code[code], kind, choice, reason=DEMO_REASON)
    return len(MONITORING_CHOICES)


def _required(facilities: list[Facility]) -> dict[tuple[str, str, str | None], list[str]]:
    """What each obligation requires: by (facility code, kind, source code or None)."""
    found: dict[tuple[str, str, str | None], list[str]] = {}
    coverages = coverage_by_facility(facilities)
    for facility in facilities:
        for coverage in coverages.get(facility.id, []):
            for target in coverage.targets:
                found[(facility.code, coverage.kind, target.source)] = list(target.required)
    return found


def _parameters(seed: StationSeed, required: dict, stored: dict[tuple[str, str], list[str]]) -> list[str]:
    if seed.kind == "ambient":
        return list(AMBIENT_PARAMETERS)
    found = required.get((seed.facility, seed.kind, seed.source))
    if found is None and seed.source is None:
        found = stored.get((seed.facility, seed.kind))
    return list(found or USUAL[seed.kind])


def _values(seed: StationSeed, parameters: list[str], now: datetime, days: int) -> dict:
    today = local_day(now)
    expected_from = None
    if seed.plan is not None:
        expected_from = day_start(first_day(today, days, seed.plan))
    elif seed.connected_minutes_ago is not None:
        moment = to_local(now) - timedelta(minutes=seed.connected_minutes_ago)
        expected_from = moment.replace(second=0, microsecond=0)
    installed = today - timedelta(days=seed.installed_days_ago) if seed.installed_days_ago else None
    return {
        "kind": seed.kind,
        "facility_code": seed.facility,
        "source_code": seed.source,
        "name": seed.name,
        "parameters": parameters,
        "has_camera": seed.camera and installed is not None,
        "has_sampler": seed.kind == "wastewater" and installed is not None,
        "datalogger_make": seed.datalogger,
        "datalogger_ip": seed.ip if expected_from is not None else None,
        "installed_at": installed,
        "data_expected_from": expected_from,
    }


def create_stations(
    facilities: list[Facility], now: datetime, days: int
) -> list[tuple[Station, StationSeed]]:
    """Register the demo's stations (audited) with their certificates; return them with their seeds."""
    required = _required(facilities)
    codes = {facility.id: facility.code for facility in facilities}
    stored = {
        (codes[facility_id], obligation.kind): list(obligation.parameters)
        for facility_id, obligations in obligation_facts(codes, regime_at(now)).items()
        for obligation in obligations
    }
    created = []
    for number, seed in enumerate(STATIONS, start=1):
        station = create_station(seed.code, _values(seed, _parameters(seed, required, stored), now, days))
        _certificates(station, seed, local_day(now), number)
        created.append((station, seed))
    return created


def _certificates(station: Station, seed: StationSeed, today: date, number: int) -> None:
    year = today.year
    for kind in seed.certificates:
        if kind == "expired":
            issued, expires = today - timedelta(days=377), today - timedelta(days=12)
            add_certificate(station, "calibration", f"{number:03d}/{year - 1}/GCN-HC", issued, expires)
            continue
        issued = today - timedelta(days=30 + (number * 23) % 150)
        suffix = "GCN-HC" if kind == "calibration" else "GCN-KĐ"
        add_certificate(station, kind, f"{number:03d}/{year}/{suffix}", issued, issued + timedelta(days=365))


def _first_user(role: str, enterprise_id: int | None = None) -> User | None:
    query = sa.select(User).where(User.role == role).order_by(User.id)
    if enterprise_id is not None:
        query = query.where(User.enterprise_id == enterprise_id)
    return db.session.scalar(query)


def suspend(now: datetime) -> ExcuseWindow:
    """Request and approve the suspension that covers the build (as the enterprise, then an inspector)."""
    station = db.session.scalar(sa.select(Station).where(Station.code == SUSPENSION["station"]))
    start = day_start(local_day(now) - timedelta(days=SUSPENSION["days_ago"])) + timedelta(
        hours=SUSPENSION["hour"]
    )
    user = _first_user(ENTERPRISE, station.facility.enterprise_id)
    inspector = _first_user(INSPECTOR)
    upload = Upload("thong-bao-tam-dung.pdf", evidence_pdf(f"thong-bao-tam-dung - {station.code}"))
    with acting_as(user.email, user.id) if user else nullcontext():
        window = portal.request_window(
            station,
            kind="suspension",
            starts_at=start,
            expected_end_at=start + timedelta(days=SUSPENSION["days_ahead"]),
            reason=SUSPENSION["reason"],
            uploads=[upload],
        )
    with acting_as(inspector.email, inspector.id):
        verification.approve_window(window, None, SUSPENSION["decision"])
    return window
