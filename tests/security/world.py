"""Two enterprises with one object of every kind, and the department's own objects.

The access matrix fills every route's URL variables from here: ``own`` is the
logged-in enterprise user's enterprise, ``other`` another enterprise whose
objects must never show through. Each of the other enterprise's visible texts
carries the marker ``LEAK_MARKER`` so a leak is found by searching responses.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from flask import current_app

from app.cases.models import Case, LadderStep
from app.compliance.models import RuleVersion
from app.compliance.services import store_obligations
from app.extensions import db
from app.facilities.models import EmissionSource, Facility
from app.files import write_once
from app.inspections import minutes
from app.inspections.models import Inspection, InspectionRequest
from app.jobs.models import JobRun
from app.notices.models import NoticeAnswer, NoticeDelivery
from app.notices.services_bulk import BULK_ISSUE_JOB
from app.portal.notices_services import ANSWERS
from app.public import cache as public_cache
from app.reports.models import MonthlyReport
from app.reports.services import REPORT_JOB, pdf_relative_path
from app.settings.services import update
from app.stations.evidence import Upload, check_uploads, store_evidence
from app.stations.models import Declaration, ExcuseWindow, Station, StationCertificate
from app.telemetry import archive
from app.telemetry.models import DataFile, FacilityLimit, SenderAccount
from tests.notices.conftest import EVIDENCE
from tests.notices.test_delivery_helpers import issued_notice
from tests.portal.helpers import make_station, png_bytes

LEAK_MARKER = "Rò-rỉ-Kín"


@dataclass
class Side:
    """One enterprise's objects, by kind."""

    enterprise: Any
    objects: dict[str, Any] = field(default_factory=dict)
    markers: list[str] = field(default_factory=list)
    # Never shown outside the department and the enterprise itself, not even on the public page.
    private: list[str] = field(default_factory=list)


@dataclass
class World:
    """Both enterprises' objects, the department's shared ones and the users."""

    own: Side
    other: Side
    shared: dict[str, Any]
    users: dict[str, Any]


def _evidence(name: str, enterprise, object_type: str, object_id: int):
    [file] = store_evidence(
        check_uploads([Upload(name, png_bytes())]),
        enterprise_id=enterprise.id,
        object_type=object_type,
        object_id=object_id,
    )
    return file


def _station_objects(tag: str, suffix: str, enterprise, facility) -> dict[str, Any]:
    """A station with its declaration (and evidence), window and certificate; a source and a limit."""
    station = make_station(facility, code=f"TR{tag}{suffix}")
    found = {
        "station": station,
        "declaration": Declaration(
            station_id=station.id, kind="installation", values={"installed_on": "2026-01-02"}
        ),
        "window": ExcuseWindow(
            station_id=station.id,
            kind="incident",
            starts_at=datetime(2026, 1, 5, 1, tzinfo=UTC),
            expected_end_at=datetime(2026, 1, 5, 5, tzinfo=UTC),
            reason=f"Mất điện {_mark(tag)}",
        ),
        "source": EmissionSource(code=f"NG{tag}{suffix}", facility_id=facility.id, source_kind="boiler"),
        "certificate": StationCertificate(
            station_id=station.id, kind="calibration", number=f"KĐ-{tag}{suffix}"
        ),
        "limit": FacilityLimit(
            facility_id=facility.id, parameter="COD", high=50, permit_reference=f"GP-{tag}"
        ),
    }
    db.session.add_all(list(found.values())[1:])
    db.session.flush()
    found["evidence"] = _evidence(
        f"bien-ban-{tag}{suffix}.png", enterprise, "declarations", found["declaration"].id
    )
    return found


def _notice_objects(tag: str, suffix: str, enterprise, facility) -> dict[str, Any]:
    """A case, its issued notice, an e-mail delivery, an answer and the answer's attachment."""
    case = Case(facility_id=facility.id, kind="not_connected", evidence=EVIDENCE, rule_version_ids=[])
    db.session.add(case)
    db.session.flush()
    notice = issued_notice(facility, case=case, summary=f"V/v đôn đốc kết nối {_mark(tag)}")
    answer = NoticeAnswer(notice_id=notice.id, text=f"Trả lời của {tag} {_mark(tag)}")
    delivery = NoticeDelivery(notice_id=notice.id, recipient=f"nhan-{tag.lower()}{suffix.lower()}@example.vn")
    db.session.add_all([answer, delivery])
    db.session.flush()
    answer_file = _evidence(f"tra-loi-{tag}{suffix}.png", enterprise, ANSWERS, answer.id)
    return {
        "case": case,
        "notice": notice,
        "answer": answer,
        "delivery": delivery,
        "answer_file": answer_file,
    }


def _telemetry_objects(tag: str, suffix: str, station) -> dict[str, Any]:
    """A received (quarantined) data file of the station and an FTP account for it."""
    content = f"{station.code} COD 12.5 mg/L 20260105000000 00\n".encode()
    data_file = DataFile(
        sha256=archive.sha256_of(content),
        size=len(content),
        original_name=f"{station.code}_20260105.txt",
        archive_path=archive.store(content),
        station_id=station.id,
        sender="admin",
        received_at=datetime(2026, 1, 5, tzinfo=UTC),
        outcome="quarantined",
        quarantine_code="unknown_station",
        quarantine_reason="test",
    )
    account = SenderAccount(
        kind="ftp", name=f"ftp-{tag.lower()}{suffix.lower()}", secret_hash="x", station_id=station.id
    )
    db.session.add_all([data_file, account])
    db.session.flush()
    return {"data_file": data_file, "account": account}


def _pdf(text: str) -> bytes:
    """A small PDF-like file standing for a rendered document (its content is not read here)."""
    return f"%PDF-1.4\n% {text}\n%%EOF\n".encode()


def _inspection_objects(tag: str, suffix: str, facility) -> dict[str, Any]:
    """A finalised inspection of the facility with its minutes PDF stored, and one of its requests."""
    sha256, relative = minutes.store_pdf(current_app.instance_path, _pdf(f"BB-{tag}{suffix}"))
    inspection = Inspection(
        facility_id=facility.id,
        status="finalised",
        decision_number=f"{tag}{suffix}/QĐ-SNNMT",
        decision_date=date(2026, 1, 5),
        inspected_on=date(2026, 1, 12),
        place=f"Nhà máy {tag} {_mark(tag)}",
        period_from=date(2025, 12, 1),
        period_to=date(2025, 12, 31),
        findings=f"Phát hiện {_mark(tag)}",
        number=int(suffix, 16),
        year=2026,
        number_text=f"BB-{tag}{suffix}/BB-SNNMT",
        pdf_sha256=sha256,
        pdf_path=relative,
        finalised_at=datetime(2026, 1, 12, 8, tzinfo=UTC),
    )
    db.session.add(inspection)
    db.session.flush()
    request = InspectionRequest(
        inspection_id=inspection.id, text=f"Khắc phục {_mark(tag)}", due_on=date(2026, 1, 27)
    )
    db.session.add(request)
    db.session.flush()
    return {"inspection": inspection, "inspection_request": request}


def _side(tag: str, make_enterprise, make_facility) -> Side:
    """One enterprise with one object of every kind; B's visible texts carry LEAK_MARKER."""
    suffix = uuid.uuid4().hex[:5].upper()
    enterprise = make_enterprise(f"Công ty {tag} {_mark(tag)} {suffix}", tax_code=f"MST{tag}{suffix}")
    facility: Facility = make_facility(
        code=f"SEC{tag}{suffix}",
        enterprise=enterprise,
        name=f"Nhà máy {tag} {suffix} {_mark(tag)}",
        contact_email=f"lien-he-{tag}{suffix}@example.vn".lower(),
        pollution_risk_type=True,
        wastewater_flow_m3_day=Decimal(620),
        industry_type="seafood",
    )
    store_obligations(facility)  # under obligation: the public page shows it
    objects = {"enterprise": enterprise, "facility": facility}
    objects |= _station_objects(tag, suffix, enterprise, facility)
    objects |= _notice_objects(tag, suffix, enterprise, facility)
    objects |= _telemetry_objects(tag, suffix, objects["station"])
    objects |= _inspection_objects(tag, suffix, facility)
    markers = [
        facility.code,
        objects["station"].code,
        objects["notice"].number_text,
        objects["evidence"].original_name,
        objects["answer_file"].original_name,
    ]
    markers += [objects["inspection"].number_text]
    private = [enterprise.tax_code, facility.contact_email]
    return Side(enterprise, objects, markers + [_mark(tag)] if tag == "B" else markers, private)


def _mark(tag: str) -> str:
    return LEAK_MARKER if tag == "B" else "Riêng"


def _report_objects() -> dict[str, Any]:
    """A monthly report made, with its PDF stored, and its finished job run."""
    data = _pdf("báo cáo tháng 12/2025")
    sha256 = hashlib.sha256(data).hexdigest()
    relative = pdf_relative_path(sha256)
    write_once(os.path.join(current_app.instance_path, relative), data, prefix=".pdf-")
    run = JobRun(name=REPORT_JOB, queue="reports", args={}, status="finished", result={})
    db.session.add(run)
    db.session.flush()
    report = MonthlyReport(
        month=date(2025, 12, 1), status="done", pdf_sha256=sha256, pdf_path=relative, job_run_id=run.id
    )
    db.session.add(report)
    db.session.flush()
    return {"report": report, "report_run": run}


def _air_station() -> str:
    """An ambient station of the public air page (no data yet), by code."""
    code = f"SECKK{uuid.uuid4().hex[:5].upper()}"
    station = Station(
        code=code,
        code_key=code.lower(),
        kind="ambient",
        name="Trạm không khí xung quanh",
        parameters=["PM2_5", "NO2"],
        installed_at=datetime(2025, 1, 1, tzinfo=UTC),
        data_expected_from=datetime(2025, 1, 1, tzinfo=UTC),
    )
    db.session.add(station)
    db.session.flush()
    return code


def build_world(make_enterprise, make_facility, make_user) -> World:
    """Enterprise A (own), enterprise B (other), shared objects and one user per role.

    The public page is switched on (the matrix checks it for everyone; switched off it is a 404,
    checked apart) and starts with no page kept by its cache.
    """
    own = _side("A", make_enterprise, make_facility)
    other = _side("B", make_enterprise, make_facility)
    target = make_user("inspector")
    run = JobRun(name=BULK_ISSUE_JOB, queue="notices", args={}, status="finished", result={})
    db.session.add(run)
    db.session.flush()
    update({"public.enabled": 1}, reason="test")
    db.session.flush()
    public_cache.clear()
    version = db.session.scalars(
        db.select(RuleVersion).where(RuleVersion.kind != "regime").order_by(RuleVersion.id)
    ).first()
    step = db.session.scalars(db.select(LadderStep).order_by(LadderStep.position)).first()
    shared = {
        "user": target,
        "job_run": run,
        "rule_version": version,
        "regime": version.regime,
        "ladder_step": step,
        "verify_token": own.objects["notice"].verify_token,
        "static_file": "quantrac.css",
        "air_station": _air_station(),
        **_report_objects(),
    }
    users = {
        role: make_user(role, enterprise=own.enterprise if role == "enterprise" else None)
        for role in ("admin", "inspector", "leader", "enterprise")
    }
    return World(own, other, shared, users)
