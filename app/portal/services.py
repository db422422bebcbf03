"""Use cases of the enterprise portal: finding its own objects, what is expected, declaring.

Every lookup takes the enterprise's id and finds nothing of another
enterprise (the views turn that into a 404, whatever the URL). Declarations
and windows are created pending, with their evidence, and audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from app.audit.actor import current_actor
from app.audit.services import record
from app.compliance.parameters import canonical_code, sort_parameters
from app.db import utcnow
from app.errors import DomainError, NotFound
from app.extensions import db
from app.facilities.models import Facility
from app.formatting import LOCAL_TZ
from app.stations.evidence import Upload, check_uploads, evidence_of, store_evidence
from app.stations.models import Declaration, EvidenceFile, ExcuseWindow, Station

INSTALLATION = "installation"
CONNECTION = "connection"
DECLARATION_KINDS = (INSTALLATION, CONNECTION)
WINDOW_KINDS = ("incident", "maintenance", "suspension")
DECLARATIONS = "declarations"
WINDOWS = "excuse_windows"
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


# --- Labels shared with the verification queue ---------------------------------------------------


def declaration_label(declaration: Declaration) -> str:
    """How a declaration is named in the audit trail: ``ST01 installation``."""
    return f"{declaration.station.code} {declaration.kind}"


def window_label(window: ExcuseWindow) -> str:
    """How a window is named in the audit trail: ``ST01 incident 2026-01-05 08:00``."""
    start = window.starts_at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
    return f"{window.station.code} {window.kind} {start}"


def local_iso(moment: datetime) -> str:
    """A moment as a local ``YYYY-MM-DDThh:mm`` (how declared times are kept)."""
    return moment.astimezone(LOCAL_TZ).strftime(LOCAL_FORMAT)


# --- Finding the enterprise's own objects -------------------------------------------------------


def own_facilities(enterprise_id: int) -> list[Facility]:
    """The enterprise's facilities, by code."""
    return list(
        db.session.scalars(
            sa.select(Facility).where(Facility.enterprise_id == enterprise_id).order_by(Facility.code)
        )
    )


def own_facility(enterprise_id: int, code: str) -> Facility:
    """One of the enterprise's facilities by code; NotFound for any other."""
    facility = db.session.scalar(
        sa.select(Facility).where(Facility.code == code, Facility.enterprise_id == enterprise_id)
    )
    if facility is None:
        raise NotFound(_("No such facility."))
    return facility


def _own_stations() -> sa.Select:
    return sa.select(Station).join(Facility, Station.facility_id == Facility.id)


def own_station(enterprise_id: int, code: str) -> Station:
    """One of the enterprise's stations by code (any case); NotFound for any other."""
    station = db.session.scalar(
        _own_stations().where(
            Station.code_key == code.strip().lower(), Facility.enterprise_id == enterprise_id
        )
    )
    if station is None:
        raise NotFound(_("No such station."))
    return station


def own_declaration(enterprise_id: int, declaration_id: int) -> Declaration:
    """A declaration for one of the enterprise's stations; NotFound for any other."""
    declaration = db.session.scalar(
        sa.select(Declaration)
        .join(Station, Declaration.station_id == Station.id)
        .join(Facility, Station.facility_id == Facility.id)
        .where(Declaration.id == declaration_id, Facility.enterprise_id == enterprise_id)
    )
    if declaration is None:
        raise NotFound(_("No such declaration."))
    return declaration


def own_window(enterprise_id: int, window_id: int) -> ExcuseWindow:
    """A window of one of the enterprise's stations; NotFound for any other."""
    window = db.session.scalar(
        sa.select(ExcuseWindow)
        .join(Station, ExcuseWindow.station_id == Station.id)
        .join(Facility, Station.facility_id == Facility.id)
        .where(ExcuseWindow.id == window_id, Facility.enterprise_id == enterprise_id)
    )
    if window is None:
        raise NotFound(_("No such window."))
    return window


def own_evidence(enterprise_id: int, evidence_id: int) -> EvidenceFile:
    """An evidence file of the enterprise; NotFound for any other."""
    evidence = db.session.get(EvidenceFile, evidence_id)
    if evidence is None or evidence.enterprise_id != enterprise_id:
        raise NotFound(_("No such file."))
    return evidence


# --- What the department still expects -----------------------------------------------------------


@dataclass(frozen=True)
class Expectation:
    """Something the department still expects from a station (``code``), with a reason if rejected."""

    code: str
    reason: str | None = None
    count: int = 0


@dataclass
class StationOverview:
    """A station with its declarations and windows (newest first) and what is still expected."""

    station: Station
    declarations: list[Declaration] = field(default_factory=list)
    windows: list[ExcuseWindow] = field(default_factory=list)

    @property
    def expectations(self) -> list[Expectation]:
        """What the department still expects from the station."""
        return expectations(self.station, self.declarations, self.windows)


def _latest(declarations: list[Declaration], kind: str) -> Declaration | None:
    own = [d for d in declarations if d.kind == kind]
    return max(own, key=lambda d: (d.declared_at, d.id), default=None)


def expectations(
    station: Station, declarations: list[Declaration], windows: list[ExcuseWindow]
) -> list[Expectation]:
    """Installation, connection and windows still awaiting something, in that order."""
    found: list[Expectation] = []
    connected = station.data_expected_from is not None
    installed = station.installed_at is not None or connected
    for kind, done, missing in (
        (INSTALLATION, installed, "not_installed"),
        (CONNECTION, connected, "connection_not_declared"),
    ):
        latest = _latest(declarations, kind)
        if latest is not None and latest.status == "pending":
            found.append(Expectation(f"{kind}_pending"))
        elif not done and latest is not None and latest.status == "rejected":
            found.append(Expectation(f"{kind}_rejected", latest.decision_reason))
        elif not done:
            found.append(Expectation(missing))
    pending = sum(1 for w in windows if w.status == "pending")
    if pending:
        found.append(Expectation("windows_pending", count=pending))
    return found


def station_overviews(stations: list[Station]) -> list[StationOverview]:
    """Overviews of these stations, their declarations and windows loaded in two queries."""
    by_id = {s.id: StationOverview(s) for s in stations}
    if not by_id:
        return []
    for declaration in db.session.scalars(
        sa.select(Declaration)
        .where(Declaration.station_id.in_(by_id))
        .order_by(Declaration.declared_at.desc(), Declaration.id.desc())
    ):
        by_id[declaration.station_id].declarations.append(declaration)
    for window in db.session.scalars(
        sa.select(ExcuseWindow)
        .where(ExcuseWindow.station_id.in_(by_id))
        .order_by(ExcuseWindow.starts_at.desc(), ExcuseWindow.id.desc())
    ):
        by_id[window.station_id].windows.append(window)
    return list(by_id.values())


def facility_overviews(facilities: list[Facility]) -> list[tuple[Facility, list[StationOverview]]]:
    """Each facility with the overviews of its stations, by station code."""
    ids = [f.id for f in facilities]
    stations = (
        list(
            db.session.scalars(
                sa.select(Station).where(Station.facility_id.in_(ids)).order_by(Station.code_key)
            )
        )
        if ids
        else []
    )
    overviews = station_overviews(stations)
    return [(f, [o for o in overviews if o.station.facility_id == f.id]) for f in facilities]


def evidence_by_object(
    declarations: list[Declaration], windows: list[ExcuseWindow]
) -> dict[str, dict[int, list[EvidenceFile]]]:
    """Evidence of these declarations and windows: ``{"declarations": {id: [...]}, "excuse_windows": ...}``."""
    return {
        DECLARATIONS: evidence_of(DECLARATIONS, [d.id for d in declarations]),
        WINDOWS: evidence_of(WINDOWS, [w.id for w in windows]),
    }


# --- Declaring -----------------------------------------------------------------------------------


def _refuse_pending_declaration(station: Station, kind: str) -> None:
    pending = db.session.scalar(
        sa.select(Declaration.id).where(
            Declaration.station_id == station.id, Declaration.kind == kind, Declaration.status == "pending"
        )
    )
    if pending is not None:
        raise DomainError(
            _(
                "A declaration of this kind is already awaiting verification for station %(code)s.",
                code=station.code,
            )
        )


def _declare(station: Station, kind: str, values: dict[str, Any], uploads: list[Upload]) -> Declaration:
    _refuse_pending_declaration(station, kind)
    checked = check_uploads(uploads)
    declaration = Declaration(
        station_id=station.id,
        station=station,
        kind=kind,
        status="pending",
        values=values,
        declared_by_id=current_actor().user_id,
    )
    db.session.add(declaration)
    db.session.flush()
    files = store_evidence(
        checked,
        enterprise_id=station.facility.enterprise_id,
        object_type=DECLARATIONS,
        object_id=declaration.id,
    )
    changes: dict[str, Any] = {key: [None, value] for key, value in values.items()}
    if files:
        changes["evidence"] = [None, [f.original_name for f in files]]
    record("declaration.created", declaration, label=declaration_label(declaration), changes=changes)
    return declaration


def declare_installation(
    station: Station,
    *,
    installed_on: date,
    parameters: list[str],
    has_camera: bool,
    has_sampler: bool,
    datalogger_make: str,
    note: str | None = None,
    uploads: list[Upload] | None = None,
) -> Declaration:
    """Declare that a station is installed (date, equipment, parameters), pending verification."""
    if installed_on > datetime.now(LOCAL_TZ).date():
        raise DomainError(_("The installation date cannot be in the future."), field="installed_on")
    unknown = [code for code in parameters if canonical_code(code) is None]
    if unknown:
        raise DomainError(
            _("Unknown parameter codes: %(codes)s.", codes=", ".join(unknown)), field="parameters"
        )
    values = {
        "installed_on": installed_on.isoformat(),
        "parameters": sort_parameters(parameters),
        "has_camera": bool(has_camera),
        "has_sampler": bool(has_sampler),
        "datalogger_make": (datalogger_make or "").strip() or None,
        "note": (note or "").strip() or None,
    }
    return _declare(station, INSTALLATION, values, uploads or [])


def declare_connection(
    station: Station,
    *,
    connected_since: datetime,
    datalogger_ip: str,
    note: str | None = None,
    uploads: list[Upload] | None = None,
) -> Declaration:
    """Declare since when a station transmits and from which datalogger address, pending verification."""
    if connected_since.tzinfo is None:
        connected_since = connected_since.replace(tzinfo=LOCAL_TZ)
    if connected_since > utcnow():
        raise DomainError(_("The connection time cannot be in the future."), field="connected_since")
    values = {
        "connected_since": local_iso(connected_since),
        "datalogger_ip": datalogger_ip.strip(),
        "note": (note or "").strip() or None,
    }
    return _declare(station, CONNECTION, values, uploads or [])


def request_window(
    station: Station,
    *,
    kind: str,
    starts_at: datetime,
    expected_end_at: datetime,
    reason: str,
    uploads: list[Upload] | None = None,
) -> ExcuseWindow:
    """File an incident, plan a maintenance window or request a suspension, pending approval."""
    if kind not in WINDOW_KINDS:
        raise DomainError(_("Unknown kind of window."))
    starts_at, expected_end_at = (
        m.replace(tzinfo=LOCAL_TZ) if m.tzinfo is None else m for m in (starts_at, expected_end_at)
    )
    if expected_end_at <= starts_at:
        raise DomainError(_("The end must be after the start."), field="expected_end_at")
    if not (reason or "").strip():
        raise DomainError(_("A reason is required."), field="reason")
    checked = check_uploads(uploads or [])
    window = ExcuseWindow(
        station_id=station.id,
        station=station,
        kind=kind,
        status="pending",
        starts_at=starts_at,
        expected_end_at=expected_end_at,
        reason=reason.strip(),
        requested_by_id=current_actor().user_id,
    )
    db.session.add(window)
    db.session.flush()
    files = store_evidence(
        checked, enterprise_id=station.facility.enterprise_id, object_type=WINDOWS, object_id=window.id
    )
    changes: dict[str, Any] = {
        "kind": [None, kind],
        "starts_at": [None, starts_at],
        "expected_end_at": [None, expected_end_at],
    }
    if files:
        changes["evidence"] = [None, [f.original_name for f in files]]
    record("window.requested", window, label=window_label(window), changes=changes, reason=window.reason)
    return window
