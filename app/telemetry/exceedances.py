"""Exceedances of a facility's discharge limits: the limits in use and the exceedance hours.

The limit of a station's parameter is the one recorded from the facility's permit
(``facility_limits``) when there is one; otherwise the national regulation's, computed
by ``app.compliance.limits`` with the facility's inputs (QCVN 40 for wastewater
stations, QCVN 19 for emission stations, whose Kp uses the facility's total gas flow:
the sum of its sources' ``flow_m3_h``). Hourly means come from
``figures.hourly_means`` (the rollups), never from raw readings; ``exceedance_core``
counts the hours. Recording or removing a permit limit is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from app.audit.services import record
from app.compliance import limits as qcvn
from app.compliance.parameters import canonical_code
from app.db import utcnow
from app.errors import DomainError
from app.extensions import db
from app.facilities.models import EmissionSource, Facility
from app.stations.models import Station
from app.telemetry import figures
from app.telemetry.exceedance_core import Exceedances, Series, evaluate
from app.telemetry.models import ANY_PARAMETER, DayRollup, FacilityLimit

PERMIT = "permit"
REGULATION = "regulation"


@dataclass(frozen=True)
class UsedLimit:
    """The limit applied to one parameter of one station, and where it comes from."""

    station: str
    kind: str
    parameter: str
    limit: qcvn.Limit
    source: str

    @property
    def unit(self) -> str:
        """The limit's unit ("" for pH)."""
        return qcvn.UNITS.get(self.parameter, "")

    @property
    def is_to_verify(self) -> bool:
        """True when the value or a coefficient is marked to verify."""
        return self.limit.confidence == "to_verify"


def facility_inputs(facility: Facility) -> dict[str, Any]:
    """The facility's inputs of the QCVN arithmetic (column, coefficients, discharge flow)."""
    return {
        "qcvn_column": facility.qcvn_column,
        "kq": facility.kq,
        "kf": facility.kf,
        "kp": facility.kp,
        "kv": facility.kv,
        "wastewater_flow_m3_day": facility.wastewater_flow_m3_day,
    }


def total_gas_flow(facility: Facility) -> float:
    """The facility's total gas flow (m³/h): the sum of its emission sources' flows."""
    total = db.session.scalar(
        sa.select(sa.func.sum(EmissionSource.flow_m3_h)).where(EmissionSource.facility_id == facility.id)
    )
    return float(total or 0)


def permit_limits(facility: Facility) -> dict[str, FacilityLimit]:
    """The limits recorded from the facility's permit, by parameter."""
    rows = db.session.scalars(
        sa.select(FacilityLimit).where(FacilityLimit.facility_id == facility.id).order_by(FacilityLimit.id)
    )
    return {row.parameter: row for row in rows}


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


class _Limits:
    """The limits of one facility's stations, with the facility's inputs loaded once."""

    def __init__(self, facility: Facility) -> None:
        self.permits = permit_limits(facility)
        self.inputs = facility_inputs(facility)
        self._gas_flow: float | None = None
        self._facility = facility

    def gas_flow(self) -> float:
        """The facility's total gas flow, loaded when an emission limit first needs it."""
        if self._gas_flow is None:
            self._gas_flow = total_gas_flow(self._facility)
        return self._gas_flow

    def of(self, station: Station, parameter: str) -> UsedLimit | None:
        """The permit's limit of the parameter, else the regulation's for the station's kind."""
        permit = self.permits.get(parameter)
        if permit is not None:
            limit = qcvn.permit_limit(
                parameter, _float(permit.low), _float(permit.high), permit.permit_reference
            )
            return UsedLimit(station.code, station.kind, parameter, limit, PERMIT)
        if station.kind == "wastewater":
            found = qcvn.wastewater_limit(parameter, self.inputs)
        elif station.kind == "emission":
            found = qcvn.emission_limit(parameter, self.inputs, self.gas_flow())
        else:
            found = None
        return None if found is None else UsedLimit(station.code, station.kind, parameter, found, REGULATION)


def facility_stations(facility: Facility) -> list[Station]:
    """The facility's stations, by code."""
    return list(
        db.session.scalars(
            sa.select(Station).where(Station.facility_id == facility.id).order_by(Station.code_key)
        )
    )


def station_parameters(
    station: Station, date_from: date | None = None, date_to: date | None = None
) -> list[str]:
    """The station's registered parameters, then any other it sent during the period."""
    codes = list(dict.fromkeys(station.parameters or ()))
    if date_from is not None and date_to is not None:
        sent = db.session.scalars(
            sa.select(DayRollup.parameter)
            .where(
                DayRollup.station_id == station.id,
                DayRollup.day.between(date_from, date_to),
                DayRollup.parameter != ANY_PARAMETER,
            )
            .distinct()
            .order_by(DayRollup.parameter)
        )
        codes.extend(code for code in sent if code not in codes)
    return codes


def station_limits(
    station: Station, date_from: date | None = None, date_to: date | None = None
) -> dict[str, UsedLimit]:
    """The limits in use for a station's parameters (none for an ambient station)."""
    if station.facility is None:
        return {}
    found = _Limits(station.facility)
    limits = {code: found.of(station, code) for code in station_parameters(station, date_from, date_to)}
    return {code: used for code, used in limits.items() if used is not None}


def limits_in_use(facility: Facility) -> list[UsedLimit]:
    """The limit of every registered parameter of every station of the facility that has one."""
    found = _Limits(facility)
    rows = []
    for station in facility_stations(facility):
        for code in station_parameters(station):
            used = found.of(station, code)
            if used is not None:
                rows.append(used)
    return rows


def _series(
    stations: list[Station], found: _Limits, date_from: date, date_to: date, min_valid_slots: int | None
) -> list[Series]:
    series = []
    for station in stations:
        limits = {}
        for code in station_parameters(station, date_from, date_to):
            if (used := found.of(station, code)) is not None:
                limits[code] = used
        means = figures.parameters_hourly_means(station, list(limits), date_from, date_to, min_valid_slots)
        for code, used in limits.items():
            series.append(
                Series(station.code, code, used.limit, means[code], since=station.data_expected_from)
            )
    return series


def station_exceedances(
    station: Station,
    date_from: date,
    date_to: date,
    as_of: datetime | None = None,
    min_valid_slots: int | None = None,
) -> Exceedances:
    """One station's hours above its limits, per parameter and local day."""
    if station.facility is None:
        return Exceedances()
    found = _Limits(station.facility)
    series = _series([station], found, date_from, date_to, min_valid_slots)
    return evaluate(series, until=as_of or utcnow())


def facility_exceedances(
    facility: Facility,
    date_from: date,
    date_to: date,
    as_of: datetime | None = None,
    min_valid_slots: int | None = None,
) -> Exceedances:
    """The facility's exceedance hours (each clock hour once), per parameter and day, and per series."""
    found = _Limits(facility)
    series = _series(facility_stations(facility), found, date_from, date_to, min_valid_slots)
    return evaluate(series, until=as_of or utcnow())


def facility_exceedance_hours(
    facility: Facility, date_from: date, date_to: date, as_of: datetime | None = None
) -> int:
    """How many exceedance hours the facility had in the period (for cases and summaries)."""
    return facility_exceedances(facility, date_from, date_to, as_of).total_hours


def last_full_month(today: date) -> tuple[date, date]:
    """The first and last day of the calendar month before ``today``'s."""
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def _known_parameter(facility: Facility, parameter: str) -> str:
    registered = {code for station in facility_stations(facility) for code in station.parameters or ()}
    code = canonical_code(parameter, extra_known=registered)
    if code is None:
        raise DomainError(_("Unknown parameter code."), field="parameter")
    return code


def _bounds(low: Decimal | None, high: Decimal | None) -> None:
    if low is None and high is None:
        raise DomainError(_("A limit needs a lower or an upper bound."), field="high")
    if low is not None and high is not None and low >= high:
        raise DomainError(_("The lower bound must be below the upper bound."), field="low")


def record_permit_limit(
    facility: Facility,
    parameter: str,
    low: Decimal | None,
    high: Decimal | None,
    permit_reference: str,
    reason: str | None = None,
) -> FacilityLimit:
    """Record (or correct) the permit's limit of a parameter for the facility; audited."""
    code = _known_parameter(facility, parameter)
    _bounds(low, high)
    reference = (permit_reference or "").strip()
    if not reference:
        raise DomainError(_("The permit's number is required."), field="permit_reference")
    row = permit_limits(facility).get(code)
    old = None if row is None else {"low": row.low, "high": row.high, "permit": row.permit_reference}
    if row is None:
        row = FacilityLimit(facility_id=facility.id, parameter=code)
        db.session.add(row)
    row.low, row.high, row.permit_reference = low, high, reference
    db.session.flush()
    new = {"low": low, "high": high, "permit": reference}
    record(
        "facility_limit.recorded",
        facility,
        label=f"{facility.code} {code}",
        changes={code: [old, new]},
        reason=reason,
    )
    return row


def remove_permit_limit(facility: Facility, parameter: str, reason: str) -> None:
    """Remove a permit limit recorded by mistake (the regulation's limit applies again); audited."""
    row = permit_limits(facility).get(parameter)
    if row is None:
        raise DomainError(_("No permit limit is recorded for this parameter."), field="parameter")
    if not (reason or "").strip():
        raise DomainError(_("A reason is required."), field="reason")
    old = {"low": row.low, "high": row.high, "permit": row.permit_reference}
    db.session.delete(row)
    db.session.flush()
    record(
        "facility_limit.removed",
        facility,
        label=f"{facility.code} {parameter}",
        changes={parameter: [old, None]},
        reason=reason.strip(),
    )
