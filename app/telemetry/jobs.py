"""Jobs of data receipt: monthly partitions of the readings table."""

from __future__ import annotations

from app.db import commit
from app.jobs.dispatch import job
from app.jobs.runner import JobContext
from app.telemetry import partitions


@job("telemetry.create_partitions", queue="default")
def create_partitions_job(ctx: JobContext) -> dict:
    """Create the readings partitions of the current month and the next two (PostgreSQL)."""
    report = partitions.create_partitions()
    commit()
    return report.as_dict()
