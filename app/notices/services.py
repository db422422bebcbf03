"""Use cases of notices before issue: drafting from a ladder step, editing, submission, approval, cancel.

Services flush and audit, never commit (the boundary commits once). Issue and
correction live in ``services_issue``; an approved notice whose number is
reserved is on its way to issue and no action here applies to it. Every transition re-reads the notice under
a row lock and checks its state, so two people acting at once cannot both pass.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from app.audit.services import record
from app.cases.ladder_services import current_step
from app.cases.models import Case
from app.db import utcnow
from app.errors import DomainError
from app.extensions import db
from app.formatting import LOCAL_TZ
from app.notices import wording
from app.notices.labels import STATUS_LABELS
from app.notices.models import Notice
from app.settings.services import agency

EDITABLE = (
    "summary",
    "addressee",
    "body",
    "requests",
    "copies_to",
    "signer_name",
    "signer_title",
    "signer_authority",
)
OPEN_STATUSES = ("draft", "submitted", "approved")


class WrongState(DomainError):
    """The notice is not in the state this action needs (someone else acted first, or it is issued)."""


def today_local():
    """Today's date in Việt Nam."""
    return datetime.now(LOCAL_TZ).date()


def last_issued(case_id: int) -> Notice | None:
    """The case's latest issued notice."""
    return db.session.scalar(
        sa.select(Notice)
        .where(Notice.case_id == case_id, Notice.status == "issued")
        .order_by(Notice.issued_on.desc(), Notice.id.desc())
        .limit(1)
    )


def open_draft(case_id: int, position: int) -> Notice | None:
    """A notice of that case and step not yet issued nor cancelled."""
    return db.session.scalar(
        sa.select(Notice)
        .where(Notice.case_id == case_id, Notice.step_position == position, Notice.status.in_(OPEN_STATUSES))
        .order_by(Notice.id)
        .limit(1)
    )


def default_copies(document_type: str) -> list[str]:
    """The default "Nơi nhận" list above "Lưu: VT, ..."."""
    if document_type == "TTr":
        return ["Như trên"]
    return ["Như trên", "Giám đốc Sở (để báo cáo)"]


def draft_notice(case: Case, position: int, user: Any) -> Notice:
    """A draft of the step at ``position`` for an open case (the open one if it already has it)."""
    if case.status != "open":
        raise DomainError(_("This case is closed: no notice is drafted for it."))
    existing = open_draft(case.id, position)
    if existing is not None:
        return existing
    step = current_step(position)
    facility = case.facility
    enterprise = facility.enterprise.name
    previous = last_issued(case.id)
    values = wording.template_values(
        case.evidence or {},
        facility=facility.name,
        enterprise=enterprise,
        agency=agency()["name"],
        previous_number=previous.number_text if previous else None,
        previous_date=previous.issued_on if previous else None,
    )
    filled = wording.word_step(step.summary_template, step.body_template, step.request_template, values)
    signer = agency()
    notice = Notice(
        case_id=case.id,
        facility_id=case.facility_id,
        ladder_step_id=step.id,
        step_position=position,
        document_type=step.document_type,
        register=step.document_type,
        status="draft",
        summary=filled.summary,
        addressee=enterprise if step.document_type in ("CV", "GM") else "",
        body=filled.body,
        facts=dict((case.evidence or {}).get("table") or {}),
        legal_basis=list((case.evidence or {}).get("legal_basis") or []),
        requests=filled.requests,
        copies_to=default_copies(step.document_type),
        rule_version_ids=list(case.rule_version_ids or []),
        signer_name=signer["signatory_name"],
        signer_title=signer["signatory_title"],
        signer_authority=signer["signatory_authority"],
        verify_token=secrets.token_urlsafe(32),
        created_by_id=getattr(user, "id", None),
    )
    db.session.add(notice)
    db.session.flush()
    record("notice.drafted", notice, changes={"case": [None, case.id], "step": [None, position]})
    return notice


def lock(notice: Notice) -> Notice:
    """Re-read the notice under a row lock (its state as committed by others)."""
    db.session.refresh(notice, with_for_update=True)
    return notice


def _expect(notice: Notice, *statuses: str) -> None:
    lock(notice)
    if notice.is_reserved:
        raise WrongState(
            _(
                "Number %(number)s is reserved for this notice and it is being issued: it can no longer change.",
                number=notice.number_text,
            )
        )
    if notice.status not in statuses:
        raise WrongState(
            _("This notice is %(status)s: the action is not possible.", status=STATUS_LABELS[notice.status])
        )


def update_draft(notice: Notice, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Change a draft's text; return what changed (audited)."""
    _expect(notice, "draft")
    changes: dict[str, list[Any]] = {}
    for key, value in values.items():
        if key not in EDITABLE:
            raise KeyError(key)
        if getattr(notice, key) != value:
            changes[key] = [getattr(notice, key), value]
            setattr(notice, key, value)
    if not (notice.summary or "").strip():
        raise DomainError(_("The summary is required."), field="summary")
    if notice.document_type in ("CV", "GM") and not (notice.addressee or "").strip():
        raise DomainError(_("An official letter or an invitation needs an addressee."), field="addressee")
    if changes:
        db.session.flush()
        record("notice.edited", notice, changes=changes)
    return changes


def submit_notice(notice: Notice) -> None:
    """The inspector submits a draft for approval."""
    _expect(notice, "draft")
    notice.status = "submitted"
    notice.submitted_at = utcnow()
    db.session.flush()
    record("notice.submitted", notice, changes={"status": ["draft", "submitted"]})


def approve_notice(notice: Notice, user: Any) -> None:
    """A leader approves a submitted notice."""
    _expect(notice, "submitted")
    notice.status = "approved"
    notice.approved_at = utcnow()
    notice.approved_by_id = getattr(user, "id", None)
    notice.returned_reason = None
    db.session.flush()
    record("notice.approved", notice, changes={"status": ["submitted", "approved"]})


def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise DomainError(_("A reason is required."), field="reason")
    return text


def return_notice(notice: Notice, reason: str | None) -> None:
    """A leader returns a submitted (or approved, not yet issued) notice to draft, with a reason."""
    text = _reason(reason)
    _expect(notice, "submitted", "approved")
    before = notice.status
    notice.status = "draft"
    notice.returned_reason = text
    notice.approved_at = None
    notice.approved_by_id = None
    db.session.flush()
    record("notice.returned", notice, changes={"status": [before, "draft"]}, reason=text)


def cancel_notice(notice: Notice, reason: str | None) -> None:
    """Cancel a notice before it is issued, with a reason."""
    text = _reason(reason)
    _expect(notice, *OPEN_STATUSES)
    before = notice.status
    notice.status = "cancelled"
    notice.cancelled_at = utcnow()
    notice.cancel_reason = text
    db.session.flush()
    record("notice.cancelled", notice, changes={"status": [before, "cancelled"]}, reason=text)
