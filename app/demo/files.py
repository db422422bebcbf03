"""A handful of real data files through the receiver, so its pages show each outcome.

The files are written into a temporary folder (never the inbox) and ingested by
``ingest_files`` as one batch from the sender ``demo``, which acts as an
administrator (any station): the current cycle of two stations (one with the
aliases and decimal commas dataloggers use), one file with line errors, a file
re-sending yesterday's cycle with one value changed (a conflict), and two files
quarantined (an unknown station, a file with no valid line).
"""

from __future__ import annotations

import random
import tempfile
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from app.demo.signals import signal, unit
from app.extensions import db
from app.stations.models import Station
from app.telemetry.ingest import IncomingFile, IngestReport, Sender, ingest_files
from app.telemetry.models import Reading
from app.telemetry.slots import slot_floor, to_local

PROVINCE = "CANTHO"
SENDER = Sender("demo")
# The names dataloggers give the parameters (data-format.md's aliases), by canonical code.
ALIASES = {
    "FLOW_IN": "Flow_in",
    "FLOW_OUT": "Flow_out",
    "TEMP": "Temp",
    "NH4": "NH4+",
    "PM2_5": "PM2.5",
    "TEMP_AIR": "Nhiệt độ",
    "HUMIDITY": "RH",
}


def _name(station: Station | None, code: str, moment: datetime) -> str:
    facility = station.facility.code if station is not None and station.facility else "SNNMT"
    return f"{PROVINCE}_{facility}_{code}_{to_local(moment):%Y%m%d%H%M%S}.txt"


def _line(name: str, value: str, unit_text: str, moment: datetime, status: str = "00") -> str:
    return f"{name}\t{value}\t{unit_text}\t{to_local(moment):%Y%m%d%H%M%S}\t{status}"


def scale_of(station: Station) -> float:
    """A station's flow scale: the facility's design flow per hour, or its source's gas flow."""
    if station.kind == "wastewater" and station.facility is not None:
        return max(float(station.facility.wastewater_flow_m3_day or 0) / 24, 1.0)
    if station.kind == "emission" and station.source is not None and station.source.flow_m3_h:
        return float(station.source.flow_m3_h)
    return 20000.0


def _cycle(station: Station, moment: datetime, comma: bool = False) -> list[str]:
    """One measuring cycle of every parameter of a station, as its datalogger writes it."""
    rng = random.Random(f"{station.code}/file")
    index = (to_local(moment).hour * 60 + to_local(moment).minute) // 5
    lines = []
    for parameter in station.parameters:
        sig = signal(parameter, station.kind, scale_of(station), 1.0, rng)
        value = f"{sig.value(index, 0.0):.{sig.model.decimals}f}"
        value = value.replace(".", ",") if comma else value
        lines.append(_line(ALIASES.get(parameter, parameter), value, unit(parameter, station.kind), moment))
    return lines


def _plain(value: Decimal | float) -> str:
    return format(Decimal(str(value)).normalize(), "f")


def _resend(station: Station, moment: datetime) -> tuple[datetime, list[str]]:
    """A stored cycle sent again (a datalogger emptying its buffer), with COD rewritten: a conflict."""
    stored = db.session.execute(
        sa.select(
            Reading.parameter, sa.type_coerce(Reading.value, sa.String), Reading.status, Reading.measured_at
        )
        .where(Reading.station_id == station.id, Reading.measured_at <= moment)
        .order_by(Reading.measured_at.desc())
        .limit(len(station.parameters))
    ).all()
    when = stored[0].measured_at if stored else moment
    lines = []
    for parameter, value, status, measured_at in stored:
        if measured_at != when:
            continue
        shown = Decimal(str(value)) + (Decimal("8.5") if parameter == "COD" else 0)
        lines.append(_line(parameter, _plain(shown), unit(parameter, station.kind), when, f"{status:02d}"))
    return when, lines


def demo_files(now: datetime) -> dict[str, str]:
    """The files to send, by name: the current cycle is the one starting at the build's slot."""
    stations = {s.code: s for s in db.session.scalars(sa.select(Station))}
    cycle = slot_floor(now)
    files: dict[str, str] = {}
    for code, comma in (("XL001NT1", False), ("CTKK01", True)):
        files[_name(stations[code], code, cycle)] = "\n".join(_cycle(stations[code], cycle, comma))
    errors = stations["TS003NT1"]
    lines = _cycle(errors, cycle)
    lines.insert(3, _line("DO", "5.8", "mg/L", cycle))  # no such parameter at a wastewater station
    lines.append(_line("BOD5", "18.4", "mg/L", cycle, "9"))  # no such device status
    files[_name(errors, errors.code, cycle)] = "\r\n".join(lines) + "\r\n"
    conflict = stations["XL002NT1"]
    when, lines = _resend(conflict, cycle - timedelta(days=1))
    if lines:
        files[_name(conflict, conflict.code, when)] = "\n".join(lines)
    # A typo in the station code; a datalogger exporting with semicolons.
    known = stations["XL004NT1"]
    files[_name(known, "XL04NT1", cycle)] = "\n".join(_cycle(known, cycle))
    mill = stations["XM001KT1"]
    files[_name(mill, mill.code, cycle)] = "\n".join(
        line.replace("\t", ";") for line in _cycle(mill, cycle, comma=True)
    )
    return files


def send_files(now: datetime) -> IngestReport:
    """Write the demo's files into a temporary folder and ingest them as received now."""
    files = demo_files(now)
    with tempfile.TemporaryDirectory(prefix="quantrac-demo-") as folder:
        paths = []
        for name, text in files.items():
            path = Path(folder) / name
            path.write_bytes(text.encode("utf-8"))
            paths.append(path)
        return ingest_files([IncomingFile(path, received_at=now) for path in paths], SENDER)
