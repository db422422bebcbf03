"""Names shown on the notice pages for statuses, document types and breach kinds."""

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "approved": _l("Approved"),
    "issued": _l("Issued"),
    "cancelled": _l("Cancelled"),
}
TYPE_LABELS = {
    "CV": _l("Official letter"),
    "GM": _l("Invitation"),
    "TB": _l("Notice"),
    "TTr": _l("Submission"),
    "BB": _l("Minutes"),
    "BC": _l("Report"),
}
BREACH_LABELS = {
    "not_installed": _l("Not installed"),
    "not_connected": _l("Not connected"),
    "lost_connection": _l("Lost connection"),
    "low_completeness": _l("Low completeness"),
    "missing_parameters": _l("Missing parameters"),
    "exceedance": _l("Exceedances"),
}
