"""The verification queue's pages: pending items, their evidence, and the decisions."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.auth.access import allow
from app.auth.roles import ADMIN, INSPECTOR, STAFF
from app.db import commit, rollback
from app.errors import DomainError
from app.extensions import db
from app.formatting import LOCAL_TZ
from app.portal.services import DECLARATIONS, WINDOWS
from app.stations.evidence import evidence_of, evidence_response
from app.stations.models import Declaration, EvidenceFile, ExcuseWindow
from app.verification import bp, services
from app.verification.forms import CloseWindowForm, DeclarationDecisionForm, WindowDecisionForm

DECIDERS = (ADMIN, INSPECTOR)
RECENT = 20


def _get_or_404(model: Any, object_id: int) -> Any:
    found = db.session.get(model, object_id)
    if found is None:
        abort(404)
    return found


def _local(value: Any) -> Any:
    return value.replace(tzinfo=LOCAL_TZ) if value is not None else None


@bp.route("/", endpoint="list")
@allow(*DECIDERS)
def list_pending():
    """Every pending declaration and window, oldest first; approved windows still open; recent decisions."""
    recent_declarations = db.session.scalars(
        sa.select(Declaration)
        .where(Declaration.status != "pending")
        .order_by(Declaration.decided_at.desc(), Declaration.id.desc())
        .limit(RECENT)
    ).all()
    recent_windows = db.session.scalars(
        sa.select(ExcuseWindow)
        .where(ExcuseWindow.status != "pending")
        .order_by(ExcuseWindow.decided_at.desc(), ExcuseWindow.id.desc())
        .limit(RECENT)
    ).all()
    return render_template(
        "verification/list.html",
        queue=services.pending_queue(),
        open_windows=services.open_windows(),
        recent_declarations=recent_declarations,
        recent_windows=recent_windows,
    )


def _declaration_page(declaration: Declaration, form: DeclarationDecisionForm, status: int = 200):
    files = evidence_of(DECLARATIONS, [declaration.id])[declaration.id]
    page = render_template("verification/declaration.html", declaration=declaration, files=files, form=form)
    return page, status


@bp.route("/declarations/<int:declaration_id>", endpoint="declaration")
@allow(*DECIDERS)
def declaration(declaration_id: int):
    """One declaration: its values, evidence, and the decision form while it is pending."""
    found = _get_or_404(Declaration, declaration_id)
    return _declaration_page(found, DeclarationDecisionForm())


def _field_error(form: Any, exc: DomainError) -> None:
    target = getattr(form, exc.field, None) if exc.field else None
    target = target if target is not None else form.reason
    target.errors = [*target.errors, exc.message]


@bp.route("/declarations/<int:declaration_id>/decide", methods=["POST"], endpoint="decide_declaration")
@allow(*DECIDERS)
def decide_declaration(declaration_id: int):
    """Verify a declaration (its values go to the station) or reject it with a reason."""
    found = _get_or_404(Declaration, declaration_id)
    form = DeclarationDecisionForm()
    if not form.validate_on_submit():
        return _declaration_page(found, form, 400)
    try:
        if form.verdict.data == "verify":
            services.verify_declaration(found, form.reason.data)
        else:
            services.reject_declaration(found, form.reason.data)
    except services.AlreadyDecided as exc:
        rollback()
        flash(exc.message, "error")
        return _declaration_page(db.session.get(Declaration, declaration_id), form, 409)
    except DomainError as exc:
        rollback()
        _field_error(form, exc)
        return _declaration_page(db.session.get(Declaration, declaration_id), form, 400)
    commit()
    if found.status == "verified":
        flash(_("Declaration verified; the station's data is updated."), "success")
    else:
        flash(_("Declaration rejected; the enterprise sees the reason."), "success")
    return redirect(url_for("verification.list"))


def _window_page(window: ExcuseWindow, decide: WindowDecisionForm, close: CloseWindowForm, status: int = 200):
    files = evidence_of(WINDOWS, [window.id])[window.id]
    page = render_template(
        "verification/window.html", window=window, files=files, decide_form=decide, close_form=close
    )
    return page, status


@bp.route("/windows/<int:window_id>", endpoint="window")
@allow(*DECIDERS)
def window(window_id: int):
    """One window: its reason, evidence, and the decision or closing form."""
    found = _get_or_404(ExcuseWindow, window_id)
    return _window_page(found, WindowDecisionForm(prefix="decide"), CloseWindowForm(prefix="close"))


@bp.route("/windows/<int:window_id>/decide", methods=["POST"], endpoint="decide_window")
@allow(*DECIDERS)
def decide_window(window_id: int):
    """Approve a window (with its actual end when known) or reject it with a reason."""
    found = _get_or_404(ExcuseWindow, window_id)
    form = WindowDecisionForm(prefix="decide")
    close = CloseWindowForm(prefix="close", formdata=None)
    if not form.validate_on_submit():
        return _window_page(found, form, close, 400)
    try:
        if form.verdict.data == "approve":
            services.approve_window(found, _local(form.ends_at.data), form.reason.data)
        else:
            services.reject_window(found, form.reason.data)
    except services.AlreadyDecided as exc:
        rollback()
        flash(exc.message, "error")
        return _window_page(db.session.get(ExcuseWindow, window_id), form, close, 409)
    except DomainError as exc:
        rollback()
        _field_error(form, exc)
        return _window_page(db.session.get(ExcuseWindow, window_id), form, close, 400)
    commit()
    if found.status == "approved":
        flash(_("Window approved; its slots are excused."), "success")
    else:
        flash(_("Window rejected; the enterprise sees the reason."), "success")
    return redirect(url_for("verification.list"))


@bp.route("/windows/<int:window_id>/close", methods=["POST"], endpoint="close_window")
@allow(*DECIDERS)
def close_window(window_id: int):
    """Record the actual end of an approved window."""
    found = _get_or_404(ExcuseWindow, window_id)
    form = CloseWindowForm(prefix="close")
    decide = WindowDecisionForm(prefix="decide", formdata=None)
    if not form.validate_on_submit():
        return _window_page(found, decide, form, 400)
    try:
        services.close_window(found, _local(form.ends_at.data), form.reason.data)
    except services.AlreadyDecided as exc:
        rollback()
        flash(exc.message, "error")
        return _window_page(db.session.get(ExcuseWindow, window_id), decide, form, 409)
    except DomainError as exc:
        rollback()
        _field_error(form, exc)
        return _window_page(db.session.get(ExcuseWindow, window_id), decide, form, 400)
    commit()
    flash(_("Window closed with its actual end."), "success")
    return redirect(url_for("verification.list"))


@bp.route("/evidence/<int:evidence_id>", endpoint="evidence")
@allow(*STAFF)
def evidence(evidence_id: int):
    """An evidence file, for the department's staff."""
    return evidence_response(_get_or_404(EvidenceFile, evidence_id))
