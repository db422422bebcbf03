"""Facility list and page (the full screens grow with the obligations)."""

from flask import abort, render_template, request

from app.auth.access import any_user
from app.errors import NotFound
from app.extensions import db
from app.facilities import bp, services


@bp.route("/", endpoint="list")
@any_user
def list_facilities():
    """Facilities the user may see, searchable and filterable."""
    text = request.args.get("q") or None
    commune = request.args.get("commune") or None
    industry = request.args.get("industry") or None
    page = db.paginate(services.facility_query(text, commune, industry), per_page=50, error_out=False)
    return render_template(
        "facilities/list.html",
        page=page,
        communes=services.communes(),
        industries=services.industries(),
        filters={"q": text or "", "commune": commune or "", "industry": industry or ""},
    )


@bp.route("/<code>", endpoint="detail")
@any_user
def detail(code: str):
    """One facility (404 for another enterprise's)."""
    try:
        facility = services.visible_facility(code)
    except NotFound:
        abort(404)
    return render_template("facilities/detail.html", facility=facility)
