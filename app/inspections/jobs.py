"""Jobs of inspections: rendering the minutes of a finalised record."""

from __future__ import annotations

from typing import Any

from app.db import commit
from app.extensions import db
from app.inspections import services
from app.inspections.models import Inspection
from app.jobs.dispatch import job


@job(services.RENDER_JOB, queue="reports", max_attempts=3, timeout_seconds=600)
def render_minutes_job(ctx: Any, inspection_id: int, site_url: str | None = None) -> dict[str, Any]:
    """Number, render and store an inspection's minutes; a repeated run changes nothing."""
    inspection = db.session.get(Inspection, inspection_id)
    if inspection is None:
        return {"error": "not found"}
    services.render_minutes(inspection, site_url)
    commit()
    return {"number": inspection.number_text, "sha256": inspection.pdf_sha256}
