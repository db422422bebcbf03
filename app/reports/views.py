"""Report pages: the list with the month to make, each report's progress and its PDF."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import allow
from app.auth.roles import STAFF
from app.dashboard.aggregate import last_months
from app.dashboard.labels import month_text
from app.dashboard.services import closed_month
from app.db import commit
from app.errors import DomainError
from app.extensions import db
from app.http import pdf_response
from app.jobs.models import JobRun
from app.reports import bp, services
from app.reports.forms import ReportForm
from app.reports.models import MonthlyReport

MONTHS_OFFERED = 24


def _form() -> ReportForm:
    form = ReportForm()
    months = last_months(closed_month(), MONTHS_OFFERED)[::-1]
    form.month.choices = [(f"{m:%Y-%m}", month_text(m)) for m in months]
    return form


@bp.route("/", methods=["GET", "POST"], endpoint="list")
@allow(*STAFF)
def list_reports():
    """Every monthly report with its progress or PDF; the form that asks for one."""
    form = _form()
    if form.validate_on_submit():
        year, month = form.month.data.split("-")
        try:
            report = services.request_report(date(int(year), int(month), 1), current_user.id)
        except DomainError as error:
            form.month.errors.append(error.message)
        else:
            commit()
            flash(_("The report of %(month)s is being made.", month=month_text(report.month)), "success")
            return redirect(url_for("reports.list"))
    return render_template(
        "reports/list.html", form=form, reports=services.list_reports(), month_text=month_text
    )


def _report_or_404(report_id: int) -> MonthlyReport:
    report = db.session.get(MonthlyReport, report_id)
    if report is None:
        abort(404)
    return report


@bp.route("/<int:report_id>.pdf", endpoint="pdf")
@allow(*STAFF)
def pdf(report_id: int):
    """The report's stored PDF."""
    report = _report_or_404(report_id)
    try:
        data = services.read_pdf(report, current_app.instance_path)
    except DomainError:
        abort(404)
    name = f"bao-cao-{report.month:%Y-%m}-{report.id}.pdf"
    return pdf_response(data, name)


@bp.route("/runs/<int:run_id>.json", endpoint="run_status")
@allow(*STAFF)
def run_status(run_id: int):
    """A report job's status and progress, polled by the progress bar."""
    run = db.session.get(JobRun, run_id)
    if run is None or run.name != services.REPORT_JOB:
        abort(404)
    return run.progress_json()
