"""The enterprise portal's pages: its stations, declarations, requests and evidence.

Every route is for enterprise users only and finds nothing outside the user's
own enterprise: anything else is a 404, whatever the URL.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from app.auth.access import allow
from app.auth.roles import ENTERPRISE
from app.db import commit, rollback
from app.errors import DomainError, NotFound
from app.formatting import LOCAL_TZ
from app.portal import bp, services
from app.portal.forms import EVIDENCE_HINT, ConnectionForm, InstallationForm, WindowForm
from app.stations.evidence import evidence_of, evidence_response, read_uploads

WINDOW_TITLES = {
    "incident": _l("Report an incident"),
    "maintenance": _l("Plan a maintenance window"),
    "suspension": _l("Request a suspension (plant shutdown or repair)"),
}
END_LABELS = {"maintenance": _l("End (local time)")}


def _enterprise_id() -> int:
    return current_user.enterprise_id


def _found(lookup: Any, *args: Any) -> Any:
    """The object the lookup finds for the user's enterprise, or 404."""
    try:
        return lookup(_enterprise_id(), *args)
    except NotFound:
        abort(404)


@bp.route("/", endpoint="home")
@allow(ENTERPRISE)
def home():
    """The enterprise's facilities and stations, with what the department still expects."""
    facilities = services.own_facilities(_enterprise_id())
    return render_template(
        "portal/home.html", enterprise=current_user.enterprise, rows=services.facility_overviews(facilities)
    )


@bp.route("/facilities/<code>", endpoint="facility")
@allow(ENTERPRISE)
def facility(code: str):
    """One of the enterprise's facilities and its stations."""
    found = _found(services.own_facility, code)
    rows = services.facility_overviews([found])
    return render_template("portal/facility.html", facility=found, overviews=rows[0][1])


@bp.route("/minutes/", endpoint="minutes")
@allow(ENTERPRISE)
def minutes():
    """The finalised inspection minutes of the enterprise's own facilities, to download."""
    from app.inspections.services import minutes_of_enterprise

    return render_template("portal/minutes.html", inspections=minutes_of_enterprise(_enterprise_id()))


@bp.route("/stations/<code>", endpoint="station")
@allow(ENTERPRISE)
def station(code: str):
    """One station: its data as verified, its declarations and windows with the decisions."""
    found = _found(services.own_station, code)
    overview = services.station_overviews([found])[0]
    return render_template(
        "portal/station.html",
        overview=overview,
        station=found,
        evidence=services.evidence_by_object(overview.declarations, overview.windows),
        window_titles=WINDOW_TITLES,
    )


def _render_form(form: FlaskForm, station: Any, title: Any, action: str, status: int = 200):
    return (
        render_template(
            "portal/form.html",
            form=form,
            station=station,
            title=title,
            action=action,
            evidence_hint=EVIDENCE_HINT,
        ),
        status,
    )


def _refused(form: FlaskForm, exc: DomainError) -> None:
    """Show a refused use case on its field, or as a message when it concerns no field."""
    rollback()
    target = getattr(form, exc.field, None) if exc.field else None
    if target is None:
        flash(exc.message, "error")
    else:
        target.errors = [*target.errors, exc.message]


def _status() -> int:
    """200 for a blank form; 400 when a submitted one comes back refused."""
    return 400 if request.method == "POST" else 200


@bp.route("/stations/<code>/installation", methods=["GET", "POST"], endpoint="declare_installation")
@allow(ENTERPRISE)
def declare_installation(code: str):
    """Declare a station's installation: date, equipment, parameters and evidence."""
    found = _found(services.own_station, code)
    form = InstallationForm()
    if not form.is_submitted():
        form.parameters.data = list(found.parameters or [])
        form.has_camera.data = found.has_camera
        form.has_sampler.data = found.has_sampler
        form.datalogger_make.data = found.datalogger_make
    if form.validate_on_submit():
        try:
            declaration = services.declare_installation(
                found,
                installed_on=form.installed_on.data,
                parameters=form.parameters.data,
                has_camera=form.has_camera.data,
                has_sampler=form.has_sampler.data,
                datalogger_make=form.datalogger_make.data,
                note=form.note.data,
                uploads=read_uploads(form.evidence.data),
            )
        except DomainError as exc:
            _refused(form, exc)
        else:
            commit()
            flash(_("Installation declared; the department will verify it."), "success")
            return redirect(url_for("portal.declaration", declaration_id=declaration.id))
    action = url_for("portal.declare_installation", code=found.code)
    return _render_form(form, found, _("Declare the installation"), action, _status())


@bp.route("/stations/<code>/connection", methods=["GET", "POST"], endpoint="declare_connection")
@allow(ENTERPRISE)
def declare_connection(code: str):
    """Declare a station's connection: since when it transmits, the datalogger's address, evidence."""
    found = _found(services.own_station, code)
    form = ConnectionForm()
    if not form.is_submitted() and found.datalogger_ip:
        form.datalogger_ip.data = found.datalogger_ip
    if form.validate_on_submit():
        try:
            declaration = services.declare_connection(
                found,
                connected_since=form.connected_since.data.replace(tzinfo=LOCAL_TZ),
                datalogger_ip=form.datalogger_ip.data,
                note=form.note.data,
                uploads=read_uploads(form.evidence.data),
            )
        except DomainError as exc:
            _refused(form, exc)
        else:
            commit()
            flash(_("Connection declared; the department will verify it."), "success")
            return redirect(url_for("portal.declaration", declaration_id=declaration.id))
    action = url_for("portal.declare_connection", code=found.code)
    return _render_form(form, found, _("Declare the connection"), action, _status())


@bp.route("/stations/<code>/windows/<kind>", methods=["GET", "POST"], endpoint="request_window")
@allow(ENTERPRISE)
def request_window(code: str, kind: str):
    """File an incident, plan a maintenance window or request a suspension."""
    found = _found(services.own_station, code)
    if kind not in services.WINDOW_KINDS:
        abort(404)
    form = WindowForm()
    if kind in END_LABELS:
        form.expected_end_at.label.text = END_LABELS[kind]
    if form.validate_on_submit():
        try:
            window = services.request_window(
                found,
                kind=kind,
                starts_at=form.starts_at.data.replace(tzinfo=LOCAL_TZ),
                expected_end_at=form.expected_end_at.data.replace(tzinfo=LOCAL_TZ),
                reason=form.reason.data,
                uploads=read_uploads(form.evidence.data),
            )
        except DomainError as exc:
            _refused(form, exc)
        else:
            commit()
            flash(_("Request sent; the department will decide on it."), "success")
            return redirect(url_for("portal.window", window_id=window.id))
    action = url_for("portal.request_window", code=found.code, kind=kind)
    return _render_form(form, found, WINDOW_TITLES[kind], action, _status())


@bp.route("/declarations/<int:declaration_id>", endpoint="declaration")
@allow(ENTERPRISE)
def declaration(declaration_id: int):
    """One declaration with its evidence and the department's decision."""
    found = _found(services.own_declaration, declaration_id)
    files = evidence_of(services.DECLARATIONS, [found.id])[found.id]
    return render_template("portal/declaration.html", declaration=found, files=files)


@bp.route("/windows/<int:window_id>", endpoint="window")
@allow(ENTERPRISE)
def window(window_id: int):
    """One incident, maintenance window or suspension with its evidence and the decision."""
    found = _found(services.own_window, window_id)
    files = evidence_of(services.WINDOWS, [found.id])[found.id]
    return render_template("portal/window.html", window=found, files=files)


@bp.route("/evidence/<int:evidence_id>", endpoint="evidence")
@allow(ENTERPRISE)
def evidence(evidence_id: int):
    """One of the enterprise's evidence files (404 for any other)."""
    return evidence_response(_found(services.own_evidence, evidence_id))
