"""Jobs of the dashboard: the daily refresh of the monthly snapshots.

The month in progress and the one before are recomputed every day, so late files and
newly approved excuse windows count; older months stay as they were computed.
"""

from __future__ import annotations

from typing import Any

from app.compliance.services import today
from app.dashboard.services import closed_month
from app.dashboard.snapshots import snapshot_month
from app.db import commit
from app.jobs.dispatch import job


@job("dashboard.refresh_snapshots", queue="reports", max_attempts=2, timeout_seconds=3600)
def refresh_snapshots_job(ctx: Any) -> dict[str, Any]:
    """Recompute the previous and the current month's snapshots, committing per chunk."""
    done = []
    months = [closed_month(), today().replace(day=1)]
    for index, month in enumerate(months):

        def after_chunk(count: int, total: int, index: int = index, month=month) -> None:
            ctx.progress(index * total + count, len(months) * total, f"{month:%Y-%m}")
            commit()

        found = snapshot_month(month, after_chunk=after_chunk)
        commit()
        done.append({"month": found["month"], "facilities": found["facilities"], "obliged": found["obliged"]})
    return {"months": done}
