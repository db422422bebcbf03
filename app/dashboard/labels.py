"""Names of the dashboard's measures and columns, and how its rates and months are written."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from flask_babel import lazy_gettext as _l

from app.formatting import format_percent

MEASURE_LABELS = {
    "obliged": _l("Under an obligation"),
    "installed": _l("Installed"),
    "connected": _l("Connected"),
    "receiving": _l("Receiving"),
    "meets_raw": _l("Meeting the target (raw rate)"),
    "meets_excused": _l("Meeting the target (excused rate)"),
    "out_of_compliance": _l("Out of compliance"),
    "notices_issued": _l("Notices issued"),
    "notices_answered": _l("Notices answered"),
    "notices_overdue": _l("Notices overdue"),
}
GROUP_LABELS = {"commune": _l("Commune"), "industry": _l("Industry")}


def rate_text(rate: float | None) -> str:
    """A rate as a Vietnamese percentage rounded half up (``87,3%``); ``—`` without a figure."""
    if rate is None:
        return "—"
    return format_percent(Fraction(repr(rate)), 1)


def share_text(count: int, total: int) -> str:
    """``count`` of ``total`` as a percentage (``—`` when the total is 0)."""
    return format_percent(count, total)


def month_text(month: date) -> str:
    """A month as written in Vietnamese tables: ``01/2026``."""
    return f"{month:%m/%Y}"
