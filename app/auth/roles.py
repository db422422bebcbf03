"""The four roles (workflow.md, "The people")."""

from flask_babel import lazy_gettext as _l

ADMIN = "admin"
INSPECTOR = "inspector"
LEADER = "leader"
ENTERPRISE = "enterprise"
ROLES = (ADMIN, INSPECTOR, LEADER, ENTERPRISE)
STAFF = (ADMIN, INSPECTOR, LEADER)

ROLE_LABELS = {
    ADMIN: _l("Administrator"),
    INSPECTOR: _l("Inspector"),
    LEADER: _l("Leader"),
    ENTERPRISE: _l("Enterprise user"),
}
