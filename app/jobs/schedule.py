"""The one place where jobs and periodic jobs are declared.

``JOB_MODULES`` are imported by ``create_app`` so every worker knows every job.
``PERIODIC`` lists what runs on a schedule; each entry is also runnable with
``flask jobs run NAME``. A scheduler tick inserts one run per due slot, keyed by
``<job>@<slot>``, so several schedulers never start the same tick twice and a
lost tick is caught up by the next one.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

JOB_MODULES = (
    "app.jobs.jobs",
    "app.auth.jobs",
    "app.compliance.jobs",
    "app.telemetry.receipt_jobs",
    "app.telemetry.jobs",
    "app.stations.jobs",
    "app.cases.jobs",
    "app.notices.jobs",
    "app.notices.delivery_jobs",
    "app.inspections.jobs",
    "app.dashboard.jobs",
    "app.reports.jobs",
)


@dataclass(frozen=True)
class Periodic:
    """A job run every ``every``, or daily at local time ``at``."""

    job: str
    every: timedelta | None = None
    at: time | None = None

    def slot(self, now: datetime) -> datetime | None:
        """The latest slot due at ``now`` (aware), or None before the first one of the day."""
        if self.every is not None:
            step = int(self.every.total_seconds())
            return datetime.fromtimestamp(int(now.timestamp()) // step * step, tz=now.tzinfo)
        local = now.astimezone(LOCAL_TZ)
        due = datetime.combine(local.date(), self.at, tzinfo=LOCAL_TZ)
        return due if local >= due else due - timedelta(days=1)


PERIODIC: tuple[Periodic, ...] = (
    Periodic("auth.purge_login_attempts", at=time(3, 0)),
    Periodic("jobs.purge_finished_runs", at=time(3, 30)),
    # Deadlines pass and regimes change with the date: obligations are re-stored nightly.
    Periodic("compliance.reevaluate_all", at=time(0, 30)),
    # Data receipt: the inbox scan (receipt.scan_interval_seconds documents 60 s) and the relay.
    Periodic("telemetry.scan_inbox", every=timedelta(seconds=60)),
    Periodic("telemetry.forward_pending", every=timedelta(seconds=60)),
    # Monthly partitions of the readings, created ahead (current month and the next two).
    Periodic("telemetry.create_partitions", at=time(2, 0)),
    # Each station's derived connection status: a timeline step whenever it changes.
    Periodic("stations.refresh_statuses", every=timedelta(minutes=1)),
    # The daily compliance sweep: checked every 5 minutes against the setting's local time,
    # started once a day (cases.sweep@<date>).
    Periodic("cases.daily_sweep", every=timedelta(minutes=5)),
    # Notices' e-mails: retries and anything a lost job left; reminders whose day has come.
    Periodic("notices.deliver_due", every=timedelta(minutes=1)),
    Periodic("notices.send_reminders", every=timedelta(minutes=5)),
    # The dashboard's monthly snapshots: previous and current month, after the night's sweep.
    Periodic("dashboard.refresh_snapshots", at=time(1, 30)),
    # Notices whose number was reserved but whose issue a failure left unfinished.
    Periodic("notices.finish_reserved", every=timedelta(minutes=1)),
)


def load_job_modules() -> None:
    """Import every module that declares jobs."""
    for name in JOB_MODULES:
        importlib.import_module(name)
