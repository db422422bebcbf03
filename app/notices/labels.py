"""Names shown on the notice pages for statuses, document types and audit actions."""

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
# What the audit trail's actions on a notice mean, for its history.
ACTION_LABELS = {
    "notice.drafted": _l("Drafted"),
    "notice.edited": _l("Draft edited"),
    "notice.submitted": _l("Submitted for approval"),
    "notice.approved": _l("Approved"),
    "notice.returned": _l("Returned to draft"),
    "notice.cancelled": _l("Cancelled"),
    "notice.number_reserved": _l("Number reserved"),
    "notice.issued": _l("Issued"),
    "notice.corrected": _l("Correction started"),
    "notice.delivery_scheduled": _l("E-mails scheduled"),
    "notice.delivery_retried": _l("E-mail sent again"),
    "notice.acknowledged": _l("Receipt acknowledged"),
    "notice.answered": _l("Answered by the enterprise"),
}
