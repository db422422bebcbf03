"""Jobs of the job machinery itself."""

from app.jobs.dispatch import job
from app.jobs.runner import JobContext
from app.jobs.services import purge_finished_runs


@job("jobs.purge_finished_runs")
def purge_finished_runs_job(ctx: JobContext) -> dict:
    """Delete finished runs past their retention."""
    return {"deleted": purge_finished_runs()}
