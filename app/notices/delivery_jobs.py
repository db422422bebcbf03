"""Jobs of notice delivery (queue ``notices``): the e-mails with retries, and the reminders sweep.

``notices.deliver`` is deferred on issue for one notice; ``notices.deliver_due``
and ``notices.send_reminders`` are periodic (``app/jobs/schedule.py``): they
pick up whatever is due from the rows, so a lost job or a lost scheduler tick
only delays an e-mail, never loses it. Each commits per item.
"""

from __future__ import annotations

from app.db import commit, utcnow
from app.jobs.dispatch import job
from app.jobs.runner import JobContext
from app.notices import delivery, reminders
from app.telemetry.receipt_jobs import another_run_active


@job(delivery.DELIVER_JOB, queue="notices", max_attempts=3, timeout_seconds=1800)
def deliver_job(ctx: JobContext, notice_id: int) -> dict:
    """Send the due deliveries of one issued notice."""
    return delivery.deliver_due(commit, notice_id=notice_id)


@job(delivery.SWEEP_JOB, queue="notices", max_attempts=1, timeout_seconds=1800)
def deliver_due_job(ctx: JobContext) -> dict:
    """Send every delivery whose next attempt is due (retries, and anything a lost job left)."""
    if another_run_active(ctx, utcnow()):
        return {"skipped": "an earlier run is still sending"}
    return delivery.deliver_due(commit)


@job(reminders.SWEEP_JOB, queue="notices", max_attempts=1, timeout_seconds=1800)
def send_reminders_job(ctx: JobContext) -> dict:
    """Send the reminders that are due, cancel those no longer relevant."""
    if another_run_active(ctx, utcnow()):
        return {"skipped": "an earlier run is still sending"}
    return reminders.send_due_reminders(commit)
