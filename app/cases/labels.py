"""The names of the breach kinds, shown on case and notice pages."""

from flask_babel import lazy_gettext as _l

BREACH_LABELS = {
    "not_installed": _l("Not installed"),
    "not_connected": _l("Not connected"),
    "lost_connection": _l("Lost connection"),
    "low_completeness": _l("Low completeness"),
    "missing_parameters": _l("Missing parameters"),
    "exceedance": _l("Exceedances"),
}
