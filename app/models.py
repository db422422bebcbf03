"""Every model, imported in one place so migrations and the app see the whole schema."""

from app.audit.models import AuditEvent
from app.auth.models import LoginAttempt, User
from app.facilities.models import Enterprise, Facility
from app.jobs.models import JobRun
from app.settings.models import SettingValue

__all__ = ["AuditEvent", "Enterprise", "Facility", "JobRun", "LoginAttempt", "SettingValue", "User"]
