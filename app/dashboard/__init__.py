"""Leadership dashboard: the province's compliance at a glance, month by month, with drill-downs and exports."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
