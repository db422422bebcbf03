"""Property: the rollups kept at ingest time equal what a scan of the stored readings gives."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.telemetry.ingest import IncomingFile, Sender, ingest_files
from app.telemetry.models import ANY_PARAMETER, DayRollup, Reading
from app.telemetry.slots import from_bytes, slot_of
from tests.telemetry.ingest_helpers import at, file_name, line, new_station

RECEIVED = datetime(2027, 1, 1, tzinfo=UTC)
ORIGIN = at(0, 0)
PARAMETERS = ("pH", "COD", "TSS")

reading = st.tuples(
    st.integers(0, 1),  # station
    st.sampled_from(PARAMETERS),
    st.integers(0, 2 * 1440 - 1),  # minute of a two-day span
    st.integers(0, 59),  # second
    st.integers(-500, 5000),  # value in hundredths
    st.sampled_from(["00", "0", "01", "02"]),
    st.integers(0, 3),  # file
)


def scan(station_ids: list[int]) -> dict:
    """Rollups recomputed from the stored readings, slot by slot."""
    expected: dict = {}
    query = sa.select(Reading).where(Reading.station_id.in_(station_ids))
    for row in db.session.scalars(query):
        day, index = slot_of(row.measured_at)
        for parameter in (row.parameter, ANY_PARAMETER):
            entry = expected.setdefault(
                (row.station_id, parameter, day), {"received": 0, "valid": 0, "sums": defaultdict(float)}
            )
            entry["received"] |= 1 << index
            if row.status == 0:
                entry["valid"] |= 1 << index
                if parameter != ANY_PARAMETER:
                    entry["sums"][index // 12] += float(row.value)
                    entry["sums"][(index // 12, "n")] += 1
    return expected


def stored(station_ids: list[int]) -> dict:
    query = sa.select(DayRollup).where(DayRollup.station_id.in_(station_ids))
    return {(r.station_id, r.parameter, r.day): r for r in db.session.scalars(query)}


@pytest.fixture
def two_stations():
    return [new_station("NT1"), new_station("NT2")]


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(reading, min_size=1, max_size=40))
def test_rollups_equal_a_scan_of_the_readings(app, two_stations, tmp_path_factory, drawn):
    folder = tmp_path_factory.mktemp("files")
    contents: dict[tuple[int, int], list[str]] = defaultdict(list)
    for station, parameter, minute, second, hundredths, status, file in drawn:
        moment = ORIGIN + timedelta(minutes=minute, seconds=second)
        value = str(Decimal(hundredths) / 100)
        contents[(station, file)].append(line(parameter, value, moment, status=status))
    paths = []
    for (station, file), lines in sorted(contents.items()):
        path = folder / str(file) / file_name(two_stations[station].code, ORIGIN)
        path.parent.mkdir(exist_ok=True)
        path.write_text("\n".join(lines))
        paths.append(path)
    ids = [station.id for station in two_stations]
    savepoint = db.session.begin_nested()
    try:
        # Two batches: the second merges into rollups the first stored.
        for batch in (paths[::2], paths[1::2]):
            ingest_files([IncomingFile(path, RECEIVED) for path in batch], Sender("admin"))
        expected, found = scan(ids), stored(ids)
        assert set(found) == set(expected)
        for key, entry in expected.items():
            row = found[key]
            assert from_bytes(row.received) == entry["received"], key
            assert from_bytes(row.valid) == entry["valid"], key
            if key[1] == ANY_PARAMETER:
                assert row.hour_sums is None
                continue
            for hour in range(24):
                assert row.hour_counts[hour] == entry["sums"].get((hour, "n"), 0)
                assert row.hour_sums[hour] == pytest.approx(entry["sums"].get(hour, 0.0), abs=1e-6)
        before = {key: (r.received, r.valid, r.hour_sums) for key, r in found.items()}
        again = ingest_files([IncomingFile(path, RECEIVED) for path in paths], Sender("admin"))
        db.session.expire_all()
        assert again.readings == 0 and again.duplicates == again.files
        assert {key: (r.received, r.valid, r.hour_sums) for key, r in stored(ids).items()} == before
    finally:
        savepoint.rollback()
        db.session.expire_all()


def test_every_reading_has_its_station_rollup_so_its_station_cannot_go(app, two_stations, tmp_path):
    """Readings carry no foreign key: the day rollup written with each one keeps its station."""
    station = two_stations[0]
    path = tmp_path / file_name(station.code, ORIGIN)
    path.write_text("\n".join([line("pH", "7.1", ORIGIN), line("COD", "40", ORIGIN + timedelta(days=1))]))
    ingest_files([IncomingFile(path, RECEIVED)], Sender("admin"))
    days = {slot_of(row.measured_at)[0] for row in db.session.scalars(sa.select(Reading))}
    assert days and days == {
        day for (_id, parameter, day) in stored([station.id]) if parameter == ANY_PARAMETER
    }
    savepoint = db.session.begin_nested()
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.delete(type(station)).where(type(station).id == station.id))
    savepoint.rollback()
