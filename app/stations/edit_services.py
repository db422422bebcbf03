"""Use cases of inspectors registering stations by hand, and their certificates.

The same rules as the import's ``stations`` sheet (import-format.md): a code unique
compared case-insensitively and without ``_``; a facility unless the station is ambient;
parameters among the canonical codes of its kind; an emission station's source belonging
to its facility. Every change is audited; the caller commits.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from app.audit.services import record
from app.compliance.parameters import PARAMETERS_BY_KIND, canonical_code, sort_parameters
from app.errors import DomainError
from app.extensions import db
from app.facilities.models import EmissionSource, Facility
from app.stations.models import STATION_KINDS, Station, StationCertificate
from app.stations.services import find_station
from app.telemetry.slots import to_local

# Printable ASCII without spaces: the code names the station's data files.
STATION_CODE = re.compile(r"^[!-~]+$")
STATION_FIELDS = (
    "kind",
    "facility_code",
    "source_code",
    "name",
    "parameters",
    "has_camera",
    "has_sampler",
    "datalogger_make",
    "datalogger_ip",
    "installed_at",
    "data_expected_from",
)
CERTIFICATE_KINDS = ("calibration", "inspection")


def _text(value: Any) -> str | None:
    return (str(value).strip() if value is not None else "") or None


def check_code(code: str | None, station: Station | None = None) -> str:
    """A new station's code, refused when blank, malformed or already taken (any case)."""
    code = (code or "").strip()
    if not code:
        raise DomainError(_("A station code is required."), field="code")
    if "_" in code:
        raise DomainError(_("A station code cannot contain an underscore (_)."), field="code")
    if not STATION_CODE.match(code) or len(code) > 40:
        raise DomainError(
            _("A station code is made of unaccented letters, digits and signs, without spaces."), field="code"
        )
    taken = find_station(code)
    if taken is not None and taken is not station:
        raise DomainError(_("The station code %(code)s is already used.", code=taken.code), field="code")
    return code


def check_parameters(codes: list[str], kind: str) -> list[str]:
    """The codes canonically spelt and ordered, refused unless they are codes of the station's kind."""
    allowed = {code.casefold() for code in PARAMETERS_BY_KIND[kind]}
    wrong = [code for code in codes if code.strip().casefold() not in allowed]
    if wrong:
        raise DomainError(
            _(
                "Not parameter codes of a %(kind)s station: %(codes)s (valid codes: %(valid)s).",
                kind=kind,
                codes=", ".join(wrong),
                valid=";".join(PARAMETERS_BY_KIND[kind]),
            ),
            field="parameters",
        )
    return sort_parameters(canonical_code(code) or code for code in codes)


def _facility(code: str | None, kind: str) -> Facility | None:
    if not code:
        if kind != "ambient":
            raise DomainError(
                _("A facility is required unless the station is ambient."), field="facility_code"
            )
        return None
    facility = db.session.scalar(sa.select(Facility).where(Facility.code == code))
    if facility is None:
        raise DomainError(_("Unknown facility: %(code)s.", code=code), field="facility_code")
    return facility


def _source(code: str | None, kind: str, facility: Facility | None) -> EmissionSource | None:
    if not code:
        return None
    if kind != "emission":
        raise DomainError(_("Only an emission station measures an emission source."), field="source_code")
    source = db.session.scalar(sa.select(EmissionSource).where(EmissionSource.code == code))
    if source is None:
        raise DomainError(_("Unknown emission source: %(code)s.", code=code), field="source_code")
    if facility is None or source.facility_id != facility.id:
        raise DomainError(
            _("The emission source %(code)s does not belong to this station's facility.", code=code),
            field="source_code",
        )
    return source


def _moment(value: datetime | None) -> datetime | None:
    return to_local(value) if value is not None else None


def resolve(values: dict[str, Any]) -> dict[str, Any]:
    """The form's values as model attributes, checked like an import row."""
    kind = _text(values.get("kind"))
    if kind not in STATION_KINDS:
        raise DomainError(_("Choose the kind of station."), field="kind")
    facility = _facility(_text(values.get("facility_code")), kind)
    source = _source(_text(values.get("source_code")), kind, facility)
    installed_at: date | None = values.get("installed_at")
    return {
        "kind": kind,
        "facility": facility,
        "source": source,
        "name": _text(values.get("name")),
        "parameters": check_parameters(list(values.get("parameters") or []), kind),
        "has_camera": bool(values.get("has_camera")),
        "has_sampler": bool(values.get("has_sampler")),
        "datalogger_make": _text(values.get("datalogger_make")),
        "datalogger_ip": _text(values.get("datalogger_ip")),
        "installed_at": installed_at,
        "data_expected_from": _moment(values.get("data_expected_from")),
    }


def _shown(attr: str, value: Any) -> Any:
    """A value as the audit trail shows it (related rows by their code)."""
    if attr in ("facility", "source"):
        return value.code if value is not None else None
    return value


def create_station(code: str | None, values: dict[str, Any]) -> Station:
    """Register a station (audited)."""
    code = check_code(code)
    attrs = resolve(values)
    station = Station(code=code, code_key=code.lower(), **attrs)
    db.session.add(station)
    db.session.flush()
    changes = {"code": [None, code]}
    changes.update({k: [None, _shown(k, v)] for k, v in attrs.items() if v not in (None, False, [])})
    record("station.created", station, changes=changes)
    return station


def update_station(station: Station, values: dict[str, Any], reason: str | None = None) -> dict[str, list]:
    """Change a station's data (audited with the reason); return what changed."""
    attrs = resolve(values)
    changes: dict[str, list] = {}
    for attr, new in attrs.items():
        old = getattr(station, attr)
        if old != new:
            changes[attr] = [_shown(attr, old), _shown(attr, new)]
            setattr(station, attr, new)
    if changes:
        db.session.flush()
        record("station.updated", station, changes=changes, reason=_text(reason))
    return changes


def add_certificate(
    station: Station, kind: str, number: str | None, issued_on: date | None, expires_on: date | None
) -> StationCertificate:
    """Add a calibration or inspection certificate to a station (audited on the station)."""
    if kind not in CERTIFICATE_KINDS:
        raise DomainError(_("Choose the kind of certificate."), field="kind")
    if issued_on and expires_on and expires_on < issued_on:
        raise DomainError(_("The certificate expires before it was issued."), field="expires_on")
    certificate = StationCertificate(
        station_id=station.id, kind=kind, number=_text(number), issued_on=issued_on, expires_on=expires_on
    )
    db.session.add(certificate)
    db.session.flush()
    db.session.expire(station, ["certificates"])
    record(
        "station.certificate_added",
        station,
        changes={
            "certificate": [None, certificate.id],
            "kind": [None, kind],
            "number": [None, certificate.number],
            "issued_on": [None, issued_on],
            "expires_on": [None, expires_on],
        },
    )
    return certificate


def remove_certificate(station: Station, certificate: StationCertificate, reason: str | None) -> None:
    """Remove a certificate recorded by mistake (audited on the station, with the reason)."""
    reason = _text(reason)
    if not reason:
        raise DomainError(_("A reason is required."), field="reason")
    if certificate.station_id != station.id:
        raise DomainError(_("This certificate belongs to another station."))
    changes = {
        "certificate": [certificate.id, None],
        "kind": [certificate.kind, None],
        "number": [certificate.number, None],
        "expires_on": [certificate.expires_on, None],
    }
    db.session.delete(certificate)
    db.session.flush()
    db.session.expire(station, ["certificates"])
    record("station.certificate_removed", station, changes=changes, reason=reason)
