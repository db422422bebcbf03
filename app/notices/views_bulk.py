"""Bulk pages: draft one step for many cases, submit and approve many, issue the approved by a job."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import allow
from app.auth.roles import INSPECTOR, LEADER, STAFF
from app.db import commit, rollback
from app.errors import DomainError
from app.extensions import db
from app.jobs.models import JobRun
from app.notices import bp, services_bulk
from app.notices.forms import ActionForm, BulkFilterForm
from app.notices.models import Notice
from app.notices.services_bulk import BULK_ISSUE_JOB
from app.notices.views import site_url

SHOWN = 500


def _ids(name: str) -> list[int]:
    return sorted({int(v) for v in request.form.getlist(name) if v.isdigit()})


def _by_status(status: str) -> list[Notice]:
    query = sa.select(Notice).where(Notice.status == status).order_by(Notice.id).limit(SHOWN)
    return list(db.session.scalars(query))


@bp.route("/bulk", endpoint="bulk")
@allow(*STAFF)
def bulk():
    """Pick the cases of a step to draft; the drafts, submitted and approved notices to act on."""
    filters = BulkFilterForm(request.args)
    step = filters.step.data or "1"
    # A step typed into the address (not a number) is the first step, not a server error.
    position = int(step) if step.isascii() and step.isdigit() else 1
    found = services_bulk.candidates(position, filters.kind.data or None)
    runs = db.session.scalars(
        sa.select(JobRun).where(JobRun.name == BULK_ISSUE_JOB).order_by(JobRun.id.desc()).limit(5)
    ).all()
    return render_template(
        "notices/bulk.html",
        filters=filters,
        position=position,
        candidates=found,
        drafts=_by_status("draft"),
        submitted=_by_status("submitted"),
        approved=_by_status("approved"),
        runs=runs,
        form=ActionForm(),
    )


def _done(message: str, **args):
    commit()
    flash(message, "success")
    return redirect(url_for("notices.bulk", **args))


def _refused(error: DomainError):
    rollback()
    flash(error.message, "error")
    return redirect(url_for("notices.bulk"))


@bp.route("/bulk/draft", methods=["POST"], endpoint="bulk_draft")
@allow(INSPECTOR)
def bulk_draft():
    """Draft the step for the picked cases in one go."""
    if not ActionForm().validate_on_submit():
        abort(400)
    position = int(request.form.get("step", "1")) if request.form.get("step", "1").isdigit() else 1
    try:
        drafted = services_bulk.draft_many(_ids("case_ids"), position, current_user._get_current_object())
    except DomainError as error:
        return _refused(error)
    return _done(_("%(n)d drafts created.", n=len(drafted)), step=position)


@bp.route("/bulk/submit", methods=["POST"], endpoint="bulk_submit")
@allow(INSPECTOR)
def bulk_submit():
    """Submit the picked drafts for approval."""
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        count = services_bulk.submit_many(_ids("notice_ids"))
    except DomainError as error:
        return _refused(error)
    return _done(_("%(n)d notices submitted.", n=count))


@bp.route("/bulk/approve", methods=["POST"], endpoint="bulk_approve")
@allow(LEADER)
def bulk_approve():
    """A leader approves the picked submitted notices at once."""
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        count = services_bulk.approve_many(_ids("notice_ids"), current_user._get_current_object())
    except DomainError as error:
        return _refused(error)
    return _done(_("%(n)d notices approved.", n=count))


@bp.route("/bulk/issue", methods=["POST"], endpoint="bulk_issue")
@allow(INSPECTOR)
def bulk_issue():
    """Issue the picked approved notices by a job (each numbered, rendered and committed on its own)."""
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        run = services_bulk.request_bulk_issue(
            _ids("notice_ids"), current_user._get_current_object(), site_url()
        )
    except DomainError as error:
        return _refused(error)
    if run is None:
        flash(_("No approved notice was picked."), "error")
        return redirect(url_for("notices.bulk"))
    run_id = run.id
    commit()
    return redirect(url_for("notices.bulk_run", run_id=run_id))


def _run_or_404(run_id: int) -> JobRun:
    run = db.session.get(JobRun, run_id)
    if run is None or run.name != BULK_ISSUE_JOB:
        abort(404)
    return run


@bp.route("/bulk/runs/<int:run_id>", endpoint="bulk_run")
@allow(*STAFF)
def bulk_run(run_id: int):
    """A bulk issue's progress and, once done, the notices issued and the failures."""
    run = _run_or_404(run_id)
    result = run.result or {}
    issued = result.get("issued") or []
    notices = db.session.scalars(sa.select(Notice).where(Notice.id.in_(issued)).order_by(Notice.number)).all()
    return render_template(
        "notices/bulk_run.html", run=run, issued=notices, failed=result.get("failed") or []
    )


@bp.route("/bulk/runs/<int:run_id>.json", endpoint="bulk_run_status")
@allow(*STAFF)
def bulk_run_status(run_id: int):
    """The run's status and progress, polled by the progress bar."""
    run = _run_or_404(run_id)
    return run.progress_json()
