"""Every model, imported in one place so migrations and the app see the whole schema."""

from app.audit.models import AuditEvent
from app.auth.models import LoginAttempt, User
from app.cases.models import Case, CaseEvent, LadderStep
from app.compliance.models import Obligation, RuleVersion
from app.dashboard.models import FacilityMonth
from app.facilities.models import EmissionSource, Enterprise, Facility
from app.inspections.models import Inspection, InspectionRequest
from app.jobs.models import JobRun
from app.notices.models import (
    DeliveryLogEntry,
    Notice,
    NoticeAnswer,
    NoticeDelivery,
    NoticeReceipt,
    RegisterCounter,
    Reminder,
)
from app.public.models import AqiRuleVersion
from app.reports.models import MonthlyReport
from app.settings.models import SettingValue
from app.stations.models import (
    Declaration,
    EvidenceFile,
    ExcuseWindow,
    Station,
    StationCertificate,
    StationStatusChange,
)
from app.telemetry.models import (
    DataFile,
    DayRollup,
    LineError,
    ParameterAlias,
    Reading,
    ReadingConflict,
    SenderAccount,
)

__all__ = [
    "AqiRuleVersion",
    "FacilityMonth",
    "MonthlyReport",
    "Case",
    "Inspection",
    "InspectionRequest",
    "CaseEvent",
    "DeliveryLogEntry",
    "LadderStep",
    "Notice",
    "NoticeAnswer",
    "NoticeDelivery",
    "NoticeReceipt",
    "RegisterCounter",
    "Reminder",
    "DataFile",
    "DayRollup",
    "Declaration",
    "EvidenceFile",
    "ExcuseWindow",
    "LineError",
    "ParameterAlias",
    "Reading",
    "ReadingConflict",
    "SenderAccount",
    "StationCertificate",
    "StationStatusChange",
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
