"""The benchmarks' stations and facilities: deterministic, registered through the app's models.

Station ``i`` is ``ST<i:05d>``; two in three are wastewater stations, one in three
emission stations; each station registers 6 to 8 parameters, the ones its files carry.
About 1.25 stations per facility, as in the national set (2,500 stations at 2,000
facilities).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

# (canonical code, the name the datalogger writes, unit, typical value, spread)
WASTEWATER = (
    ("FLOW_OUT", "Flow_out", "m3/h", 35.0, 8.0),
    ("TEMP", "Temp", "oC", 29.0, 1.5),
    ("pH", "pH", "pH", 7.1, 0.3),
    ("TSS", "TSS", "mg/L", 12.0, 4.0),
    ("COD", "COD", "mg/L", 45.0, 10.0),
    ("NH4", "NH4+", "mg/L", 1.2, 0.5),
    ("FLOW_IN", "Flow_in", "m3/h", 36.0, 8.0),
)
EMISSION = (
    ("FLOW_GAS", "Flow", "m3/h", 52000.0, 4000.0),
    ("TEMP_GAS", "Temp", "oC", 140.0, 8.0),
    ("DUST", "Dust", "mg/Nm3", 38.0, 9.0),
    ("SO2", "SO2", "mg/Nm3", 210.0, 40.0),
    ("NOX", "NOx", "mg/Nm3", 320.0, 50.0),
    ("CO", "CO", "mg/Nm3", 95.0, 20.0),
    ("O2", "O2", "%", 9.5, 1.0),
    ("HCL", "HCL", "mg/Nm3", 12.0, 3.0),
)


@dataclass(frozen=True, slots=True)
class StationSpec:
    """One benchmark station: its code, kind, facility and the parameters it sends."""

    index: int
    code: str
    kind: str
    facility: int
    parameters: tuple[tuple[str, str, str, float, float], ...]

    @property
    def codes(self) -> list[str]:
        """Return the canonical codes of its parameters (its registered parameters)."""
        return [parameter[0] for parameter in self.parameters]

    @property
    def facility_code(self) -> str:
        """Return its facility's code."""
        return f"F{self.facility:05d}"


def station_specs(count: int) -> list[StationSpec]:
    """Return ``count`` stations: 6-8 parameters each, about 1.25 stations per facility."""
    specs = []
    for index in range(count):
        if index % 3 == 2:
            kind, parameters = "emission", EMISSION[: 7 + index % 2]
        else:
            kind, parameters = "wastewater", WASTEWATER[: 6 + index % 2]
        specs.append(StationSpec(index, f"ST{index:05d}", kind, index * 4 // 5, parameters))
    return specs


def data_expected_from(first_day: date) -> datetime:
    """Return the moment data is expected from: local midnight 30 days before the first day."""
    from app.telemetry.slots import day_start

    return day_start(first_day - timedelta(days=30))


def create_stations(specs: list[StationSpec], first_day: date) -> dict[str, int]:
    """Insert the stations with their facilities and enterprises; return station ids by code."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.facilities.models import Enterprise, Facility
    from app.stations.models import Station

    facilities = sorted({spec.facility for spec in specs})
    enterprise_ids = {}
    for number in facilities:
        enterprise = Enterprise(name=f"Công ty {number:05d}")
        db.session.add(enterprise)
        enterprise_ids[number] = enterprise
    db.session.flush()
    facility_rows = {
        number: Facility(code=f"F{number:05d}", name=f"Nhà máy {number:05d}", enterprise_id=enterprise.id)
        for number, enterprise in enterprise_ids.items()
    }
    db.session.add_all(facility_rows.values())
    db.session.flush()
    expected = data_expected_from(first_day)
    db.session.execute(
        sa.insert(Station),
        [
            {
                "code": spec.code,
                "code_key": spec.code.lower(),
                "kind": spec.kind,
                "facility_id": facility_rows[spec.facility].id,
                "parameters": spec.codes,
                "installed_at": expected.date(),
                "data_expected_from": expected,
            }
            for spec in specs
        ],
    )
    return dict(db.session.execute(sa.select(Station.code, Station.id)).tuples().all())
