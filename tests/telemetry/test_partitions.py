"""Monthly partitions of the readings on PostgreSQL: created ahead, idempotent, the default kept."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from app.telemetry import partitions
from tests.conftest import app_config

pytestmark = pytest.mark.own_database


def test_month_arithmetic_and_local_bounds():
    assert partitions.add_months(date(2026, 11, 1), 2) == date(2027, 1, 1)
    assert partitions.partition_name(date(2027, 1, 1)) == "readings_p202701"
    start, end = partitions.month_bounds(date(2026, 12, 15))
    assert start.isoformat() == "2026-12-01T00:00:00+07:00"
    assert end.isoformat() == "2027-01-01T00:00:00+07:00"


@pytest.fixture
def pg_app(postgres_url, own_database, tmp_path):
    from flask_migrate import upgrade

    application = create_app(app_config(own_database, str(tmp_path / "instance")))
    with application.app_context():
        upgrade()
        yield application
        db.session.remove()
        db.engine.dispose()


def where_rows_are() -> list[str]:
    query = sa.text("SELECT tableoid::regclass::text FROM readings ORDER BY measured_at")
    return list(db.session.scalars(query))


def test_partitions_are_created_ahead_idempotently(pg_app):
    first = partitions.create_partitions(today=date(2026, 11, 23))
    db.session.commit()
    second = partitions.create_partitions(today=date(2026, 11, 30))
    db.session.commit()

    assert first.created == ["readings_p202611", "readings_p202612", "readings_p202701"]
    assert second.as_dict() == {"created": [], "existing": first.created, "skipped": []}
    assert partitions.existing_partitions() == ["readings_default", *first.created]


def insert_readings(station_id: int, *moments: str) -> None:
    for moment in moments:
        db.session.execute(
            sa.text("INSERT INTO readings VALUES (:s, 'pH', :t, 7, 0, 1, now())"),
            {"s": station_id, "t": moment},
        )
    db.session.commit()


def test_a_month_whose_rows_sit_in_the_default_partition_is_skipped(pg_app, make_station_pg):
    insert_readings(make_station_pg(), "2026-12-01 00:00+07", "2027-02-10 10:00+07")

    report = partitions.create_partitions(today=date(2026, 12, 1))
    db.session.commit()

    assert report.created == ["readings_p202701"]
    assert report.skipped == ["readings_p202612", "readings_p202702"]
    assert where_rows_are() == ["readings_default", "readings_default"]


def test_a_partition_holds_one_local_month(pg_app, make_station_pg):
    partitions.create_partitions(today=date(2026, 12, 15), months_ahead=0)
    db.session.commit()

    insert_readings(make_station_pg(), "2026-11-30 23:59+07", "2026-12-01 00:00+07", "2026-12-31 23:59:59+07")

    assert where_rows_are() == ["readings_default", "readings_p202612", "readings_p202612"]


def test_the_cli_and_the_job_create_partitions(pg_app):
    result = pg_app.test_cli_runner().invoke(args=["telemetry", "partitions"])

    assert result.exit_code == 0 and result.stdout.startswith("created: readings_p")
    from app.telemetry.jobs import create_partitions_job

    assert create_partitions_job(None)["created"] == []


@pytest.fixture
def make_station_pg(pg_app):
    def make() -> int:
        from app.facilities.models import Enterprise, Facility
        from app.stations.models import Station

        enterprise = Enterprise(name="E")
        db.session.add(enterprise)
        db.session.flush()
        facility = Facility(code="F1", name="F", enterprise_id=enterprise.id)
        db.session.add(facility)
        db.session.flush()
        station = Station(
            code="NT1", code_key="nt1", kind="wastewater", facility_id=facility.id, parameters=[]
        )
        db.session.add(station)
        db.session.commit()
        return station.id

    return make
