"""Every model, imported in one place so migrations and the app see the whole schema."""

from app.audit.models import AuditEvent
from app.auth.models import LoginAttempt, User
from app.compliance.models import Obligation, RuleVersion
from app.facilities.models import EmissionSource, Enterprise, Facility
from app.jobs.models import JobRun
from app.settings.models import SettingValue
from app.stations.models import Station

__all__ = [
    "AuditEvent",
    "EmissionSource",
    "Enterprise",
    "Facility",
    "JobRun",
    "LoginAttempt",
    "Obligation",
    "RuleVersion",
    "SettingValue",
    "Station",
    "User",
]
