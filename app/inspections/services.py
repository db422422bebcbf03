"""Use cases of inspections: schedule, edit the record, requests, finalise, render the minutes.

Services never commit. Finalising freezes the facts snapshot and defers the job that
numbers the minutes in the BB register (the notices' gapless counters) and renders and
stores the PDF once; after that nothing of the inspection's record changes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from app.audit.services import record
from app.db import utcnow
from app.documents.render import render_pdf
from app.errors import DomainError
from app.extensions import db
from app.facilities.models import Facility
from app.formatting import LOCAL_TZ
from app.inspections import minutes
from app.inspections.models import Inspection, InspectionRequest
from app.inspections.record import gather_facts
from app.jobs.dispatch import defer_job
from app.jobs.models import JobRun
from app.notices import numbering
from app.notices.document import verification_url
from app.settings.services import agency, all_values, register_number

RENDER_JOB = "inspections.render_minutes"
EDITABLE = (
    "decision_number",
    "decision_date",
    "inspected_on",
    "place",
    "team",
    "representatives",
    "period_from",
    "period_to",
    "findings",
    "opinion",
    "copies",
)


class WrongState(DomainError):
    """The inspection is not in the state this action needs."""


@dataclass(frozen=True)
class Plan:
    """What scheduling an inspection needs."""

    decision_number: str
    decision_date: date
    inspected_on: date
    place: str
    team: list[dict[str, str]]
    period_from: date
    period_to: date


def today_local() -> date:
    """Today's date in Việt Nam."""
    return utcnow().astimezone(LOCAL_TZ).date()


def _check(values: dict[str, Any]) -> None:
    if values["period_from"] > values["period_to"]:
        raise DomainError(_("The period starts after it ends."), field="period_from")
    if values["decision_date"] > values["inspected_on"]:
        raise DomainError(_("The decision is dated after the inspection."), field="decision_date")
    if not values["team"]:
        raise DomainError(_("Name at least the leader of the team."), field="team")


def schedule_inspection(
    facility: Facility, plan: Plan, user: Any, risk: dict[str, Any] | None = None
) -> Inspection:
    """A planned inspection of the facility, keeping the risk score parts it was chosen on."""
    values = plan.__dict__.copy()
    _check(values)
    inspection = Inspection(
        facility_id=facility.id,
        status="planned",
        risk=risk or {},
        created_by_id=getattr(user, "id", None),
        findings="",
        opinion="",
        representatives=[],
        copies=2,
        **values,
    )
    db.session.add(inspection)
    db.session.flush()
    record("inspection.scheduled", inspection, changes={k: [None, v] for k, v in values.items()})
    return inspection


def lock(inspection: Inspection) -> Inspection:
    """Re-read the inspection under a row lock."""
    db.session.refresh(inspection, with_for_update=True)
    return inspection


def _expect_planned(inspection: Inspection) -> None:
    lock(inspection)
    if not inspection.is_editable:
        raise WrongState(_("This inspection's record is closed: it can no longer change."))


def update_record(inspection: Inspection, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Change the record's fields (planned only); audit what changed."""
    _expect_planned(inspection)
    merged = {name: values.get(name, getattr(inspection, name)) for name in EDITABLE}
    _check(merged)
    changes = {}
    for name in EDITABLE:
        if name in values and values[name] != getattr(inspection, name):
            changes[name] = [getattr(inspection, name), values[name]]
            setattr(inspection, name, values[name])
    if changes:
        db.session.flush()
        record("inspection.updated", inspection, changes=changes)
    return changes


def add_request(inspection: Inspection, text: str, due_on: date) -> InspectionRequest:
    """A request of the minutes with its deadline (planned only)."""
    _expect_planned(inspection)
    text = " ".join(text.split())
    if not text:
        raise DomainError(_("Write the request."), field="text")
    if due_on < inspection.inspected_on:
        raise DomainError(_("The deadline is before the inspection."), field="due_on")
    item = InspectionRequest(inspection_id=inspection.id, text=text, due_on=due_on, status="open")
    db.session.add(item)
    db.session.flush()
    record(
        "inspection.request_added", inspection, changes={"request": [None, f"{text} ({due_on.isoformat()})"]}
    )
    return item


def remove_request(inspection: Inspection, item: InspectionRequest) -> None:
    """Take a request off the record (planned only)."""
    _expect_planned(inspection)
    db.session.delete(item)
    db.session.flush()
    record("inspection.request_removed", inspection, changes={"request": [item.text, None]})


def set_request_done(item: InspectionRequest, user: Any, is_done: bool, reason: str | None = None) -> None:
    """Mark a request of finalised minutes done (or open again); audited."""
    if item.inspection.status != "finalised":
        raise WrongState(_("Requests are followed up once the minutes are finalised."))
    status = "done" if is_done else "open"
    if item.status == status:
        return
    old = item.status
    item.status = status
    item.done_at = utcnow() if is_done else None
    item.done_by_id = getattr(user, "id", None) if is_done else None
    db.session.flush()
    record("inspection.request_" + status, item.inspection, changes={item.text: [old, status]}, reason=reason)


def cancel_inspection(inspection: Inspection, reason: str) -> None:
    """Cancel a planned inspection with a reason."""
    _expect_planned(inspection)
    if not reason.strip():
        raise DomainError(_("Give the reason."), field="reason")
    inspection.status = "cancelled"
    inspection.cancel_reason = reason.strip()
    db.session.flush()
    record("inspection.cancelled", inspection, changes={"status": ["planned", "cancelled"]}, reason=reason)


def facts_of(inspection: Inspection, moment: datetime | None = None) -> dict[str, Any]:
    """The frozen snapshot once finalising, else the facts as the system has them now."""
    if inspection.facts is not None:
        return inspection.facts
    return gather_facts(inspection.facility, inspection.period_from, inspection.period_to, moment or utcnow())


def minutes_of_enterprise(enterprise_id: int) -> list[Inspection]:
    """The finalised minutes of an enterprise's own facilities, latest first."""
    return list(
        db.session.scalars(
            sa.select(Inspection)
            .join(Facility, Facility.id == Inspection.facility_id)
            .where(Facility.enterprise_id == enterprise_id, Inspection.status == "finalised")
            .order_by(Inspection.inspected_on.desc(), Inspection.id.desc())
        )
    )


def record_of(inspection: Inspection) -> minutes.Record:
    """The inspector's part of the record, as the minutes print it."""
    facility = inspection.facility
    return minutes.Record(
        facility_name=facility.name,
        enterprise_name=facility.enterprise.name,
        decision_number=inspection.decision_number,
        decision_date=inspection.decision_date,
        inspected_on=inspection.inspected_on,
        place=inspection.place,
        team=[minutes.Person(p.get("name", ""), p.get("title", "")) for p in inspection.team or []],
        representatives=[
            minutes.Person(p.get("name", ""), p.get("title", "")) for p in inspection.representatives or []
        ],
        findings=inspection.findings or "",
        requests=[(r.text, r.due_on) for r in inspection.requests],
        opinion=inspection.opinion or "",
        copies=inspection.copies,
    )


def document_of(inspection: Inspection, *, is_draft: bool, number: int | None = None, verify_url: str = ""):
    """The minutes' document as they stand (a draft has no number)."""
    pattern = all_values()[f"register.{minutes.REGISTER}"]
    return minutes.build_document(
        record_of(inspection),
        facts_of(inspection),
        agency(),
        pattern,
        number=number,
        is_draft=is_draft,
        verify_url=verify_url,
    )


def preview_pdf(inspection: Inspection) -> bytes:
    """The minutes as they stand, marked DỰ THẢO, without a number (never stored)."""
    return render_pdf(document_of(inspection, is_draft=True))


def finalise_inspection(inspection: Inspection, user: Any, site_url: str | None = None) -> Inspection:
    """Freeze the record and its facts; the job numbers, renders and stores the minutes.

    ``site_url`` (the request's host) makes the verification link when PUBLIC_BASE_URL is not set.
    """
    _expect_planned(inspection)
    if not inspection.representatives:
        raise DomainError(_("Name at least one representative of the facility."), field="representatives")
    inspection.facts = gather_facts(
        inspection.facility, inspection.period_from, inspection.period_to, utcnow()
    )
    inspection.status = "finalising"
    inspection.verify_token = inspection.verify_token or secrets.token_urlsafe(32)
    db.session.flush()
    record("inspection.finalising", inspection, changes={"status": ["planned", "finalising"]})
    _defer_render(inspection, user, site_url)
    return inspection


def _defer_render(inspection: Inspection, user: Any, site_url: str | None) -> None:
    defer_job(
        RENDER_JOB,
        dedupe_key=render_key(inspection),
        inspection_id=inspection.id,
        site_url=site_url,
        requested_by_id=getattr(user, "id", None),
    )


def retry_minutes(inspection: Inspection, user: Any, site_url: str | None = None) -> JobRun:
    """Ask again for the minutes of a record whose render job failed all its attempts; audited.

    The failed run keeps its history under another key; the new run takes the record's key.
    The number, if one was ever kept on the record, is reused by the job, never taken again.
    """
    lock(inspection)
    if inspection.status != "finalising":
        raise WrongState(_("Only a record whose minutes are being prepared can be tried again."))
    failed = render_run(inspection)
    if failed is not None and failed.status != "failed":
        raise WrongState(_("The minutes are still being prepared: wait for the job to end."))
    if failed is not None:
        failed.dedupe_key = f"{render_key(inspection)}#failed-{failed.id}"
        db.session.flush()
    _defer_render(inspection, user, site_url)
    record(
        "inspection.minutes_retried",
        inspection,
        changes={"render_job": [failed.id if failed is not None else None, "pending"]},
        reason=failure_reason(failed) or None,
    )
    return render_run(inspection)


def render_key(inspection: Inspection) -> str:
    """The job run that renders an inspection's minutes is found by this key (one per inspection)."""
    return f"{RENDER_JOB}:{inspection.id}"


def render_run(inspection: Inspection) -> JobRun | None:
    """The run rendering the minutes (its status and error while they are being prepared)."""
    return db.session.scalar(sa.select(JobRun).where(JobRun.dedupe_key == render_key(inspection)))


def minutes_verify_url(inspection: Inspection, site_url: str | None = None) -> str:
    """The short link of the minutes' public verification page (the notices' ``/v/<token>``)."""
    base = current_app.config.get("PUBLIC_BASE_URL") or site_url
    if not base:
        raise DomainError(_("PUBLIC_BASE_URL is not set: the verification link cannot be made."))
    return verification_url(base, inspection.verify_token)


def failure_reason(run: JobRun | None) -> str:
    """The error of a failed render in one line (its last line: the exception, not the trace)."""
    lines = [line.strip() for line in ((run.error or "") if run is not None else "").splitlines()]
    return next((line for line in reversed(lines) if line), "")


def render_minutes(inspection: Inspection, site_url: str | None = None) -> Inspection:
    """Number the minutes (BB register, year of the inspection), render and store the PDF once.

    A number already kept on the record is reused: a record never takes two.
    """
    lock(inspection)
    if inspection.status == "finalised":
        return inspection  # a repeated run: done before
    if inspection.status != "finalising":
        raise WrongState(_("Only a finalised record gets its minutes."))
    inspection.verify_token = inspection.verify_token or secrets.token_urlsafe(32)
    year = inspection.inspected_on.year
    if inspection.number is None:
        inspection.number, inspection.year = numbering.take_number(minutes.REGISTER, year), year
    number = inspection.number
    url = minutes_verify_url(inspection, site_url)
    data = render_pdf(document_of(inspection, is_draft=False, number=number, verify_url=url))
    sha256, relative = minutes.store_pdf(current_app.instance_path, data)
    inspection.number_text = register_number(minutes.REGISTER, number)
    inspection.pdf_sha256, inspection.pdf_path = sha256, relative
    inspection.finalised_at = utcnow()
    inspection.status = "finalised"
    db.session.flush()
    record(
        "inspection.finalised",
        inspection,
        changes={
            "status": ["finalising", "finalised"],
            "number": [None, inspection.number_text],
            "sha256": [None, sha256],
        },
    )
    return inspection
