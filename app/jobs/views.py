"""The administrator's jobs page, with live progress."""

import sqlalchemy as sa
from flask import abort, render_template, request

from app.auth.access import allow
from app.auth.roles import ADMIN
from app.extensions import db
from app.jobs import bp
from app.jobs.models import STATUSES, JobRun


@bp.route("/", endpoint="list")
@allow(ADMIN)
def list_runs():
    """Latest job runs, filterable by status and job."""
    query = sa.select(JobRun).order_by(JobRun.id.desc())
    status = request.args.get("status")
    if status in STATUSES:
        query = query.where(JobRun.status == status)
    name = request.args.get("job")
    if name:
        query = query.where(JobRun.name == name)
    page = db.paginate(query, per_page=50, error_out=False)
    names = db.session.scalars(sa.select(JobRun.name).distinct().order_by(JobRun.name)).all()
    return render_template(
        "jobs/list.html",
        page=page,
        statuses=STATUSES,
        names=names,
        filters={"status": status or "", "job": name or ""},
    )


@bp.route("/<int:run_id>", endpoint="detail")
@allow(ADMIN)
def detail(run_id: int):
    """One run: arguments, progress, result or error."""
    run = db.session.get(JobRun, run_id) or abort(404)
    return render_template("jobs/detail.html", run=run)


@bp.route("/<int:run_id>.json", endpoint="status")
@allow(ADMIN)
def status(run_id: int):
    """A run's status and progress, polled by the progress bar."""
    run = db.session.get(JobRun, run_id) or abort(404)
    return run.progress_json()
