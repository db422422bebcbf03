"""Jobs of reports: making a monthly summary report's PDF on the ``reports`` queue."""

from __future__ import annotations

from typing import Any

from flask import current_app

from app.db import commit, rollback
from app.extensions import db
from app.jobs.dispatch import job
from app.reports.models import MonthlyReport
from app.reports.services import REPORT_JOB, make_report

STEPS = 4


@job(REPORT_JOB, queue="reports", max_attempts=2, timeout_seconds=3600)
def monthly_report_job(ctx: Any, report_id: int) -> dict[str, Any]:
    """Make the report's PDF once (a repeated run of a finished report does nothing)."""
    report = db.session.get(MonthlyReport, report_id)
    if report is None:
        return {"report": report_id, "status": "missing"}
    if report.status == "done":
        return {"report": report_id, "status": "done", "sha256": report.pdf_sha256}
    ctx.progress(0, STEPS, "start")
    try:
        make_report(report, current_app.instance_path, lambda step, text: ctx.progress(step, STEPS, text))
        ctx.progress(STEPS, STEPS, "done")
        commit()
    except Exception as error:
        rollback()
        report = db.session.get(MonthlyReport, report_id)
        report.status, report.error = "failed", f"{error.__class__.__name__}: {error}"[:2000]
        commit()
        raise
    return {"report": report_id, "status": "done", "number": report.number_text, "sha256": report.pdf_sha256}
