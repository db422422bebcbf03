"""Facility list, page and the inspectors' forms."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth.access import allow, any_user
from app.auth.roles import ADMIN, INSPECTOR
from app.compliance import services as compliance
from app.db import commit
from app.errors import DomainError, NotFound
from app.extensions import db
from app.facilities import bp, edit_services, services
from app.facilities.forms import DeleteForm, FacilityForm, SourceForm
from app.facilities.models import EmissionSource, Facility

EDITORS = (ADMIN, INSPECTOR)


def list_filters() -> services.Filters:
    """The list's filters from the query string (the regime in force by default)."""
    args = request.args
    regime = args.get("regime") or compliance.regime_in_force(compliance.today())
    return services.Filters(
        text=args.get("q") or None,
        commune=args.get("commune") or None,
        industry=args.get("industry") or None,
        regime=regime if regime in compliance.regime_codes() else None,
        wastewater=args.get("wastewater") or None,
        emission=args.get("emission") or None,
        missing_data=args.get("missing") == "1",
        sort=args.get("sort") or "code",
    )


@bp.route("/", endpoint="list")
@any_user
def list_facilities():
    """Facilities the user may see: search, filters, obligations under a regime, sort, pages."""
    filters = list_filters()
    page = db.paginate(services.facility_query(filters), per_page=50, error_out=False)
    return render_template(
        "facilities/list.html",
        page=page,
        filters=filters,
        obligations=services.obligations_for([f.id for f in page.items], filters.regime),
        regimes=compliance.regime_headers(),
        communes=services.communes(),
        industries=services.industries(),
    )


@bp.route("/export.xlsx", endpoint="export")
@any_user
def export():
    """The filtered list (every page) as ``.xlsx`` in the import's columns, with the obligations."""
    from app.facilities.export import build_export

    filters = list_filters()
    facilities = db.session.scalars(services.facility_query(filters)).unique().all()
    names = {h.regime: h.data.get("name", h.regime) for h in compliance.regime_headers()}
    body = build_export(facilities, filters.regime, names.get(filters.regime, filters.regime or ""))
    stamp = compliance.today().strftime("%Y%m%d")
    return Response(
        body,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="co-so-{stamp}.xlsx"'},
    )


def _facility_or_404(code: str) -> Facility:
    try:
        return services.visible_facility(code)
    except NotFound:
        abort(404)


@bp.route("/<code>", endpoint="detail")
@any_user
def detail(code: str):
    """One facility: its data, sources and obligations under every regime (404 for another's)."""
    facility = _facility_or_404(code)
    in_force = compliance.regime_in_force(compliance.today())
    return render_template(
        "facilities/detail.html",
        facility=facility,
        regimes=compliance.regime_headers(),
        in_force=in_force,
        obligations=compliance.current_obligations(facility),
        source_form=SourceForm(prefix="source"),
        delete_form=DeleteForm(prefix="delete"),
    )


def _form_values(form: FacilityForm) -> dict:
    return {name: getattr(form, name).data for name in edit_services.FACILITY_FIELDS}


@bp.route("/new", methods=["GET", "POST"], endpoint="create")
@allow(*EDITORS)
def create():
    """Register a facility by hand."""
    form = FacilityForm()
    if form.validate_on_submit():
        try:
            enterprise = edit_services.find_or_create_enterprise(
                form.enterprise_name.data, form.enterprise_tax_code.data
            )
            facility = edit_services.create_facility(form.code.data, enterprise, _form_values(form))
        except DomainError as exc:
            getattr(form, exc.field or "code", form.code).errors.append(exc.message)
        else:
            commit()
            flash(_("Facility %(code)s registered.", code=facility.code), "success")
            return redirect(url_for("facilities.detail", code=facility.code))
    return render_template("facilities/form.html", form=form, facility=None)


@bp.route("/<code>/edit", methods=["GET", "POST"], endpoint="edit")
@allow(*EDITORS)
def edit(code: str):
    """Change a facility's data; the obligations are evaluated again."""
    facility = _facility_or_404(code)
    form = FacilityForm(obj=facility)
    if request.method == "GET":
        form.enterprise_name.data = facility.enterprise.name
        form.enterprise_tax_code.data = facility.enterprise.tax_code
        form.qcvn_column.data = facility.qcvn_column or ""
    form.code.data = facility.code  # the code is the identity; it is not edited here
    if form.validate_on_submit():
        try:
            enterprise = edit_services.find_or_create_enterprise(
                form.enterprise_name.data, form.enterprise_tax_code.data
            )
            changes = edit_services.update_facility(
                facility, enterprise, _form_values(form), form.reason.data or None
            )
        except DomainError as exc:
            getattr(form, exc.field or "name", form.name).errors.append(exc.message)
        else:
            commit()
            flash(_("%(n)d fields changed.", n=len(changes)) if changes else _("Nothing changed."), "success")
            return redirect(url_for("facilities.detail", code=facility.code))
    return render_template("facilities/form.html", form=form, facility=facility)


@bp.route("/<code>/sources", methods=["POST"], endpoint="add_source")
@allow(*EDITORS)
def add_source(code: str):
    """Add an emission source to a facility."""
    facility = _facility_or_404(code)
    form = SourceForm(prefix="source")
    if form.validate_on_submit():
        values = {k: getattr(form, k).data for k in edit_services.SOURCE_FIELDS}
        try:
            edit_services.save_source(facility, form.code.data, values)
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            commit()
            flash(_("Emission source %(code)s added.", code=form.code.data.strip()), "success")
    else:
        for field, errors in form.errors.items():
            flash(f"{getattr(form, field).label.text}: {' '.join(map(str, errors))}", "error")
    return redirect(url_for("facilities.detail", code=facility.code) + "#sources")


@bp.route("/<code>/sources/<int:source_id>/delete", methods=["POST"], endpoint="delete_source")
@allow(*EDITORS)
def delete_source(code: str, source_id: int):
    """Remove an emission source registered by mistake."""
    facility = _facility_or_404(code)
    source = db.session.get(EmissionSource, source_id)
    if source is None or source.facility_id != facility.id:
        abort(404)
    form = DeleteForm(prefix="delete")
    if form.validate_on_submit():
        try:
            edit_services.delete_source(source, form.reason.data)
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            commit()
            flash(_("Emission source %(code)s removed.", code=source.code), "success")
    else:
        flash(_("A reason is required."), "error")
    return redirect(url_for("facilities.detail", code=facility.code) + "#sources")
