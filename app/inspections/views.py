"""Inspection pages: planning by risk, scheduling, the record, its requests and the minutes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import allow
from app.auth.roles import ADMIN, ENTERPRISE, INSPECTOR, STAFF
from app.db import commit, rollback, utcnow
from app.documents.render import DocumentError
from app.errors import DomainError
from app.extensions import db
from app.facilities.models import Facility
from app.files import read_stored
from app.http import pdf_response
from app.inspections import bp, content, planning, services
from app.inspections.forms import CancelForm, ConfirmForm, RecordForm, RequestForm, ScheduleForm, people_text
from app.inspections.models import Inspection, InspectionRequest
from app.telemetry.exceedances import last_full_month

ACTORS = (ADMIN, INSPECTOR)
SHOWN = 100


@bp.route("/", endpoint="list")
@allow(*STAFF)
def list_inspections():
    """The facilities ranked by risk with every part of the score, and the inspections."""
    scores = planning.rank_facilities(utcnow())[:SHOWN]
    facilities = {
        f.id: f
        for f in db.session.scalars(
            sa.select(Facility).where(Facility.id.in_([s.facility_id for s in scores]))
        )
    }
    inspections = db.session.scalars(
        sa.select(Inspection).order_by(Inspection.inspected_on.desc(), Inspection.id.desc()).limit(200)
    ).all()
    overdue = db.session.scalars(
        sa.select(InspectionRequest)
        .join(Inspection)
        .where(
            InspectionRequest.status == "open",
            InspectionRequest.due_on < services.today_local(),
            Inspection.status == "finalised",
        )
        .order_by(InspectionRequest.due_on)
    ).all()
    return render_template(
        "inspections/list.html",
        scores=scores,
        facilities=facilities,
        weights=planning.weights(),
        inspections=inspections,
        overdue=overdue,
    )


def _facility_or_404(code: str | None) -> Facility:
    facility = db.session.scalar(sa.select(Facility).where(Facility.code == (code or "")))
    if facility is None:
        abort(404)
    return facility


def _new_form(facility: Facility) -> ScheduleForm:
    today = services.today_local()
    first, last = last_full_month(today)
    return ScheduleForm(
        formdata=None,
        data={
            "decision_date": today,
            "inspected_on": today + timedelta(days=7),
            "place": facility.address or facility.name,
            "period_from": first,
            "period_to": last,
        },
    )


@bp.route("/new", methods=["GET", "POST"], endpoint="new")
@allow(*ACTORS)
def new():
    """Schedule an inspection of a facility, showing the score it was chosen on."""
    facility = _facility_or_404(request.values.get("facility"))
    (score,) = planning.rank_facilities(utcnow(), [facility])
    form = ScheduleForm() if request.method == "POST" else _new_form(facility)
    if request.method == "POST" and form.validate_on_submit():
        plan = services.Plan(**form.values())
        try:
            inspection = services.schedule_inspection(facility, plan, current_user, score.as_dict())
        except DomainError as error:
            rollback()
            _field_error(form, error, "decision_number")
        else:
            commit()
            flash(_("Inspection scheduled."), "success")
            return redirect(url_for("inspections.detail", inspection_id=inspection.id))
    status = 400 if request.method == "POST" else 200
    return render_template("inspections/new.html", facility=facility, score=score, form=form), status


def _field_error(form: Any, error: DomainError, default: str) -> None:
    target = getattr(form, error.field or default, None) or getattr(form, default)
    target.errors = [*target.errors, error.message]


def _inspection_or_404(inspection_id: int) -> Inspection:
    inspection = db.session.get(Inspection, inspection_id)
    if inspection is None:
        abort(404)
    return inspection


def _record_form(inspection: Inspection) -> RecordForm:
    data = {name: getattr(inspection, name) for name in services.EDITABLE}
    data["team"] = people_text(inspection.team)
    data["representatives"] = people_text(inspection.representatives)
    return RecordForm(formdata=None, prefix="record", data=data)


def _detail(inspection: Inspection, status: int = 200, **forms: Any):
    facts = services.facts_of(inspection)
    run = services.render_run(inspection) if inspection.status == "finalising" else None
    page = render_template(
        "inspections/detail.html",
        inspection=inspection,
        facts=facts,
        tables=content.tables(facts),
        chart=content.effective_chart(facts),
        today=services.today_local(),
        record_form=forms.get("record") or _record_form(inspection),
        request_form=forms.get("request") or RequestForm(formdata=None, prefix="request"),
        cancel_form=forms.get("cancel") or CancelForm(formdata=None, prefix="cancel"),
        confirm_form=ConfirmForm(formdata=None),
        render_run=run,
        render_error=services.failure_reason(run),
    )
    return page, status


@bp.route("/<int:inspection_id>", endpoint="detail")
@allow(*STAFF)
def detail(inspection_id: int):
    """The inspection: its record pre-filled from the system, findings, requests, minutes."""
    return _detail(_inspection_or_404(inspection_id))


def _act(inspection_id: int, name: str, form: Any, field: str, action, done: str):
    inspection = _inspection_or_404(inspection_id)
    if not form.validate_on_submit():
        return _detail(inspection, 400, **{name: form})
    try:
        action(inspection, form)
    except DomainError as error:
        rollback()
        _field_error(form, error, field)
        return _detail(_inspection_or_404(inspection_id), 400, **{name: form})
    commit()
    flash(done, "success")
    return redirect(url_for("inspections.detail", inspection_id=inspection_id))


@bp.route("/<int:inspection_id>/edit", methods=["POST"], endpoint="edit")
@allow(*ACTORS)
def edit(inspection_id: int):
    """Save the record (planned only)."""
    form = RecordForm(prefix="record")
    return _act(
        inspection_id,
        "record",
        form,
        "findings",
        lambda i, f: services.update_record(i, f.values()),
        _("Record saved."),
    )


@bp.route("/<int:inspection_id>/requests", methods=["POST"], endpoint="add_request")
@allow(*ACTORS)
def add_request(inspection_id: int):
    """Add a request with its deadline (planned only)."""
    form = RequestForm(prefix="request")
    return _act(
        inspection_id,
        "request",
        form,
        "text",
        lambda i, f: services.add_request(i, f.text.data, f.due_on.data),
        _("Request added."),
    )


def _request_or_404(inspection: Inspection, request_id: int) -> InspectionRequest:
    item = db.session.get(InspectionRequest, request_id)
    if item is None or item.inspection_id != inspection.id:
        abort(404)
    return item


def _simple(inspection_id: int, action, done: str):
    inspection = _inspection_or_404(inspection_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        action(inspection)
    except DomainError as error:
        rollback()
        flash(error.message, "error")
    else:
        commit()
        flash(done, "success")
    return redirect(url_for("inspections.detail", inspection_id=inspection_id))


@bp.route(
    "/<int:inspection_id>/requests/<int:request_id>/remove", methods=["POST"], endpoint="remove_request"
)
@allow(*ACTORS)
def remove_request(inspection_id: int, request_id: int):
    """Take a request off a planned record."""
    return _simple(
        inspection_id,
        lambda i: services.remove_request(i, _request_or_404(i, request_id)),
        _("Request removed."),
    )


@bp.route("/<int:inspection_id>/requests/<int:request_id>/done", methods=["POST"], endpoint="request_done")
@allow(*ACTORS)
def request_done(inspection_id: int, request_id: int):
    """Mark a request of finalised minutes done, or open again."""
    is_done = request.form.get("done") == "1"
    return _simple(
        inspection_id,
        lambda i: services.set_request_done(_request_or_404(i, request_id), current_user, is_done),
        _("Request marked done.") if is_done else _("Request open again."),
    )


@bp.route("/<int:inspection_id>/finalise", methods=["POST"], endpoint="finalise")
@allow(*ACTORS)
def finalise(inspection_id: int):
    """Freeze the record; the minutes are numbered and rendered by a job."""
    return _simple(
        inspection_id,
        lambda i: services.finalise_inspection(i, current_user, request.host_url),
        _("Record finalised: the minutes are being prepared."),
    )


@bp.route("/<int:inspection_id>/retry", methods=["POST"], endpoint="retry")
@allow(*ACTORS)
def retry(inspection_id: int):
    """Ask again for minutes whose job failed all its attempts (the number is never taken twice)."""
    return _simple(
        inspection_id,
        lambda i: services.retry_minutes(i, current_user, request.host_url),
        _("The minutes are being prepared again."),
    )


@bp.route("/<int:inspection_id>/cancel", methods=["POST"], endpoint="cancel")
@allow(*ACTORS)
def cancel(inspection_id: int):
    """Cancel a planned inspection with a reason."""
    form = CancelForm(prefix="cancel")
    return _act(
        inspection_id,
        "cancel",
        form,
        "reason",
        lambda i, f: services.cancel_inspection(i, f.reason.data),
        _("Inspection cancelled."),
    )


@bp.route("/<int:inspection_id>/preview.pdf", endpoint="preview")
@allow(*STAFF)
def preview(inspection_id: int):
    """The minutes as they stand, marked DỰ THẢO (once finalised: the stored minutes)."""
    inspection = _inspection_or_404(inspection_id)
    if inspection.status == "finalised":
        return redirect(url_for("inspections.pdf", inspection_id=inspection.id))
    try:
        data = services.preview_pdf(inspection)
    except DocumentError as error:
        flash(str(error), "error")
        return redirect(url_for("inspections.detail", inspection_id=inspection.id))
    return pdf_response(data, f"du-thao-bien-ban-{inspection.id}.pdf")


def _minutes_response(inspection: Inspection):
    if inspection.status != "finalised" or not inspection.pdf_path:
        abort(404)
    data = read_stored(current_app.instance_path, inspection.pdf_path)
    name = (inspection.number_text or str(inspection.id)).replace("/", "-") + ".pdf"
    return pdf_response(data, name, inline=False)


@bp.route("/<int:inspection_id>/minutes.pdf", endpoint="pdf")
@allow(*STAFF)
def pdf(inspection_id: int):
    """The finalised minutes, exactly as stored."""
    return _minutes_response(_inspection_or_404(inspection_id))


@bp.route("/minutes/<int:inspection_id>.pdf", endpoint="own_minutes")
@allow(ENTERPRISE)
def own_minutes(inspection_id: int):
    """An enterprise user's copy of the finalised minutes of its own facility (another's: 404)."""
    inspection = _inspection_or_404(inspection_id)
    if inspection.facility.enterprise_id != current_user.enterprise_id:
        abort(404)
    return _minutes_response(inspection)


@bp.app_template_global("facility_inspections")
def facility_inspections(facility: Facility) -> list[Inspection]:
    """The facility's inspections, latest first (its page lists them with their minutes)."""
    return list(
        db.session.scalars(
            sa.select(Inspection)
            .where(Inspection.facility_id == facility.id)
            .order_by(Inspection.inspected_on.desc(), Inspection.id.desc())
        )
    )
