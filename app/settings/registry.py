"""Every setting: its key, type, default and label. Values live in the database.

Defaults follow workflow.md ("Settings and their defaults"); the agency block
defaults to the demo province and is meant to be changed by the administrator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Setting:
    """One setting: ``kind`` is text, secret, time (hh:mm), int, float or percent (stored as a fraction).

    A secret is never shown back nor written to the audit trail; left blank, it keeps its value.
    """

    key: str
    group: str
    kind: str
    default: Any
    label: Any
    help: Any = ""
    minimum: float | None = None
    maximum: float | None = None


GROUPS = {
    "agency": _l("Agency and documents"),
    "registers": _l("Document registers"),
    "thresholds": _l("Thresholds"),
    "receipt": _l("Data receipt"),
    "delivery": _l("Notices: delivery and reminders"),
    "public": _l("Public disclosure page"),
    "risk": _l("Inspection planning: weights of the risk score"),
}

SETTINGS: tuple[Setting, ...] = (
    Setting("agency.province", "agency", "text", "Cần Thơ", _l("Province (place name on documents)")),
    Setting("agency.superior_body", "agency", "text", "UBND THÀNH PHỐ CẦN THƠ", _l("Superior body")),
    Setting("agency.name", "agency", "text", "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", _l("Agency name")),
    Setting("agency.abbreviation", "agency", "text", "SNNMT", _l("Agency abbreviation")),
    Setting("agency.division", "agency", "text", "Chi cục Bảo vệ môi trường", _l("Drafting division")),
    Setting("agency.division_abbreviation", "agency", "text", "CCBVMT", _l("Division abbreviation")),
    Setting("agency.signatory_authority", "agency", "text", "KT. GIÁM ĐỐC", _l("Signing authority line")),
    Setting("agency.signatory_title", "agency", "text", "PHÓ GIÁM ĐỐC", _l("Signatory title")),
    Setting("agency.signatory_name", "agency", "text", "Nguyễn Văn An", _l("Signatory full name")),
    Setting("agency.email", "agency", "text", "", _l("Agency e-mail shown on documents")),
    Setting("register.CV", "registers", "text", "{n}/{agency}-{division}", _l("Official letter (CV) number")),
    Setting("register.GM", "registers", "text", "{n}/GM-{agency}", _l("Invitation (GM) number")),
    Setting("register.TB", "registers", "text", "{n}/TB-{agency}", _l("Notice (TB) number")),
    Setting("register.TTr", "registers", "text", "{n}/TTr-{division}", _l("Submission (TTr) number")),
    Setting("register.BB", "registers", "text", "{n}/BB-{division}", _l("Minutes (BB) number")),
    Setting("register.BC", "registers", "text", "{n}/BC-{agency}", _l("Report (BC) number")),
    Setting(
        "threshold.completeness_target",
        "thresholds",
        "percent",
        0.9,
        _l("Completeness target (effective rate, last full month)"),
        minimum=0,
        maximum=1,
    ),
    Setting(
        "threshold.lost_after_minutes",
        "thresholds",
        "int",
        60,
        _l("A station is lost after (minutes without data)"),
        minimum=5,
        maximum=10080,
    ),
    Setting(
        "threshold.lost_case_after_hours",
        "thresholds",
        "int",
        24,
        _l("Lost connection becomes a case after (hours)"),
        minimum=1,
        maximum=720,
    ),
    Setting(
        "threshold.exceedance_hours_case",
        "thresholds",
        "int",
        8,
        _l("Exceedance hours in a month that make a case"),
        minimum=1,
        maximum=744,
    ),
    Setting(
        "threshold.hourly_mean_min_slots",
        "thresholds",
        "int",
        9,
        _l("Valid slots needed for an hourly mean (of 12)"),
        minimum=1,
        maximum=12,
    ),
    Setting(
        "receipt.scan_interval_seconds",
        "receipt",
        "int",
        60,
        _l("Inbox scan interval (seconds)"),
        minimum=5,
        maximum=3600,
    ),
    Setting(
        "receipt.unchanged_seconds",
        "receipt",
        "int",
        30,
        _l("A file must be unchanged for (seconds)"),
        minimum=0,
        maximum=3600,
    ),
    Setting("receipt.ftp_port", "receipt", "int", 2121, _l("FTP receiver port"), minimum=1, maximum=65535),
    Setting("receipt.ftp_passive_ports", "receipt", "text", "60000-60100", _l("FTP passive ports")),
    Setting(
        "receipt.evidence_max_mb",
        "receipt",
        "int",
        20,
        _l("Evidence upload size limit (MB)"),
        minimum=1,
        maximum=100,
    ),
    Setting(
        "receipt.import_max_mb",
        "receipt",
        "int",
        10,
        _l("Import file size limit (MB)"),
        minimum=1,
        maximum=100,
    ),
    Setting(
        "receipt.forward_enabled",
        "receipt",
        "int",
        0,
        _l("Forward accepted files to the Ministry (1 = on, 0 = off)"),
        minimum=0,
        maximum=1,
    ),
    Setting("receipt.forward_host", "receipt", "text", "", _l("Ministry FTP server (host name or address)")),
    Setting("receipt.forward_port", "receipt", "int", 21, _l("Ministry FTP port"), minimum=1, maximum=65535),
    Setting("receipt.forward_user", "receipt", "text", "", _l("Ministry FTP user name")),
    Setting("receipt.forward_password", "receipt", "secret", "", _l("Ministry FTP password")),
    Setting("receipt.forward_folder", "receipt", "text", "/", _l("Folder on the Ministry FTP server")),
    Setting(
        "receipt.forward_passive",
        "receipt",
        "int",
        1,
        _l("Ministry FTP passive mode (1 = on, 0 = off)"),
        minimum=0,
        maximum=1,
    ),
    Setting(
        "receipt.forward_max_attempts",
        "receipt",
        "int",
        16,
        _l("Forwarding attempts before a file is marked failed"),
        minimum=1,
        maximum=100,
    ),
    Setting(
        "threshold.daily_sweep_time",
        "thresholds",
        "time",
        "01:00",
        _l("Daily compliance sweep (local time, hh:mm)"),
    ),
    Setting(
        "delivery.max_attempts",
        "delivery",
        "int",
        8,
        _l("Attempts to send a notice's e-mail before it is marked failed"),
        minimum=1,
        maximum=50,
    ),
    Setting(
        "reminder.answer_days_before",
        "delivery",
        "int",
        3,
        _l("Remind the enterprise this many days before its answer is due"),
        minimum=1,
        maximum=60,
    ),
    Setting(
        "public.enabled",
        "public",
        "int",
        0,
        _l("Public disclosure page without login at /public/ (1 = on, 0 = off)"),
        minimum=0,
        maximum=1,
    ),
    Setting(
        "risk.open_cases",
        "risk",
        "float",
        10.0,
        _l("Points per open case and per ladder step it reached"),
        minimum=0,
        maximum=1000,
    ),
    Setting(
        "risk.effective_rate",
        "risk",
        "float",
        1.0,
        _l("Points per percentage point the lowest effective rate of last month is below 100%"),
        minimum=0,
        maximum=1000,
    ),
    Setting(
        "risk.lost_hours",
        "risk",
        "float",
        0.5,
        _l("Points per hour a station was lost last month"),
        minimum=0,
        maximum=1000,
    ),
    Setting(
        "risk.exceedance_hours",
        "risk",
        "float",
        2.0,
        _l("Points per exceedance hour last month"),
        minimum=0,
        maximum=1000,
    ),
    Setting(
        "risk.expired_certificates",
        "risk",
        "float",
        10.0,
        _l("Points per expired certificate"),
        minimum=0,
        maximum=1000,
    ),
    Setting(
        "risk.days_since_inspection",
        "risk",
        "float",
        0.05,
        _l("Points per day since the last inspection (never inspected counts as 730 days)"),
        minimum=0,
        maximum=1000,
    ),
)

BY_KEY = {s.key: s for s in SETTINGS}


def parse(setting: Setting, raw: str) -> Any:
    """The typed value of a submitted text; raises ValueError with a reason."""
    text = (raw or "").strip()
    if setting.kind == "time":
        hours, _, minutes = text.partition(":")
        if not (
            hours.isdigit()
            and minutes.isdigit()
            and int(hours) < 24
            and int(minutes) < 60
            and len(minutes) == 2
        ):
            raise ValueError("time")
        return f"{int(hours):02d}:{minutes}"
    if setting.kind in ("text", "secret"):
        if setting.key.startswith("register.") and "{n}" not in text:
            raise ValueError("{n}")
        return text
    text = text.replace(",", ".")
    if setting.kind == "int":
        value: float = int(text)
    elif setting.kind == "percent":
        value = float(text.rstrip("%").strip()) / 100
    else:
        value = float(text)
    if setting.minimum is not None and value < setting.minimum:
        raise ValueError("minimum")
    if setting.maximum is not None and value > setting.maximum:
        raise ValueError("maximum")
    return value


def show(setting: Setting, value: Any) -> str:
    """The value as the edit form shows it (never a secret's)."""
    if setting.kind == "secret":
        return ""
    if setting.kind == "percent":
        return f"{value * 100:g}".replace(".", ",")
    return str(value)
