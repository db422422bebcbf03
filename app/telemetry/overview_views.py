"""The province's receipt overview (``/telemetry/overview``), for the department's staff."""

from __future__ import annotations

from flask import render_template

from app.auth.access import allow
from app.auth.roles import ADMIN, INSPECTOR, LEADER
from app.db import utcnow
from app.telemetry import bp
from app.telemetry.forward_status import province_forward_overview
from app.telemetry.overview import receipt_overview
from app.telemetry.views import OUTCOME_LABELS


@bp.route("/overview", endpoint="overview")
@allow(ADMIN, INSPECTOR, LEADER)
def overview():
    """What arrived in the last hour, the stations silent for longest, forwarding, links to the logs."""
    now = utcnow()
    return render_template(
        "telemetry/overview.html",
        overview=receipt_overview(now),
        forwarding=province_forward_overview(now),
        outcome_labels=OUTCOME_LABELS,
    )
