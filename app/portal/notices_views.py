"""The portal's notices: the enterprise's issued notices, their PDF, acknowledgement and answers.

Enterprise users only; another enterprise's notice (or a draft, or a
submission) is a 404 whatever the URL. Answer attachments are served by
``portal.evidence`` (the enterprise's own) and ``verification.evidence`` (staff).
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import allow
from app.auth.roles import ENTERPRISE
from app.db import commit, rollback
from app.errors import DomainError, NotFound
from app.http import pdf_response
from app.portal import bp
from app.portal import notices_services as services
from app.portal.forms import EVIDENCE_HINT
from app.portal.notices_forms import AcknowledgeForm, AnswerForm
from app.stations.evidence import read_uploads

log = logging.getLogger(__name__)


def _own(notice_id: int):
    try:
        return services.own_notice(current_user.enterprise_id, notice_id)
    except NotFound:
        abort(404)


def _record_opened(notice) -> None:
    """Record the first opening; a busy database only loses this record, never the page."""
    try:
        if services.record_opened(notice, current_user.id) is not None:
            commit()
    except sa.exc.OperationalError as exc:
        rollback()
        log.warning("opening of notice %s not recorded: %s", notice.id, exc)


@bp.route("/notices/", endpoint="notices")
@allow(ENTERPRISE)
def notices():
    """The enterprise's issued notices with what it has done about each."""
    found = services.own_notices(current_user.enterprise_id)
    return render_template("portal/notices.html", notices=found, states=services.states(found))


def _notice_page(notice, form: AnswerForm, status: int = 200):
    state = services.states([notice])[notice.id]
    return (
        render_template(
            "portal/notice.html",
            notice=notice,
            state=state,
            files=services.answer_files(state.answers),
            form=form,
            acknowledge_form=AcknowledgeForm(),
            evidence_hint=EVIDENCE_HINT,
        ),
        status,
    )


@bp.route("/notices/<int:notice_id>", endpoint="notice")
@allow(ENTERPRISE)
def notice(notice_id: int):
    """One notice: number, date, summary, deadline, PDF, acknowledgement and answers."""
    found = _own(notice_id)
    _record_opened(found)
    return _notice_page(found, AnswerForm(formdata=None))


@bp.route("/notices/<int:notice_id>/pdf", endpoint="notice_pdf")
@allow(ENTERPRISE)
def notice_pdf(notice_id: int):
    """The notice's PDF as issued (its download counts as opening it)."""
    found = _own(notice_id)
    try:
        data = services.pdf_bytes(found)
    except NotFound:
        abort(404)
    name = (found.number_text or f"van-ban-{found.id}").replace("/", "-") + ".pdf"
    _record_opened(found)
    return pdf_response(data, name, inline=False)


@bp.route("/notices/<int:notice_id>/acknowledge", methods=["POST"], endpoint="acknowledge_notice")
@allow(ENTERPRISE)
def acknowledge_notice(notice_id: int):
    """Acknowledge receipt of the notice (once)."""
    found = _own(notice_id)
    if not AcknowledgeForm().validate_on_submit():
        abort(400)
    try:
        services.acknowledge(found)
    except DomainError as exc:
        rollback()
        flash(exc.message, "error")
    else:
        commit()
        flash(_("Receipt acknowledged."), "success")
    return redirect(url_for("portal.notice", notice_id=notice_id))


@bp.route("/notices/<int:notice_id>/answers", methods=["POST"], endpoint="answer_notice")
@allow(ENTERPRISE)
def answer_notice(notice_id: int):
    """Send an answer with its attachments."""
    found = _own(notice_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        return _notice_page(found, form, 400)
    try:
        services.answer_notice(found, form.text.data, read_uploads(form.evidence.data))
    except DomainError as exc:
        rollback()
        target = getattr(form, exc.field, None) if exc.field else None
        if target is None:
            flash(exc.message, "error")
        else:
            target.errors = [*target.errors, exc.message]
        return _notice_page(_own(notice_id), form, 400)
    commit()
    flash(_("Answer sent to the department."), "success")
    return redirect(url_for("portal.notice", notice_id=notice_id) + "#answers")
