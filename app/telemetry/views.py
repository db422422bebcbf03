"""The receipt pages: quarantined files and their release (admins), the ingest log (staff)."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.access import allow
from app.auth.roles import ADMIN, INSPECTOR
from app.db import commit, rollback
from app.errors import DomainError
from app.extensions import db
from app.stations.models import Station
from app.telemetry import bp
from app.telemetry.ingest import release_file
from app.telemetry.ingest_batch import BAD_NAME, NO_VALID_LINE, NOT_OWNED, UNKNOWN_STATION
from app.telemetry.models import FILE_OUTCOMES, DataFile, LineError, ReadingConflict

PER_PAGE = 50
# Line errors shown with each file of the quarantine list (all of them on the file's page).
ERRORS_PER_FILE = 20
ERRORS_ON_FILE_PAGE = 1000

QUARANTINE_LABELS = {
    BAD_NAME: _l("The file name does not follow PROVINCE_FACILITY_STATION_TIME.txt or STATION_TIME.txt."),
    UNKNOWN_STATION: _l("No station is registered under the code in the file name."),
    NOT_OWNED: _l("The sender may not send files for this station."),
    NO_VALID_LINE: _l("The file holds no valid line."),
}
QUARANTINE_FIXES = {
    BAD_NAME: _l("Ask the facility to correct its datalogger's file names; such a file cannot be released."),
    UNKNOWN_STATION: _l("Register the station (or correct its code), then release the file."),
    NOT_OWNED: _l(
        "Check the sender account's scope; release only a file that truly comes from this station."
    ),
    NO_VALID_LINE: _l("Add an alias for the parameter names the station uses, then release the file."),
}
OUTCOME_LABELS = {
    "accepted": _l("Accepted"),
    "accepted_with_errors": _l("Accepted with errors"),
    "quarantined": _l("Quarantined"),
}
LINE_ERROR_LABELS = {
    "not_utf8": _l("not UTF-8"),
    "wrong_field_count": _l("wrong number of fields"),
    "unknown_parameter": _l("unknown parameter"),
    "invalid_value": _l("invalid value"),
    "invalid_time": _l("invalid time"),
    "invalid_status": _l("invalid status"),
    "time_in_future": _l("time in the future"),
    "value_out_of_range": _l("value out of range"),
}


def _labels() -> dict:
    return {
        "quarantine_labels": QUARANTINE_LABELS,
        "quarantine_fixes": QUARANTINE_FIXES,
        "outcome_labels": OUTCOME_LABELS,
        "line_error_labels": LINE_ERROR_LABELS,
    }


def _errors_by_file(file_ids: list[int], limit: int) -> dict[int, list[LineError]]:
    """The first line errors of each file (one query)."""
    if not file_ids:
        return {}
    numbered = (
        sa.select(
            LineError.id,
            sa.func.row_number().over(partition_by=LineError.file_id, order_by=LineError.line_no).label("n"),
        )
        .where(LineError.file_id.in_(file_ids))
        .subquery()
    )
    query = (
        sa.select(LineError)
        .join(numbered, numbered.c.id == LineError.id)
        .where(numbered.c.n <= limit)
        .order_by(LineError.file_id, LineError.line_no)
    )
    found: dict[int, list[LineError]] = defaultdict(list)
    for error in db.session.scalars(query):
        found[error.file_id].append(error)
    return found


@bp.route("/quarantine", endpoint="quarantine")
@allow(ADMIN)
def quarantine():
    """Quarantined files, newest first, each with its reason and first line errors."""
    query = (
        sa.select(DataFile)
        .where(DataFile.outcome == "quarantined")
        .order_by(DataFile.received_at.desc(), DataFile.id.desc())
    )
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    errors = _errors_by_file([item.id for item in page.items], ERRORS_PER_FILE)
    return render_template(
        "telemetry/quarantine.html", page=page, errors=errors, errors_per_file=ERRORS_PER_FILE, **_labels()
    )


@bp.route("/files", endpoint="log")
@allow(ADMIN, INSPECTOR)
def log():
    """The ingest log: latest files with their outcome and counts, by station and outcome."""
    query = sa.select(DataFile).order_by(DataFile.ingested_at.desc(), DataFile.id.desc())
    outcome = request.args.get("outcome", "")
    if outcome in FILE_OUTCOMES:
        query = query.where(DataFile.outcome == outcome)
    code = request.args.get("station", "").strip()
    if code:
        station_id = db.session.scalar(sa.select(Station.id).where(Station.code_key == code.lower()))
        query = query.where(DataFile.station_id == station_id) if station_id else query.where(sa.false())
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    return render_template(
        "telemetry/log.html",
        page=page,
        outcomes=FILE_OUTCOMES,
        filters={"outcome": outcome if outcome in FILE_OUTCOMES else "", "station": code},
        **_labels(),
    )


@bp.route("/files/<int:file_id>", endpoint="file")
@allow(ADMIN, INSPECTOR)
def file(file_id: int):
    """One received file: its record, line errors and conflicts; a release form when quarantined."""
    data_file = db.session.get(DataFile, file_id) or abort(404)
    errors = db.session.scalars(
        sa.select(LineError)
        .where(LineError.file_id == file_id)
        .order_by(LineError.line_no)
        .limit(ERRORS_ON_FILE_PAGE)
    ).all()
    conflicts = db.session.scalars(
        sa.select(ReadingConflict).where(ReadingConflict.file_id == file_id).order_by(ReadingConflict.line_no)
    ).all()
    return render_template(
        "telemetry/file.html",
        data_file=data_file,
        errors=errors,
        errors_limit=ERRORS_ON_FILE_PAGE,
        conflicts=conflicts,
        **_labels(),
    )


@bp.route("/files/<int:file_id>/release", methods=["POST"], endpoint="release")
@allow(ADMIN)
def release(file_id: int):
    """Release a quarantined file: it is ingested again, as received now."""
    data_file = db.session.get(DataFile, file_id) or abort(404)
    note = (request.form.get("note") or "").strip()[:1000] or None
    try:
        result = release_file(data_file, note)
    except DomainError as error:
        rollback()
        flash(error.message, "error")
        return redirect(url_for("telemetry.file", file_id=file_id))
    commit()
    flash(
        _(
            "The file was released: %(outcome)s, %(readings)d new readings.",
            outcome=OUTCOME_LABELS[result.outcome],
            readings=result.readings,
        ),
        "success",
    )
    return redirect(url_for("telemetry.file", file_id=file_id))
