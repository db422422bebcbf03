"""Use cases of monthly reports: ask for one (a job makes it), make its PDF, list and read them.

The report's figures are the dashboard's (``app.dashboard.services.dashboard``) for a
closed month, from the monthly snapshots (computed first if the month has none). The
PDF is rendered by ``app.documents``, numbered in the BC register of its year (the
notices' counters: gapless, a failed render gives its number back) and kept under its
SHA-256. Services never commit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from app.audit.services import record
from app.compliance.services import today
from app.dashboard.models import FacilityMonth
from app.dashboard.services import closed_month, dashboard
from app.dashboard.snapshots import snapshot_month
from app.db import utcnow
from app.documents.layout import DocumentType, number_text, register_of
from app.documents.render import render_pdf
from app.errors import DomainError
from app.extensions import db
from app.files import hashed_path, read_stored, store_by_hash
from app.jobs.dispatch import defer_job
from app.notices.numbering import take_number
from app.reports.document import build_document
from app.reports.models import MonthlyReport
from app.settings.services import agency
from app.settings.services import get as setting

REPORT_JOB = "reports.monthly"
PDF_FOLDER = "reports"


def request_report(month: date, user_id: int | None) -> MonthlyReport:
    """Record a report of a closed month and defer the job that makes it."""
    month = month.replace(day=1)
    if month > closed_month():
        raise DomainError(_("A report is made for a closed month only."), field="month")
    report = MonthlyReport(month=month, status="pending", requested_by_id=user_id, created_at=utcnow())
    db.session.add(report)
    db.session.flush()
    run = defer_job(REPORT_JOB, requested_by_id=user_id, report_id=report.id)
    report.job_run_id = run.id
    record("report.requested", report, label=f"{month:%m/%Y}")
    return report


def list_reports() -> list[MonthlyReport]:
    """Every report, newest month first, newest first within a month."""
    query = sa.select(MonthlyReport).order_by(MonthlyReport.month.desc(), MonthlyReport.id.desc())
    return list(db.session.scalars(query))


def pdf_relative_path(sha256: str) -> str:
    """Where a report PDF of that hash lives, relative to the instance folder."""
    return hashed_path(PDF_FOLDER, sha256)


def make_report(report: MonthlyReport, instance_path: str, progress: Callable[[int, str], None]) -> None:
    """Gather the month's figures, render the numbered PDF, keep it by hash, mark the report done."""
    has_snapshot = db.session.scalar(
        sa.select(sa.func.count()).select_from(FacilityMonth).where(FacilityMonth.month == report.month)
    )
    if not has_snapshot:
        progress(1, "snapshot")
        snapshot_month(report.month)
    progress(2, "figures")
    with force_locale("vi"):
        figures = dashboard(report.month, with_now=False)
        issued_on = today()
        register = register_of(DocumentType.REPORT)
        number = take_number(register, issued_on.year)
        document = build_document(
            figures, agency(), str(setting(f"register.{register}")), number=number, issued_on=issued_on
        )
        progress(3, "render")
        data = render_pdf(document)
    sha256, relative = store_by_hash(instance_path, PDF_FOLDER, data)
    report.number, report.year = number, issued_on.year
    report.number_text = number_text(number, document.symbol)
    report.pdf_sha256, report.pdf_path = sha256, relative
    report.status, report.error, report.finished_at = "done", None, utcnow()
    db.session.flush()


def read_pdf(report: MonthlyReport, instance_path: str) -> bytes:
    """The stored PDF of a report, checked against its SHA-256."""
    if report.status != "done" or not report.pdf_path:
        raise DomainError(_("This report has no PDF yet."))
    data = read_stored(instance_path, report.pdf_path)
    if hashlib.sha256(data).hexdigest() != report.pdf_sha256:
        raise DomainError(_("The stored PDF does not match its SHA-256."))
    return data
