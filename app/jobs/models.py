"""The job-run row: written in the same transaction as the change that asks for it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import utcnow
from app.extensions import db

STATUSES = ("pending", "queued", "running", "finished", "failed")


class JobRun(db.Model):
    """One run of a job: its arguments, state, progress and outcome."""

    __tablename__ = "job_runs"
    __table_args__ = (
        sa.CheckConstraint("status IN ('pending', 'queued', 'running', 'finished', 'failed')", name="status"),
        sa.Index("ix_job_runs_status_run_after", "status", "run_after"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    queue: Mapped[str] = mapped_column(sa.String(40))
    args: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    status: Mapped[str] = mapped_column(sa.String(20), default="pending")
    # Periodic runs carry "<job>@<slot>" so two schedulers never start the same tick.
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=3)
    progress_done: Mapped[int] = mapped_column(default=0)
    progress_total: Mapped[int | None]
    progress_message: Mapped[str | None] = mapped_column(sa.String(300))
    result: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    error: Mapped[str | None] = mapped_column(sa.Text)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    run_after: Mapped[datetime | None]
    queued_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    @property
    def percent(self) -> int | None:
        """Progress as a whole percentage, when the job knows its total."""
        if not self.progress_total:
            return 100 if self.status == "finished" else None
        return min(100, int(self.progress_done * 100 / self.progress_total))

    def progress_json(self) -> dict[str, Any]:
        """The run's status and progress as the progress bar polls them."""
        return {
            "id": self.id,
            "status": self.status,
            "done": self.progress_done,
            "total": self.progress_total,
            "percent": self.percent,
            "message": self.progress_message,
        }

    @property
    def is_done(self) -> bool:
        """True once the run finished or failed for good."""
        return self.status in ("finished", "failed")
