"""Issuing a notice (number, date, PDF rendered once and stored by hash), previews and corrections.

Issue has two steps. ``reserve_number`` checks everything that could refuse the
issue, then takes the register number under the counter's row lock and fixes
the date, deadline and wording on the notice; the boundary commits at once, so
the lock is held briefly. ``finish_issue`` renders the PDF with that number,
stores it by hash and makes the notice issued. A reserved number is never given
back: a failed finish is retried (``app.notices.issuing``), so the register stays
gapless while issues of one register render in parallel. The retry renders the
same bytes (same number, date and link), so it stores the same file by hash and
a failed try leaves no stray PDF behind.
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


def reserve_number(notice: Notice, user: Any, site_url: str) -> Notice:
    """Reserve the register number of an approved notice, with its date and deadline.

    Every check that could refuse the issue is made first: once reserved, the
    number is always issued (``finish_issue``, by a retry or the sweeper). The
    boundary commits at once, so the register's counter is locked only for this
    short transaction and never while a PDF is rendered.
    """
    lock(notice)
    if notice.is_reserved:
        return notice
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
    number = numbering.take_number(notice.register, issued_on.year)
    number_text = register_number(notice.register, number)
    # Set together without an autoflush in between: the number flushed alone would freeze the rest.
    with db.session.no_autoflush:
        notice.number, notice.year, notice.issued_on = number, issued_on.year, issued_on
        notice.number_text = number_text
        notice.requests = [wording.with_deadline(r, deadline) for r in notice.requests or []]
        notice.body = wording.with_deadline(notice.body, deadline)
        notice.answer_due_on = due_on
        notice.issued_at = issued_at
        notice.issued_by_id = getattr(user, "id", None)
        notice.site_url = site_url
    db.session.flush()
    record("notice.number_reserved", notice, changes={"number": [None, notice.number_text]})
    return notice


def finish_issue(notice: Notice) -> Notice:
    """Render the reserved notice's PDF with its number, store it by hash, and issue it.

    Nothing here refuses for a business reason: a failure (a crash, the disk)
    leaves the notice reserved and a retry finishes it with the same number.
    """
    lock(notice)
    if notice.status == "issued":
        return notice  # finished by another run
    if not notice.is_reserved:
        raise WrongState(_("This notice has no reserved number: it cannot be finished."))
    pattern = all_values()[f"register.{notice.register}"]
    built = document.build_document(
        notice,
        agency(),
        pattern,
        deadline=document.deadline_text(notice.answer_due_on),
        verification_url=document.verification_url(notice.site_url or base_url(), notice.verify_token),
    )
    sha256, relative = document.store_pdf(current_app.instance_path, render_pdf(built))
    notice.pdf_sha256, notice.pdf_path = sha256, relative
    notice.status = "issued"
    db.session.flush()
    if notice.case_id:
        _advance_case(notice)
    record(
        "notice.issued",
        notice,
        changes={"status": ["approved", "issued"], "number": [None, notice.number_text]},
    )
    # Delivery (never for a submission) and the deadline reminders, in the same transaction.
    schedule_delivery(notice)
    schedule_reminders(notice)
    return notice


def issue_notice(notice: Notice, user: Any, site_url: str) -> Notice:
    """Reserve the number and finish the issue in the caller's one transaction.

    For callers that issue one notice at a time (the demo, tests); concurrent
    issuers commit between the two steps (``app.notices.issuing``).
    """
    reserve_number(notice, user, site_url)
    return finish_issue(notice)


def _advance_case(notice: Notice) -> None:
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
            by_id=notice.issued_by_id,
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
