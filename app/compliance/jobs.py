"""Jobs of the compliance domain: re-storing every facility's obligations."""

from __future__ import annotations

from app.compliance import rule_services
from app.db import commit
from app.jobs.dispatch import job
from app.jobs.runner import JobContext

BATCH_SIZE = 100


@job("compliance.reevaluate_all", queue="default")
def reevaluate_all_job(ctx: JobContext, batch_size: int = BATCH_SIZE) -> dict:
    """Evaluate every facility under every regime and store its obligations, committing per batch."""
    ids = rule_services.facility_ids()
    total = len(ids)
    ctx.progress(0, total)
    stored = 0
    for start in range(0, total, batch_size):
        batch = ids[start : start + batch_size]
        stored += rule_services.reevaluate_ids(batch)
        ctx.progress(start + len(batch), total)
        commit()
    return {"facilities": stored}
