"""``flask worker`` and ``flask jobs ...``: run, list and sweep jobs from the shell."""

from __future__ import annotations

import json
import sys

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from app.audit.actor import cli_actor
from app.db import commit
from app.extensions import db
from app.jobs.dispatch import JOBS, PENDING_KEY, QUEUES, defer_job
from app.jobs.models import JobRun
from app.jobs.schedule import PERIODIC

jobs_cli = AppGroup("jobs", help="Background jobs: list, run, sweep.")


@click.command("worker")
@click.option(
    "--queue",
    "queues",
    multiple=True,
    type=click.Choice(QUEUES),
    help="Queue to serve (repeatable; default all).",
)
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@click.option("--no-scheduler", is_flag=True, help="Do not run the periodic scheduler here.")
def worker_command(queues: tuple[str, ...], burst: bool, no_scheduler: bool) -> None:
    """Run an RQ worker on the job queues, with the periodic scheduler."""
    if current_app.config["JOBS_MODE"] != "rq":
        click.echo("flask worker needs REDIS_URL (without it, jobs run inside the web app)", err=True)
        sys.exit(1)
    from app.jobs.worker import run_worker

    run_worker(list(queues or QUEUES), burst=burst, with_scheduler=not no_scheduler)


@jobs_cli.command("list")
@click.option("--status", type=click.Choice(["pending", "queued", "running", "finished", "failed"]))
@click.option("--limit", default=20, show_default=True)
def list_command(status: str | None, limit: int) -> None:
    """Show the latest job runs as JSON lines."""
    query = sa.select(JobRun).order_by(JobRun.id.desc()).limit(limit)
    if status:
        query = query.where(JobRun.status == status)
    for run in db.session.scalars(query):
        click.echo(
            json.dumps(
                {
                    "id": run.id,
                    "job": run.name,
                    "status": run.status,
                    "attempts": run.attempts,
                    "progress": [run.progress_done, run.progress_total],
                    "result": run.result,
                },
                ensure_ascii=False,
            )
        )


@jobs_cli.command("run")
@click.argument("name")
def run_command(name: str) -> None:
    """Run a declared job now, in this process (periodic ones included)."""
    if name not in JOBS:
        known = ", ".join(sorted(JOBS))
        click.echo(f"unknown job {name!r}; known: {known}", err=True)
        sys.exit(1)
    from app.jobs.runner import run_job

    with cli_actor():
        run = defer_job(name)
        db.session.info.pop(PENDING_KEY, None)  # run here, not by an executor
        commit()
        status = run_job(run.id)
    run = db.session.get(JobRun, run.id)
    click.echo(json.dumps({"id": run.id, "job": name, "status": status, "result": run.result}))
    if status != "finished":
        click.echo(run.error or "failed", err=True)
        sys.exit(1)


@jobs_cli.command("sweep")
def sweep_command() -> None:
    """One scheduler pass: start due periodic jobs and enqueue runs left pending."""
    from app.jobs.services import tick

    with cli_actor():
        created, swept = tick()
        commit()
    click.echo(json.dumps({"periodic_started": len(created), "taken_again": len(swept)}))


@jobs_cli.command("periodic")
def periodic_command() -> None:
    """List the periodic jobs and their schedules."""
    for item in PERIODIC:
        when = f"every {item.every}" if item.every else f"daily at {item.at:%H:%M} local time"
        click.echo(f"{item.job}\t{when}")
