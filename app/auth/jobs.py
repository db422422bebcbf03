"""Jobs of the accounts domain."""

from app.auth.services import purge_login_attempts
from app.jobs.dispatch import job
from app.jobs.runner import JobContext


@job("auth.purge_login_attempts")
def purge_login_attempts_job(ctx: JobContext, days: int = 90) -> dict:
    """Delete login attempts past their retention."""
    ctx.progress(0, 1, "purging")
    deleted = purge_login_attempts(days)
    ctx.progress(1, 1, "done")
    return {"deleted": deleted}
