"""The ladder's pages: the current steps with their history, and an administrator's new version of a step."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.auth.access import allow
from app.auth.roles import ADMIN, STAFF
from app.cases import bp
from app.cases.forms import LadderStepForm
from app.cases.ladder_services import (
    EDITABLE,
    TEMPLATE_FIELDS,
    current_step,
    current_steps,
    history,
    supersede_step,
)
from app.db import commit, rollback
from app.errors import DomainError, NotFound
from app.extensions import db


@bp.route("/ladder/", endpoint="ladder")
@allow(*STAFF)
def ladder():
    """The current ladder steps, each with its earlier versions."""
    steps = current_steps()
    return render_template(
        "cases/ladder.html", steps=steps, versions={s.position: history(s.position) for s in steps}
    )


def _step_or_404(position: int):
    try:
        return current_step(position)
    except NotFound:
        abort(404)


def _page(step, form: LadderStepForm, status: int = 200):
    page = render_template(
        "cases/ladder_edit.html",
        step=step,
        form=form,
        fields=TEMPLATE_FIELDS,
        versions=history(step.position),
    )
    return page, status


@bp.route("/ladder/<int:position>/edit", methods=["GET", "POST"], endpoint="edit_step")
@allow(ADMIN)
def edit_step(position: int):
    """Record a new version of a step (the current one is superseded, never edited)."""
    step = _step_or_404(position)
    form = LadderStepForm(obj=step)
    if not form.is_submitted():
        form.reason.data = ""
    if not form.validate_on_submit():
        return _page(step, form, 400 if form.is_submitted() else 200)
    values = {field: getattr(form, field).data for field in EDITABLE}
    values["request_template"] = values["request_template"] or ""
    try:
        successor = supersede_step(position, values, form.reason.data)
    except DomainError as exc:
        rollback()
        target = getattr(form, exc.field or "reason", form.reason)
        target.errors = [*target.errors, exc.message]
        return _page(db.session.get(type(step), step.id), form, 400)
    commit()
    flash(_("Step %(n)d recorded as a new version.", n=successor.position), "success")
    return redirect(url_for("cases.ladder"))
