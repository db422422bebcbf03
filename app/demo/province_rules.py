"""What the rules read of each demo facility: its attributes and its emission sources.

Chosen so that a new user sees every clause of every regime at work on some
facility, and a few facilities just under a threshold, whose obligations say
why nothing is required:

- wastewater: the parks' central plants (clauses ``ip``, ``a``, ``row1``); one
  park tenant exempted from connecting (the steel mill); tenants connected to
  their park's plant (exempted from the flow clauses); design flows on both
  sides of 200, 500 and 1.000 m³/ngày, for types at risk of causing pollution
  (seafood, paper, dyeing, sugar, rubber, chemicals, metallurgy, slaughtering,
  livestock, waste treatment) and for the other types; a hazardous-waste plant,
  a provincial solid-waste plant and an imported-scrap steel mill (clause
  ``c``); a repeat violator with a deadline set by its sanction decision (``dd``);
  a pig farm designated by the People's Committee (``e``); a shrimp farm (exempt
  from Decree 08/2022); a new project that starts after the 2024 deadline;
- emission: coal, biomass and natural-gas boilers (the gas plant owes nothing),
  a clinker line and a grinding station, an electric arc furnace (and an
  induction furnace at a mill under 200.000 tấn/năm), chlor-alkali and sulphuric
  acid, incinerators of 12,5 t/h, 1,5 t/h, 500 kg/h and 450 kg/h (just under).

Plain data keyed by facility code (province_facilities.py); nothing here
touches Flask or the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any


def _number(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _w(
    flow: float, capacity: float | None = None, *, risk: bool = False, extra: str = "", **flags: Any
) -> dict:
    """A facility's design wastewater flow (m³/ngày), capacity (tấn/năm) and other attributes."""
    values: dict[str, Any] = {
        "wastewater_flow_m3_day": _number(flow),
        "production_capacity_t_year": _number(capacity),
        "pollution_risk_type": risk,
        "extra_parameters": extra.split(";") if extra else [],
    }
    values.update(flags)
    return values


_CONNECTED = {"connected_to_central_wwtp": True}
# Made up, deterministic: a sanction decision of 2025 set this date to install the station.
SANCTION_DEADLINE = date(2026, 3, 31)
# A new project that starts operating after the 2024-12-31 deadline.
NEW_PROJECT_START = date(2025, 10, 1)

# By facility code: the attributes the rules read (app.facilities.models.RULE_ATTRIBUTES)
# that the demo sets; ``in_industrial_park`` and ``central_wwtp`` follow from the row.
ATTRIBUTES: dict[str, dict[str, Any]] = {
    # Seafood (at risk of causing pollution).
    "CT-TS-001": _w(900, 20000, risk=True, **_CONNECTED),
    "CT-TS-002": _w(650, 15000, risk=True, **_CONNECTED),
    "CT-TS-003": _w(1100, 25000, risk=True, extra="TN;TP"),
    "CT-TS-004": _w(420, 9000, risk=True, **_CONNECTED),
    "CT-TS-005": _w(480, 8000, risk=True),  # just under 500: Decree 40/2019 b) does not apply
    "CT-TS-006": _w(1500, 30000, risk=True, extra="TN;TP"),
    "CT-TS-007": _w(150, 6000, risk=True),
    "CT-TS-008": _w(750, 14000, risk=True, extra="TN;TP"),
    "CT-TS-009": _w(
        300, 7000, risk=True, repeat_wastewater_violator=True, obligation_deadline=SANCTION_DEADLINE
    ),
    "CT-TS-010": _w(1800, 36000, risk=True, extra="BOD5;TN;TP"),
    "CT-TS-011": _w(380, 10000, risk=True, operation_start_date=NEW_PROJECT_START),
    # Paper and textile dyeing.
    "CT-GI-001": _w(1200, 60000, risk=True, extra="COLOR"),
    "CT-GI-002": _w(2400, 40000, risk=True, extra="BOD5;COLOR"),
    "CT-GI-003": _w(180, 12000, risk=True, **_CONNECTED),
    "CT-DN-001": _w(1500, 12000, risk=True, extra="COLOR"),
    "CT-DN-002": _w(650, 6000, risk=True, **_CONNECTED),
    # Power: process wastewater only, cooling water excluded.
    "CT-ND-001": _w(350),
    "CT-ND-002": _w(60),
    "CT-ND-003": _w(45),
    # Cement and steel.
    "CT-XM-001": _w(20, 500000, **_CONNECTED),
    "CT-XM-002": _w(60, 900000, risk=True),
    "CT-TH-001": _w(
        320,
        250000,
        risk=True,
        exempt_from_connection=True,
        imported_scrap=True,
        eia_required=True,
    ),
    "CT-TH-002": _w(120, 180000, risk=True, **_CONNECTED),
    # Chemicals.
    "CT-HC-001": _w(300, 60000, risk=True, **_CONNECTED),
    "CT-HC-002": _w(250, 15000, risk=True),
    # Food (not at risk), except the slaughterhouse.
    "CT-TP-001": _w(700, 20000, **_CONNECTED),
    "CT-TP-002": _w(90, 3000),
    "CT-TP-003": _w(25, 800),
    "CT-TP-004": _w(15, 60000),
    "CT-TP-005": _w(20, 90000),
    "CT-TP-006": _w(18, 70000),
    "CT-TP-007": _w(1150, 25000, extra="BOD5"),
    "CT-TP-008": _w(12, 400),
    "CT-TP-009": _w(650, 18000),
    "CT-TP-010": _w(10, 50000),
    "CT-TP-011": _w(120, 4000),
    "CT-TP-012": _w(15, 80000),
    "CT-TP-013": _w(220, 9000, risk=True, extra="BOD5;TN;TP"),
    # Sugar, drinks, beer, rubber.
    "CT-DU-001": _w(1300, 45000, risk=True, extra="BOD5"),
    "CT-DU-002": _w(850, 25000, risk=True),
    "CT-NG-001": _w(800, 60000, **_CONNECTED),
    "CT-NG-002": _w(40, 5000),
    "CT-NG-003": _w(520, 40000),
    "CT-BI-001": _w(1400, 100000, **_CONNECTED),
    "CT-CS-001": _w(150, 8000, risk=True, **_CONNECTED),
    "CT-CS-002": _w(260, 6000, risk=True),
    # Livestock (industrial scale, at risk).
    "CT-CN-001": _w(180, 2500, risk=True, ppc_designated=True),
    "CT-CN-002": _w(30, 1200, risk=True),
    "CT-CN-003": _w(60, 3000, risk=True),
    "CT-CN-004": _w(240, 3500, risk=True),
    # Hospitals (no production capacity).
    "CT-BV-001": _w(600),
    "CT-BV-002": _w(450),
    "CT-BV-003": _w(300),
    "CT-BV-004": _w(520),
    "CT-BV-005": _w(250),
    "CT-BV-006": _w(40),
    # The parks' central wastewater plants.
    "CT-XL-001": _w(6000, extra="BOD5;TN;TP"),
    "CT-XL-002": _w(4000, extra="BOD5;TN;TP"),
    "CT-XL-003": _w(2000),
    "CT-XL-004": _w(1000),
    "CT-XL-005": _w(3000, extra="COLOR"),
    "CT-XL-006": _w(2000),
    # Waste treatment and aquaculture.
    "CT-XT-001": _w(80, 12000, risk=True, hazardous_waste_treatment=True, eia_required=True, extra="HCL;HF"),
    "CT-XT-002": _w(
        250, 146000, risk=True, solid_waste_treatment_provincial=True, eia_required=True, extra="HCL"
    ),
    "CT-NT-001": _w(1500, 900, aquaculture=True),
}


def rule_values(row: dict[str, Any]) -> dict[str, Any]:
    """The rule attributes of a facility row (province_facilities.facility_rows)."""
    values = {
        "in_industrial_park": bool(row["industrial_park"]),
        "central_wwtp": row["industry_type"] == "central_wwtp",
    }
    values.update(ATTRIBUTES[row["code"]])
    return values


@dataclass(frozen=True)
class SourceSeed:
    """An emission source; its code is the facility code and ``suffix``."""

    suffix: str
    kind: str
    fuel: str | None = None
    capacity: float | None = None
    unit: str | None = None
    flow_m3_h: float | None = None


S = SourceSeed
COAL, BIOMASS, HUSK, BAGASSE, GAS = "than đá", "sinh khối (củi, mùn cưa)", "trấu", "bã mía", "natural_gas"
DO_OIL, FO_OIL, ELECTRIC = "dầu DO", "dầu FO", "điện"
STEAM, CLINKER, HOURLY, HEAT = "tấn hơi/giờ", "tấn clinker/ngày", "tấn/giờ", "tấn/mẻ"

SOURCES: dict[str, tuple[SourceSeed, ...]] = {
    # Boilers of manufacturers: no clause reads them (they show "not required").
    "CT-TS-003": (S("LH01", "boiler", HUSK, 6, STEAM, 9000),),
    "CT-TS-007": (S("LH01", "boiler", HUSK, 4, STEAM, 7000), S("SK01", "other", HUSK, None, None, 5000)),
    "CT-TS-010": (S("LH01", "boiler", BIOMASS, 8, STEAM, 12000),),
    "CT-GI-001": (S("LH01", "boiler", COAL, 20, STEAM, 35000),),
    "CT-GI-002": (S("LH01", "boiler", COAL, 25, STEAM, 42000), S("LH02", "boiler", COAL, 15, STEAM, 26000)),
    "CT-GI-003": (S("LH01", "boiler", BIOMASS, 5, STEAM, 8000),),
    "CT-DN-001": (S("LH01", "boiler", COAL, 10, STEAM, 18000), S("DT01", "other", COAL, None, None, 6000)),
    "CT-DN-002": (S("LH01", "boiler", BIOMASS, 6, STEAM, 10000),),
    "CT-TP-001": (S("LH01", "boiler", BIOMASS, 6, STEAM, 9000),),
    "CT-TP-004": (S("SL01", "other", HUSK, None, None, 4000),),
    "CT-TP-007": (S("LH01", "boiler", DO_OIL, 4, STEAM, 6000),),
    "CT-TP-009": (S("LH01", "boiler", BIOMASS, 5, STEAM, 8000),),
    "CT-DU-001": (S("LH01", "boiler", BAGASSE, 60, STEAM, 110000), S("LH02", "boiler", BAGASSE, 40, STEAM, 75000)),
    "CT-DU-002": (S("LH01", "boiler", BAGASSE, 45, STEAM, 80000),),
    "CT-BI-001": (S("LH01", "boiler", BIOMASS, 15, STEAM, 24000),),
    "CT-CS-002": (S("LH01", "boiler", BIOMASS, 2, STEAM, 4000),),
    # Thermal power: combined cycle on natural gas (nothing owed), and two rice-husk plants.
    "CT-ND-001": (
        S("LH01", "boiler", GAS, 420, STEAM, 1900000),
        S("LH02", "boiler", GAS, 420, STEAM, 1900000),
    ),
    "CT-ND-002": (S("LH01", "boiler", HUSK, 45, STEAM, 95000),),
    "CT-ND-003": (S("LH01", "boiler", HUSK, 40, STEAM, 85000), S("LH02", "boiler", DO_OIL, 5, STEAM, 9000)),
    # Cement: a grinding station, and a clinker line.
    "CT-XM-001": (S("NX01", "cement_mill", ELECTRIC, 120, HOURLY, 180000),),
    "CT-XM-002": (
        S("LN01", "clinker_kiln", COAL, 2500, CLINKER, 320000),
        S("LM01", "clinker_cooler", None, 2500, CLINKER, 260000),
        S("NX01", "cement_mill", ELECTRIC, 110, HOURLY, 170000),
    ),
    # Steel: electric arc furnace on imported scrap; an induction furnace at a smaller mill.
    "CT-TH-001": (
        S("HQ01", "electric_arc_furnace", ELECTRIC, 50, HEAT, 450000),
        S("LN01", "other", FO_OIL, None, None, 60000),
    ),
    "CT-TH-002": (
        S("CU01", "induction_furnace", ELECTRIC, 15, HEAT, 90000),
        S("LN01", "other", FO_OIL, None, None, 50000),
    ),
    # Chemicals: sulphuric acid for superphosphate; chlor-alkali for water-treatment chemicals.
    "CT-HC-001": (S("AX01", "h2so4_tower", None, None, None, 40000), S("LH01", "boiler", COAL, 10, STEAM, 18000)),
    "CT-HC-002": (S("DP01", "chlor_alkali", ELECTRIC, None, None, 15000),),
    # Incinerators around the 0,5 t/h threshold.
    "CT-BV-002": (S("LD01", "incinerator", DO_OIL, 450, "kg/h", 6000),),
    "CT-XT-001": (
        S("LD01", "incinerator", DO_OIL, 1.5, "t/h", 22000),
        S("LD02", "incinerator", DO_OIL, 500, "kg/h", 9000),
    ),
    "CT-XT-002": (S("LD01", "incinerator", "chất thải rắn sinh hoạt", 12.5, "t/h", 110000),),
}  # fmt: skip


def source_rows() -> list[dict[str, Any]]:
    """Every demo emission source as the values of its row (``facility_code`` names its facility)."""
    return [
        {
            "facility_code": code,
            "code": f"{code}-{seed.suffix}",
            "source_kind": seed.kind,
            "fuel": seed.fuel,
            "capacity": _number(seed.capacity),
            "capacity_unit": seed.unit,
            "flow_m3_h": _number(seed.flow_m3_h),
        }
        for code, seeds in SOURCES.items()
        for seed in seeds
    ]
