"""Notice pages: list, drafting from a case's step, editing, the workflow's buttons, PDFs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.audit.models import AuditEvent
from app.auth.access import allow
from app.auth.roles import INSPECTOR, LEADER, STAFF
from app.cases.labels import BREACH_LABELS
from app.cases.models import Case
from app.db import commit, rollback
from app.documents.render import DocumentError
from app.errors import DomainError
from app.extensions import db
from app.http import pdf_response
from app.notices import bp, document, guard, issuing, services, services_issue
from app.notices.forms import ActionForm, EditForm, ReasonForm
from app.notices.labels import ACTION_LABELS, STATUS_LABELS, TYPE_LABELS
from app.notices.models import DOCUMENT_TYPES, NOTICE_STATUSES, Notice, NoticeAnswer, NoticeReceipt
from app.stations.evidence import evidence_of

guard.install()
DRAFTERS = (INSPECTOR,)
APPROVERS = (LEADER,)


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    return {
        "notice_status_labels": STATUS_LABELS,
        "notice_type_labels": TYPE_LABELS,
        "breach_labels": BREACH_LABELS,
    }


def get_notice(notice_id: int) -> Notice:
    """The notice, or 404."""
    return db.session.get(Notice, notice_id) or abort(404)


def site_url() -> str:
    """The base of verification links: PUBLIC_BASE_URL or this request's host."""
    return services_issue.base_url(request.host_url)


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


@bp.route("/", endpoint="list")
@allow(*STAFF)
def list_notices():
    """Notices, newest first, filtered by status, type, register and year."""
    query = sa.select(Notice).order_by(Notice.id.desc())
    filters = {key: request.args.get(key, "") for key in ("status", "type", "register", "year")}
    if filters["status"] in NOTICE_STATUSES:
        query = query.where(Notice.status == filters["status"])
    if filters["type"] in DOCUMENT_TYPES:
        query = query.where(Notice.document_type == filters["type"])
    if filters["register"]:
        query = query.where(Notice.register == filters["register"])
    year = _int_arg("year")
    if year:
        query = query.where(Notice.year == year)
    page = db.paginate(query, per_page=50, error_out=False)
    registers = db.session.scalars(sa.select(Notice.register).distinct().order_by(Notice.register)).all()
    years = db.session.scalars(sa.select(Notice.year).where(Notice.year.is_not(None)).distinct()).all()
    return render_template(
        "notices/list.html",
        page=page,
        filters=filters,
        statuses=NOTICE_STATUSES,
        types=DOCUMENT_TYPES,
        registers=registers,
        years=sorted(years, reverse=True),
    )


@bp.route("/new", methods=["GET", "POST"], endpoint="new")
@allow(*DRAFTERS)
def new():
    """Draft the ladder step ``step`` for the case ``case`` (a confirmation, then the draft)."""
    case = db.session.get(Case, _int_arg("case") or 0) or abort(404)
    position = _int_arg("step") or abort(404)
    existing = services.open_draft(case.id, position)
    if existing is not None:
        return redirect(url_for("notices.edit", notice_id=existing.id))
    form = ActionForm()
    step = None
    try:
        step = services.current_step(position)
        if form.validate_on_submit():
            from flask_login import current_user

            notice = services.draft_notice(case, position, current_user)
            commit()
            flash(_("Draft created from the ladder step."), "success")
            return redirect(url_for("notices.edit", notice_id=notice.id))
    except DomainError as error:
        rollback()
        flash(error.message, "error")
    return render_template("notices/new.html", case=case, step=step, position=position, form=form)


@bp.route("/<int:notice_id>", endpoint="detail")
@allow(*STAFF)
def detail(notice_id: int):
    """A notice: its content, history, PDF, answers, receipts and deliveries."""
    notice = get_notice(notice_id)
    history = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.object_type == "notices", AuditEvent.object_id == str(notice.id))
        .order_by(AuditEvent.id)
    ).all()
    answers = db.session.scalars(
        sa.select(NoticeAnswer).where(NoticeAnswer.notice_id == notice.id).order_by(NoticeAnswer.id)
    ).all()
    receipts = db.session.scalars(
        sa.select(NoticeReceipt).where(NoticeReceipt.notice_id == notice.id).order_by(NoticeReceipt.id)
    ).all()
    corrections = db.session.scalars(sa.select(Notice).where(Notice.supersedes_id == notice.id)).all()
    return render_template(
        "notices/detail.html",
        notice=notice,
        paragraphs=document.wording.paragraphs(notice.body),
        history=history,
        action_labels=ACTION_LABELS,
        answers=answers,
        answer_files=evidence_of("notice_answers", [a.id for a in answers]),
        receipts=receipts,
        deliveries=list(notice.deliveries),
        corrections=corrections,
        action_form=ActionForm(),
        return_form=ReasonForm(prefix="return"),
        cancel_form=ReasonForm(prefix="cancel"),
    )


def _edit_form(notice: Notice) -> EditForm:
    form = EditForm()
    if request.method == "GET":
        form.summary.data = notice.summary
        form.addressee.data = notice.addressee
        form.body.data = notice.body
        form.requests.data = "\n".join(notice.requests or [])
        form.copies_to.data = "\n".join(notice.copies_to or [])
        form.signer_authority.data = notice.signer_authority
        form.signer_title.data = notice.signer_title
        form.signer_name.data = notice.signer_name
    return form


@bp.route("/<int:notice_id>/edit", methods=["GET", "POST"], endpoint="edit")
@allow(*DRAFTERS)
def edit(notice_id: int):
    """Edit a draft's text (only a draft)."""
    notice = get_notice(notice_id)
    if notice.status != "draft":
        flash(_("Only a draft can be edited."), "error")
        return redirect(url_for("notices.detail", notice_id=notice.id))
    form = _edit_form(notice)
    if form.validate_on_submit():
        try:
            services.update_draft(notice, form.values())
        except DomainError as error:
            rollback()
            target = getattr(form, error.field or "", None) or form.summary
            target.errors = [*target.errors, error.message]
            return render_template("notices/edit.html", notice=get_notice(notice_id), form=form), 400
        commit()
        flash(_("Draft saved."), "success")
        return redirect(url_for("notices.detail", notice_id=notice.id))
    status = 400 if request.method == "POST" else 200
    return render_template("notices/edit.html", notice=notice, form=form), status


def _act(notice_id: int, action: Callable[[Notice], Any], done: str, form: Any = None):
    notice = get_notice(notice_id)
    form = form or ActionForm()
    if not form.validate_on_submit():
        errors = [e for field in form for e in field.errors] or [_("The form was not accepted; try again.")]
        flash("; ".join(str(e) for e in errors), "error")
        return redirect(url_for("notices.detail", notice_id=notice_id))
    try:
        action(notice)
    except (DomainError, DocumentError) as error:
        rollback()
        flash(getattr(error, "message", str(error)), "error")
        return redirect(url_for("notices.detail", notice_id=notice_id))
    commit()
    flash(done, "success")
    return redirect(url_for("notices.detail", notice_id=notice.id))


def _user():
    from flask_login import current_user

    return current_user._get_current_object()


@bp.route("/<int:notice_id>/submit", methods=["POST"], endpoint="submit")
@allow(*DRAFTERS)
def submit(notice_id: int):
    """Submit a draft for approval."""
    return _act(notice_id, services.submit_notice, _("Submitted for approval."))


@bp.route("/<int:notice_id>/approve", methods=["POST"], endpoint="approve")
@allow(*APPROVERS)
def approve(notice_id: int):
    """Approve a submitted notice."""
    return _act(notice_id, lambda n: services.approve_notice(n, _user()), _("Approved."))


@bp.route("/<int:notice_id>/return", methods=["POST"], endpoint="return_to_draft")
@allow(*APPROVERS)
def return_to_draft(notice_id: int):
    """Return a notice to draft with a reason."""
    form = ReasonForm(prefix="return")
    return _act(
        notice_id, lambda n: services.return_notice(n, form.reason.data), _("Returned to draft."), form
    )


@bp.route("/<int:notice_id>/cancel", methods=["POST"], endpoint="cancel")
@allow(*DRAFTERS)
def cancel(notice_id: int):
    """Cancel a notice not yet issued, with a reason."""
    form = ReasonForm(prefix="cancel")
    return _act(
        notice_id, lambda n: services.cancel_notice(n, form.reason.data), _("Notice cancelled."), form
    )


@bp.route("/<int:notice_id>/issue", methods=["POST"], endpoint="issue")
@allow(*DRAFTERS)
def issue(notice_id: int):
    """Issue an approved notice: the number reserved and committed, then the PDF (or finish a reserved one)."""
    notice = get_notice(notice_id)
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("The form was not accepted; try again."), "error")
        return redirect(url_for("notices.detail", notice_id=notice_id))
    outcome = issuing.issue(notice.id, _user(), site_url())
    if outcome.is_issued:
        flash(_("Notice issued."), "success")
    else:
        flash(outcome.error, "warning" if outcome.is_reserved else "error")
    return redirect(url_for("notices.detail", notice_id=notice_id))


@bp.route("/<int:notice_id>/correct", methods=["POST"], endpoint="correct")
@allow(*DRAFTERS)
def correct(notice_id: int):
    """Start a correction: a new draft that supersedes this issued notice."""
    notice = get_notice(notice_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        draft = services_issue.correct_notice(notice, _user())
    except DomainError as error:
        rollback()
        flash(error.message, "error")
        return redirect(url_for("notices.detail", notice_id=notice_id))
    commit()
    flash(_("Correction drafted; the issued notice stays as it is."), "success")
    return redirect(url_for("notices.edit", notice_id=draft.id))


@bp.route("/<int:notice_id>/preview.pdf", endpoint="preview")
@allow(*STAFF)
def preview(notice_id: int):
    """A draft's PDF with the DỰ THẢO watermark (an issued notice: its stored PDF)."""
    notice = get_notice(notice_id)
    if notice.status == "issued":
        return redirect(url_for("notices.pdf", notice_id=notice.id))
    try:
        data = services_issue.preview_pdf(notice, site_url())
    except (DomainError, DocumentError) as error:
        flash(getattr(error, "message", str(error)), "error")
        return redirect(url_for("notices.detail", notice_id=notice.id))
    return pdf_response(data, f"du-thao-{notice.id}.pdf")


@bp.route("/<int:notice_id>/pdf", endpoint="pdf")
@allow(*STAFF)
def pdf(notice_id: int):
    """The issued notice's stored PDF, as issued."""
    notice = get_notice(notice_id)
    if notice.status != "issued" or not notice.pdf_path:
        abort(404)
    data = document.read_pdf(current_app.instance_path, notice.pdf_path)
    name = (notice.number_text or str(notice.id)).replace("/", "-") + ".pdf"
    return pdf_response(data, name, inline=False)


from app.notices import views_bulk  # noqa: E402,F401  (the bulk pages share the blueprint)
