"""Discharge limits for exceedance checks (regulation.md, "Limits"), as data, and their arithmetic.

The enforced limit is the one in the facility's permit when recorded; otherwise it
is computed from the national regulation with the facility's inputs:
QCVN 40:2011/BTNMT for industrial wastewater (``Cmax = C x Kq x Kf``; pH and
temperature ``Cmax = C``) and QCVN 19:2009/BTNMT for industrial emissions
(``Cmax = C x Kp x Kv``). Values marked ``to_verify`` are shown as such.
Pure: no Flask, no database.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

QCVN40 = {
    "code": "QCVN 40:2011/BTNMT",
    "columns": {
        "A": {
            "confidence": "confirmed",
            "values": {"pH": [6, 9], "TSS": 50, "COD": 75, "NH4": 5, "TEMP": 40},
        },
        "B": {
            "confidence": "to_verify",
            "values": {"pH": [5.5, 9], "TSS": 100, "COD": 150, "NH4": 10, "TEMP": 40},
        },
    },
    # Kf by discharge flow (m³/day): up to and including the bound.
    "kf": {"confidence": "to_verify", "bands": [[50, 1.2], [500, 1.1], [5000, 1.0], [None, 0.9]]},
    # Parameters where the coefficients do not apply.
    "no_coefficients": ["pH", "TEMP"],
}
QCVN19 = {
    "code": "QCVN 19:2009/BTNMT",
    "columns": {
        "B": {"confidence": "confirmed", "values": {"DUST": 200, "SO2": 500, "NOX": 850, "CO": 1000}}
    },
    # Kp by the facility's total gas flow (m³/h): up to and including the bound.
    "kp": {"confidence": "to_verify", "bands": [[20000, 1.0], [100000, 0.9], [None, 0.8]]},
}
UNITS = {
    "pH": "",
    "TEMP": "°C",
    "TSS": "mg/L",
    "COD": "mg/L",
    "NH4": "mg/L",
    "DUST": "mg/Nm³",
    "SO2": "mg/Nm³",
    "NOX": "mg/Nm³",
    "CO": "mg/Nm³",
}


@dataclass(frozen=True)
class Limit:
    """An allowed range for a parameter: ``low`` only for pH; ``basis`` says where it comes from."""

    parameter: str
    high: float | None
    low: float | None = None
    basis: str = ""
    confidence: str = "confirmed"

    def exceeded_by(self, value: float) -> bool:
        """True when the value lies outside the allowed range."""
        return (self.high is not None and value > self.high) or (self.low is not None and value < self.low)


def _band(bands: list[list[Any]], amount: float) -> float:
    for bound, coefficient in bands:
        if bound is None or amount <= bound:
            return float(coefficient)
    return float(bands[-1][1])


def _number(value: Any, default: float) -> float:
    return default if value is None or value == "" else float(value)


def wastewater_limit(parameter: str, facility: dict[str, Any]) -> Limit | None:
    """The QCVN 40 limit of a wastewater parameter for the facility (None when the table has none)."""
    column = (facility.get("qcvn_column") or "B").upper()
    table = QCVN40["columns"].get(column)
    if table is None or parameter not in table["values"]:
        return None
    value = table["values"][parameter]
    basis = f"{QCVN40['code']} cột {column}"
    confidence = table["confidence"]
    if isinstance(value, list):
        return Limit(parameter, float(value[1]), float(value[0]), basis, confidence)
    if parameter in QCVN40["no_coefficients"]:
        return Limit(parameter, float(value), None, basis, confidence)
    kq = _number(facility.get("kq"), 1.0)
    flow = _number(facility.get("wastewater_flow_m3_day"), 0.0)
    kf = _number(facility.get("kf"), _band(QCVN40["kf"]["bands"], flow))
    if facility.get("kf") in (None, ""):
        confidence = "to_verify"
    high = round(value * kq * kf, 6)
    return Limit(parameter, high, None, f"{basis}, Kq = {kq:g}, Kf = {kf:g}", confidence)


def emission_limit(parameter: str, facility: dict[str, Any], total_flow_m3_h: float) -> Limit | None:
    """The QCVN 19 column B limit of an emission parameter (None when the table has none)."""
    table = QCVN19["columns"]["B"]
    if parameter not in table["values"]:
        return None
    kp = _number(facility.get("kp"), _band(QCVN19["kp"]["bands"], total_flow_m3_h))
    kv = _number(facility.get("kv"), 1.0)
    confidence = (
        "to_verify" if facility.get("kp") in (None, "") or facility.get("kv") in (None, "") else "confirmed"
    )
    high = round(table["values"][parameter] * kp * kv, 6)
    return Limit(parameter, high, None, f"{QCVN19['code']} cột B, Kp = {kp:g}, Kv = {kv:g}", confidence)


def permit_limit(parameter: str, low: float | None, high: float | None, permit: str) -> Limit:
    """A limit written in the facility's environmental permit (it takes precedence)."""
    return Limit(parameter, high, low, f"giấy phép môi trường {permit}".strip(), "confirmed")


def hourly_mean(total: float, count: int, valid_slots: int, min_valid_slots: int) -> float | None:
    """The mean of an hour's valid readings, or None when fewer than the needed slots were valid."""
    if count == 0 or valid_slots < min_valid_slots:
        return None
    mean = total / count
    return mean if math.isfinite(mean) else None
