"""Issuing a notice (number, date, PDF rendered once and stored by hash), previews and corrections.

``issue_notice`` runs inside the boundary's transaction: the register number is
taken under the counter's row lock, the PDF rendered with it and stored, and the
notice becomes issued in one update. A rollback gives the number back (the
stored PDF file is then simply not referenced).
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from app.audit.services import record
from app.cases.ladder import Step, answer_due
from app.cases.models import Case, CaseEvent
from app.compliance.models import RuleVersion
from app.db import utcnow
from app.documents.render import render_pdf
from app.errors import DomainError
from app.extensions import db
from app.formatting import LOCAL_TZ
from app.notices import document, numbering, wording
from app.notices.delivery import schedule_delivery
from app.notices.labels import STATUS_LABELS
from app.notices.models import Notice
from app.notices.reminders import schedule_reminders
from app.notices.services import WrongState, lock
from app.settings.services import agency, all_values, register_number


def unverified_rules(ids: list[int]) -> list[RuleVersion]:
    """The rule versions among ``ids`` still marked "to verify"."""
    if not ids:
        return []
    rows = db.session.scalars(sa.select(RuleVersion).where(RuleVersion.id.in_(ids)).order_by(RuleVersion.id))
    return [row for row in rows if not row.is_verified]


def base_url(request_host_url: str | None = None) -> str:
    """PUBLIC_BASE_URL, or the request's host (development)."""
    configured = current_app.config.get("PUBLIC_BASE_URL")
    if configured:
        return configured
    if request_host_url:
        return request_host_url
    raise DomainError(_("PUBLIC_BASE_URL is not set: the verification link cannot be made."))


def _answer_days(notice: Notice) -> int | None:
    return notice.ladder_step.answer_days if notice.ladder_step is not None else None


def preview_pdf(notice: Notice, site_url: str) -> bytes:
    """A draft's PDF with the DỰ THẢO watermark, no number and no date (never stored)."""
    pattern = all_values()[f"register.{notice.register}"]
    built = document.build_document(
        notice,
        agency(),
        pattern,
        deadline=wording.draft_deadline(_answer_days(notice)),
        verification_url=document.verification_url(site_url, notice.verify_token),
        is_draft=True,
    )
    return render_pdf(built)


def _check_rules(notice: Notice) -> None:
    pending = unverified_rules(list(notice.rule_version_ids or []))
    if pending:
        names = ", ".join(str(rule) for rule in pending)
        raise DomainError(
            _(
                "This notice rests on rule versions still marked to verify (%(rules)s): it cannot be issued.",
                rules=names,
            )
        )


def issue_notice(notice: Notice, user: Any, site_url: str) -> Notice:
    """Issue an approved notice: number, date, deadline, PDF stored by hash; the case moves up."""
    lock(notice)
    if notice.status != "approved":
        raise WrongState(
            _(
                "Only an approved notice can be issued (this one is %(status)s).",
                status=STATUS_LABELS[notice.status],
            )
        )
    _check_rules(notice)
    issued_at = utcnow()
    issued_on = issued_at.astimezone(LOCAL_TZ).date()
    days = _answer_days(notice)
    due_on = answer_due(issued_on, Step(notice.step_position, days, None)) if days else None
    deadline = document.deadline_text(due_on)
    pattern = all_values()[f"register.{notice.register}"]
    number = numbering.take_number(notice.register, issued_on.year)
    # The values printed on the PDF are set before rendering; flushed together with the hash.
    notice.number, notice.year, notice.issued_on = number, issued_on.year, issued_on
    notice.requests = [wording.with_deadline(r, deadline) for r in notice.requests or []]
    notice.body = wording.with_deadline(notice.body, deadline)
    built = document.build_document(
        notice,
        agency(),
        pattern,
        deadline=deadline,
        verification_url=document.verification_url(site_url, notice.verify_token),
    )
    sha256, relative = document.store_pdf(current_app.instance_path, render_pdf(built))
    notice.number_text = register_number(notice.register, number)
    notice.answer_due_on = due_on
    notice.issued_at = issued_at
    notice.issued_by_id = getattr(user, "id", None)
    notice.pdf_sha256, notice.pdf_path = sha256, relative
    notice.status = "issued"
    db.session.flush()
    if notice.case_id:
        _advance_case(notice, user)
    record(
        "notice.issued",
        notice,
        changes={"status": ["approved", "issued"], "number": [None, notice.number_text]},
    )
    # Delivery (never for a submission) and the deadline reminders, in the same transaction.
    schedule_delivery(notice)
    schedule_reminders(notice)
    return notice


def _advance_case(notice: Notice, user: Any) -> None:
    case = db.session.get(Case, notice.case_id, with_for_update=True)
    case.step = max(case.step, notice.step_position)
    case.step_issued_on = notice.issued_on
    db.session.add(
        CaseEvent(
            case_id=case.id,
            kind="notice_issued",
            notice_id=notice.id,
            evidence=dict(case.evidence or {}),
            text=notice.number_text,
            by_id=getattr(user, "id", None),
        )
    )
    db.session.flush()


COPIED = (
    "case_id",
    "facility_id",
    "ladder_step_id",
    "step_position",
    "document_type",
    "register",
    "summary",
    "addressee",
    "body",
    "facts",
    "legal_basis",
    "requests",
    "copies_to",
    "rule_version_ids",
    "signer_name",
    "signer_title",
    "signer_authority",
)


def correct_notice(issued: Notice, user: Any) -> Notice:
    """A new draft that supersedes an issued notice (the issued one never changes)."""
    if issued.status != "issued":
        raise WrongState(_("Only an issued notice is corrected; edit the draft instead."))
    existing = db.session.scalar(
        sa.select(Notice).where(
            Notice.supersedes_id == issued.id, Notice.status.in_(("draft", "submitted", "approved"))
        )
    )
    if existing is not None:
        return existing
    values = {name: getattr(issued, name) for name in COPIED}
    draft = Notice(
        **values,
        status="draft",
        supersedes_id=issued.id,
        verify_token=secrets.token_urlsafe(32),
        created_by_id=getattr(user, "id", None),
    )
    db.session.add(draft)
    db.session.flush()
    record("notice.corrected", draft, changes={"supersedes": [None, issued.number_text]})
    return draft


def issued_at_local(notice: Notice) -> datetime | None:
    """When the notice was issued, local time."""
    return notice.issued_at.astimezone(LOCAL_TZ) if notice.issued_at else None
