"""The demo's stations, their readings and rollups, and the files through the receiver (a small demo)."""

from __future__ import annotations

import ipaddress
import random
from collections import Counter, defaultdict
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.db import utcnow
from app.demo import signals
from app.demo.files import SENDER
from app.demo.province_facilities import facility_rows
from app.demo.province_rules import source_rows
from app.demo.province_stations import STATION_BY_CODE, STATIONS
from app.demo.services import build_demo
from app.errors import DomainError
from app.extensions import db
from app.facilities.models import Facility
from app.stations.coverage_services import coverage_by_facility
from app.stations.models import Station, StationCertificate, StationStatusChange
from app.stations.services import station_status
from app.telemetry.ingest import QUARANTINED
from app.telemetry.models import ANY_PARAMETER, DataFile, DayRollup, LineError, Reading, ReadingConflict
from app.telemetry.slots import as_bitmap, local_day, popcount, slot_of
from app.telemetry.status import ConnectionStatus

DAYS = 2

# The data, without a database.


def test_station_seeds_are_consistent():
    facilities = {row["code"] for row in facility_rows()}
    sources = {row["code"]: row["facility_code"] for row in source_rows()}
    assert len(STATION_BY_CODE) == len(STATIONS)
    for seed in STATIONS:
        assert "_" not in seed.code and seed.code.isascii() and seed.code.isalnum()
        assert (seed.facility is None) == (seed.kind == "ambient")
        assert seed.facility is None or seed.facility in facilities
        assert seed.source is None or sources[seed.source] == seed.facility
        assert seed.ip is None or ipaddress.ip_address(seed.ip).is_private
        # Only a station whose connection is declared has data or a datalogger address.
        if seed.plan is not None or seed.ip is not None:
            assert seed.installed_days_ago and seed.datalogger
        assert seed.status in set(ConnectionStatus)
    assert {seed.status for seed in STATIONS} == set(ConnectionStatus)
    assert {seed.kind for seed in STATIONS} == {"wastewater", "emission", "ambient"}


@pytest.mark.parametrize(
    ("parameter", "kind", "low", "high"),
    [
        ("pH", "wastewater", 6.5, 8.0),
        ("COD", "wastewater", 20, 120),
        ("TEMP", "wastewater", 24, 38),
        ("DUST", "emission", 10, 150),
        ("O2", "emission", 6, 16),
        ("PM2_5", "ambient", 15, 85),
        ("HUMIDITY", "ambient", 45, 99),
    ],
)
def test_values_are_plausible(parameter, kind, low, high):
    sig = signals.signal(parameter, kind, 1.0, 1.0, random.Random(parameter))
    values = [sig.value(index, sig.drift()) for index in range(signals.SLOTS)]
    assert low <= min(values) < max(values) <= high
    assert max(values) - min(values) > sig.model.amplitude  # a daily cycle, not a flat line


# build_demo, inside the test's transaction.


@pytest.fixture
def demo():
    summary = build_demo(reset=False, days=DAYS)
    stations = {s.code: s for s in db.session.scalars(sa.select(Station))}
    return summary, stations


def test_every_connection_status_is_shown(demo):
    summary, stations = demo
    assert set(stations) == set(STATION_BY_CODE)
    for code, station in stations.items():
        assert station_status(station).status == STATION_BY_CODE[code].status, code
    assert summary["stations"] == dict(Counter(seed.status for seed in STATIONS))
    assert summary["station_statuses"] == {seed.code: seed.status for seed in STATIONS}
    assert set(summary["stations"]) == {str(status) for status in ConnectionStatus}


def test_stations_monitor_what_their_obligations_require(demo):
    _, stations = demo
    facilities = db.session.scalars(
        sa.select(Facility).where(Facility.id.in_([s.facility_id for s in stations.values()]))
    ).all()
    coverages = coverage_by_facility(facilities)
    for facility in facilities:
        for coverage in coverages[facility.id]:
            for target in coverage.targets:
                assert target.missing == [], (facility.code, target.source)
                assert target.stations, (facility.code, target.source)
    assert stations["CTKK01"].facility_id is None and "PM2_5" in stations["CTKK01"].parameters


def test_stations_have_equipment_and_certificates(demo):
    _, stations = demo
    receiving = [s for s in stations.values() if STATION_BY_CODE[s.code].status == "receiving"]
    assert all(s.datalogger_make and s.datalogger_ip and s.installed_at for s in receiving)
    assert all(s.has_sampler for s in receiving if s.kind == "wastewater")
    certificates = db.session.scalars(sa.select(StationCertificate)).all()
    today = local_day(utcnow())
    expired = [c for c in certificates if c.expires_on < today]
    assert len(expired) == 1 and expired[0].station.code == "XL006NT1"
    assert {c.kind for c in certificates} == {"calibration", "inspection"}


def test_last_reading_and_file_follow_the_stored_readings(demo):
    summary, stations = demo
    latest = dict(
        db.session.execute(
            sa.select(Reading.station_id, sa.func.max(Reading.measured_at)).group_by(Reading.station_id)
        ).all()
    )
    for station in stations.values():
        stored = latest.get(station.id)
        if stored is None:
            assert station.last_reading_at is None and station.last_file_at is None, station.code
            continue
        assert station.last_reading_at.replace(tzinfo=None) == stored.replace(tzinfo=None), station.code
        assert station.last_file_at >= station.last_reading_at
    assert summary["readings"] == db.session.scalar(sa.select(sa.func.count()).select_from(Reading))


def test_rollups_match_the_readings_of_a_station_day(demo):
    _, stations = demo
    station = stations["XL002NT1"]
    day = local_day(station.data_expected_from)
    received, valid, hours = defaultdict(set), defaultdict(set), defaultdict(Counter)
    query = sa.select(Reading.parameter, Reading.measured_at, Reading.status).where(
        Reading.station_id == station.id
    )
    for parameter, measured_at, status in db.session.execute(query):
        reading_day, index = slot_of(measured_at)
        if reading_day != day:
            continue
        for key in (parameter, ANY_PARAMETER):
            received[key].add(index)
            if status == 0:
                valid[key].add(index)
                hours[key][index // 12] += key == parameter
    rollups = db.session.scalars(
        sa.select(DayRollup).where(DayRollup.station_id == station.id, DayRollup.day == day)
    ).all()
    assert {r.parameter for r in rollups} == {ANY_PARAMETER, *station.parameters}
    for rollup in rollups:
        assert popcount(as_bitmap(rollup.received)) == len(received[rollup.parameter]) > 200
        assert popcount(as_bitmap(rollup.valid)) == len(valid[rollup.parameter])
        assert as_bitmap(rollup.valid) & ~as_bitmap(rollup.received) == 0
        if rollup.parameter != ANY_PARAMETER:
            assert rollup.hour_counts == [hours[rollup.parameter][hour] for hour in range(24)]
    # Calibrations and device errors leave slots received but not valid.
    statuses = Counter(db.session.scalars(sa.select(Reading.status).where(Reading.station_id == station.id)))
    assert statuses[0] > 0 and set(statuses) <= {0, 1, 2}


def test_files_went_through_the_receiver(demo):
    summary, stations = demo
    assert summary["files"] == {
        "files": 6,
        "accepted": 3,
        "accepted_with_errors": 1,
        "duplicates": 0,
        "quarantined": 2,
        "readings": summary["files"]["readings"],
        "line_errors": 2,
        "conflicts": 1,
    }
    files = db.session.scalars(sa.select(DataFile)).all()
    assert {f.sender for f in files} == {SENDER.label}
    quarantined = {f.quarantine_code for f in files if f.outcome == QUARANTINED}
    assert quarantined == {"unknown_station", "no_valid_line"}
    errors = db.session.scalars(sa.select(LineError).where(LineError.station_id == stations["TS003NT1"].id))
    assert {e.code for e in errors} == {"unknown_parameter", "invalid_status"}
    [conflict] = db.session.scalars(sa.select(ReadingConflict)).all()
    assert conflict.station_id == stations["XL002NT1"].id and conflict.parameter == "COD"
    assert conflict.new_value - conflict.stored_value == 8.5
    # The current cycle arrived as files: the stations' last reading is the build's slot.
    sent = stations["XL001NT1"]
    assert sent.last_file_at - sent.last_reading_at < timedelta(minutes=5)


def test_the_timeline_has_a_step_for_every_station(demo):
    _, stations = demo
    steps = defaultdict(list)
    for change in db.session.scalars(sa.select(StationStatusChange).order_by(StationStatusChange.id)):
        steps[change.station_id].append(change.status)
    for code, station in stations.items():
        assert steps[station.id][-1] == STATION_BY_CODE[code].status, code
    assert steps[stations["TS008NT1"].id] == ["receiving", "lost"]


def test_a_second_build_is_refused_with_the_stations_named(demo):
    with pytest.raises(DomainError, match="flask demo --reset"):
        build_demo(reset=False, days=DAYS)
    assert db.session.scalar(sa.select(sa.func.count(Station.id))) == len(STATIONS)
