"""Helpers for the compliance tests: facilities, sources and evaluation under the seed rules."""

from __future__ import annotations

from typing import Any

from app.compliance.evaluator import evaluate
from app.compliance.rules_data import seed_regimes, seed_rules

BOOLEANS = (
    "pollution_risk_type",
    "central_wwtp",
    "central_wwtp_cluster",
    "in_industrial_park",
    "exempt_from_connection",
    "connected_to_central_wwtp",
    "hazardous_waste_treatment",
    "solid_waste_treatment_provincial",
    "imported_scrap",
    "eia_required",
    "repeat_wastewater_violator",
    "ppc_designated",
    "aquaculture",
)
REGIME_CODES = ("decree-38-2015", "decree-40-2019", "decree-08-2022", "decree-05-2025")
EMISSION_REGIMES = ("decree-40-2019", "decree-08-2022", "decree-05-2025")
BASE_WASTEWATER = ["FLOW_IN", "FLOW_OUT", "TEMP", "pH", "TSS", "COD", "NH4"]


def make_facility(**attrs: Any) -> dict[str, Any]:
    """Return a facility as the importer hands it over: every key present, blank if not given."""
    facility: dict[str, Any] = dict.fromkeys(BOOLEANS, False)
    facility.update(
        facility_code="F01",
        industry_type=None,
        production_capacity_t_year=None,
        wastewater_flow_m3_day=0.0,
        extra_parameters=[],
        operation_start_date=None,
        obligation_deadline=None,
    )
    facility.update(attrs)
    return facility


def make_source(code: str, kind: str, **attrs: Any) -> dict[str, Any]:
    """Return an emission source with every key present."""
    source = {
        "source_code": code,
        "source_kind": kind,
        "fuel": None,
        "capacity": None,
        "capacity_unit": None,
        "flow_m3_h": None,
    }
    source.update(attrs)
    return source


def regime(code: str) -> dict[str, Any]:
    """Return the seed regime with this code."""
    return next(r for r in seed_regimes() if r["code"] == code)


def run(
    regime_code: str,
    sources: list[dict[str, Any]] | None = None,
    known_parameters: dict[str, str] | None = None,
    **attrs: Any,
) -> list[dict[str, Any]]:
    """Evaluate a facility, given as attributes, under a seed regime."""
    return evaluate(
        make_facility(**attrs),
        sources or [],
        regime(regime_code),
        seed_rules(),
        known_parameters=known_parameters,
    )


def wastewater(regime_code: str, **attrs: Any) -> dict[str, Any]:
    """Return the wastewater obligation of a facility with no emission sources."""
    return run(regime_code, **attrs)[0]


def emission(regime_code: str, sources: list[dict[str, Any]], **attrs: Any) -> dict[str, Any]:
    """Return the emission obligation of a facility with these sources."""
    return run(regime_code, sources, **attrs)[1]
