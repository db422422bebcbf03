"""Station list, station page, the inspectors' forms, and the stations part of the facility page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth.access import allow, any_user
from app.auth.roles import ADMIN, INSPECTOR
from app.compliance.services import today
from app.db import commit
from app.errors import DomainError, NotFound
from app.extensions import db
from app.facilities.models import Facility
from app.facilities.services import visible_facility
from app.stations import bp, coverage_services, edit_services, services
from app.stations.forms import CertificateForm, ChoiceForm, RemoveForm, StationForm
from app.stations.models import STATION_KINDS, Declaration, Station, StationCertificate
from app.telemetry.slots import to_local
from app.telemetry.status import ConnectionStatus

EDITORS = (ADMIN, INSPECTOR)
PER_PAGE = 50


@dataclass(frozen=True)
class Page:
    """One page of a list filtered in Python (the status is derived, not a column)."""

    items: list[Any]
    page: int
    total: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        """How many pages there are."""
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        """Whether a previous page exists."""
        return self.page > 1

    @property
    def has_next(self) -> bool:
        """Whether a next page exists."""
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        """The previous page's number."""
        return self.page - 1

    @property
    def next_num(self) -> int:
        """The next page's number."""
        return self.page + 1


def _paginate(rows: list[Any]) -> Page:
    number = request.args.get("page", type=int) or 1
    number = max(1, number)
    start = (number - 1) * PER_PAGE
    return Page(rows[start : start + PER_PAGE], number, len(rows))


def _station_or_404(code: str) -> Station:
    try:
        return services.visible_station(code)
    except NotFound:
        abort(404)


@bp.app_template_global("facility_stations")
def facility_stations(facility: Facility) -> coverage_services.FacilityStations:
    """For the facility page: its stations with their status, and the coverage of its obligations."""
    return coverage_services.facility_stations(facility)


@bp.app_template_global("stations_missing_flags")
def stations_missing_flags(facilities: Sequence[Facility]) -> dict[int, bool | None]:
    """For the facility list: which of the page's facilities miss a required parameter."""
    return coverage_services.missing_flags(list(facilities))


@bp.app_template_global("station_states")
def station_states(stations: Sequence) -> dict:
    """For any page listing stations: the derived connection status of each, by station id."""
    return services.statuses_for(list(stations))


@bp.route("/", endpoint="list")
@any_user
def list_stations():
    """Stations the user may see: search, filter by kind, facility and status."""
    args = request.args
    filters = services.Filters(
        text=args.get("q") or None,
        kind=args.get("kind") if args.get("kind") in STATION_KINDS else None,
        facility=args.get("facility") or None,
        status=args.get("status") if args.get("status") in set(ConnectionStatus) else None,
    )
    page = _paginate(services.list_stations(filters))
    return render_template(
        "stations/list.html", page=page, filters=filters, kinds=STATION_KINDS, statuses=list(ConnectionStatus)
    )


@bp.route("/<code>", endpoint="detail")
@any_user
def detail(code: str):
    """One station: equipment, certificates, derived status and its timeline (404 for another's)."""
    station = _station_or_404(code)
    observed = services.observe([station])[station.id]
    declarations = db.session.scalars(
        sa.select(Declaration)
        .where(Declaration.station_id == station.id)
        .order_by(Declaration.declared_at.desc())
        .limit(10)
    ).all()
    return render_template(
        "stations/detail.html",
        station=station,
        observed=observed,
        timeline=services.timeline(station),
        declarations=declarations,
        today=today(),
        certificate_form=CertificateForm(prefix="certificate"),
        remove_form=RemoveForm(prefix="remove"),
    )


def _values(form: StationForm) -> dict[str, Any]:
    return {name: getattr(form, name).data for name in edit_services.STATION_FIELDS}


@bp.route("/new", methods=["GET", "POST"], endpoint="create")
@allow(*EDITORS)
def create():
    """Register a station by hand."""
    form = StationForm()
    if request.method == "GET" and request.args.get("facility"):
        form.facility_code.data = request.args["facility"]
    if form.validate_on_submit():
        try:
            station = edit_services.create_station(form.code.data, _values(form))
        except DomainError as exc:
            getattr(form, exc.field or "code", form.code).errors.append(exc.message)
        else:
            commit()
            flash(_("Station %(code)s registered.", code=station.code), "success")
            return redirect(url_for("stations.detail", code=station.code))
    return render_template("stations/form.html", form=form, station=None)


@bp.route("/<code>/edit", methods=["GET", "POST"], endpoint="edit")
@allow(*EDITORS)
def edit(code: str):
    """Change a station's data (the code is its identity and is not edited here)."""
    station = _station_or_404(code)
    form = StationForm(obj=station)
    if request.method == "GET":
        form.facility_code.data = station.facility.code if station.facility else ""
        form.source_code.data = station.source.code if station.source else ""
        if station.data_expected_from is not None:
            form.data_expected_from.data = to_local(station.data_expected_from).replace(tzinfo=None)
    form.code.data = station.code
    if form.validate_on_submit():
        try:
            changes = edit_services.update_station(station, _values(form), form.reason.data)
        except DomainError as exc:
            getattr(form, exc.field or "kind", form.kind).errors.append(exc.message)
        else:
            commit()
            flash(_("%(n)d fields changed.", n=len(changes)) if changes else _("Nothing changed."), "success")
            return redirect(url_for("stations.detail", code=station.code))
    return render_template("stations/form.html", form=form, station=station)


def _flash_errors(form: Any) -> None:
    for name, errors in form.errors.items():
        flash(f"{getattr(form, name).label.text}: {' '.join(map(str, errors))}", "error")


@bp.route("/<code>/certificates", methods=["POST"], endpoint="add_certificate")
@allow(*EDITORS)
def add_certificate(code: str):
    """Add a calibration or inspection certificate."""
    station = _station_or_404(code)
    form = CertificateForm(prefix="certificate")
    if form.validate_on_submit():
        try:
            edit_services.add_certificate(
                station, form.kind.data, form.number.data, form.issued_on.data, form.expires_on.data
            )
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            commit()
            flash(_("Certificate added."), "success")
    else:
        _flash_errors(form)
    return redirect(url_for("stations.detail", code=station.code) + "#certificates")


@bp.route("/<code>/certificates/<int:certificate_id>/delete", methods=["POST"], endpoint="remove_certificate")
@allow(*EDITORS)
def remove_certificate(code: str, certificate_id: int):
    """Remove a certificate recorded by mistake, with a reason."""
    station = _station_or_404(code)
    certificate = db.session.get(StationCertificate, certificate_id)
    if certificate is None or certificate.station_id != station.id:
        abort(404)
    form = RemoveForm(prefix="remove")
    if form.validate_on_submit():
        try:
            edit_services.remove_certificate(station, certificate, form.reason.data)
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            commit()
            flash(_("Certificate removed."), "success")
    else:
        flash(_("A reason is required."), "error")
    return redirect(url_for("stations.detail", code=station.code) + "#certificates")


@bp.route("/choices/<code>", methods=["POST"], endpoint="record_choice")
@allow(*EDITORS)
def record_choice(code: str):
    """Record a facility's choice, automatic or periodic, for an optional obligation."""
    try:
        facility = visible_facility(code)
    except NotFound:
        abort(404)
    form = ChoiceForm(prefix="choice")
    if form.validate_on_submit():
        try:
            changes = coverage_services.record_monitoring_choice(
                facility, form.kind.data, form.choice.data, form.reason.data
            )
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            commit()
            flash(_("Choice recorded.") if changes else _("Nothing changed."), "success")
    else:
        _flash_errors(form)
    return redirect(url_for("facilities.detail", code=facility.code) + "#stations")
