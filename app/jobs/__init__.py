"""Background jobs: the job-run rows (the outbox), dispatch, the runner and the schedule."""

from flask import Blueprint

bp = Blueprint("jobs", __name__, url_prefix="/admin/jobs")
