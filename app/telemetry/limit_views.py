"""A facility's exceedances and limits on its page, and the inspectors' record of its permit limits.

The facility page includes ``templates/telemetry/_facility_exceedances.html``, which
calls the ``facility_exceedances`` template global: the last full month's exceedance
hours and the limits used, with their basis and "to verify" marks. Inspectors and
administrators record or remove a permit limit through the routes below (audited).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.auth.access import allow
from app.auth.roles import ADMIN, INSPECTOR
from app.compliance.limits import UNITS
from app.compliance.parameters import sort_parameters
from app.db import commit, rollback, utcnow
from app.errors import DomainError, NotFound
from app.facilities.models import Facility
from app.facilities.services import visible_facility
from app.settings.services import get as setting
from app.telemetry import exceedances
from app.telemetry.limit_forms import PermitLimitForm, RemoveLimitForm
from app.telemetry.slots import to_local

bp = Blueprint("facility_limits", __name__, url_prefix="/facilities")

EDITORS = (ADMIN, INSPECTOR)


def _facility_or_404(code: str) -> Facility:
    try:
        return visible_facility(code)
    except NotFound:
        abort(404)


def _parameter_choices(facility: Facility) -> list[SelectChoice]:
    registered = [
        code for station in exceedances.facility_stations(facility) for code in station.parameters or ()
    ]
    codes = sort_parameters([*registered, *UNITS], extra_known=registered)
    return [SelectChoice(code, code) for code in codes]


def limit_form(facility: Facility) -> PermitLimitForm:
    """The form of a permit limit, its choices the facility's parameters and those QCVN covers."""
    form = PermitLimitForm(prefix="limit")
    form.parameter.choices = _parameter_choices(facility)
    return form


@bp.app_template_global("facility_exceedances")
def facility_exceedances(facility: Facility) -> dict[str, Any]:
    """For the facility page: last full month's exceedance hours, the limits used, the permit limits."""
    now = utcnow()
    first, last = exceedances.last_full_month(to_local(now).date())
    is_editor = current_user.is_authenticated and current_user.role in EDITORS
    return {
        "first": first,
        "last": last,
        "result": exceedances.facility_exceedances(facility, first, last, now),
        "limits": exceedances.limits_in_use(facility),
        "permits": exceedances.permit_limits(facility),
        "case_threshold": int(setting("threshold.exceedance_hours_case")),
        "form": limit_form(facility) if is_editor else None,
        "remove_form": RemoveLimitForm(prefix="remove-limit") if is_editor else None,
        "units": UNITS,
    }


def _back(facility: Facility):
    return redirect(url_for("facilities.detail", code=facility.code) + "#exceedances")


@bp.route("/<code>/limits", methods=["POST"], endpoint="record")
@allow(*EDITORS)
def record_limit(code: str):
    """Record (or correct) a limit of the facility's permit."""
    facility = _facility_or_404(code)
    form = limit_form(facility)
    if not form.validate_on_submit():
        for name, problems in form.errors.items():
            flash(f"{getattr(form, name).label.text}: {' '.join(map(str, problems))}", "error")
        return _back(facility)
    try:
        row = exceedances.record_permit_limit(
            facility,
            form.parameter.data,
            form.low.data,
            form.high.data,
            form.permit_reference.data,
            form.reason.data,
        )
    except DomainError as error:
        rollback()
        flash(error.message, "error")
        return _back(facility)
    commit()
    flash(_("Permit limit of %(parameter)s recorded.", parameter=row.parameter), "success")
    return _back(facility)


@bp.route("/<code>/limits/<parameter>/delete", methods=["POST"], endpoint="remove")
@allow(*EDITORS)
def remove_limit(code: str, parameter: str):
    """Remove a permit limit recorded by mistake, with a reason."""
    facility = _facility_or_404(code)
    if parameter not in exceedances.permit_limits(facility):
        abort(404)
    form = RemoveLimitForm(prefix="remove-limit")
    if not form.validate_on_submit():
        flash(_("A reason is required."), "error")
        return _back(facility)
    try:
        exceedances.remove_permit_limit(facility, parameter, form.reason.data)
    except DomainError as error:
        rollback()
        flash(error.message, "error")
        return _back(facility)
    commit()
    flash(_("Permit limit of %(parameter)s removed.", parameter=parameter), "success")
    return _back(facility)
