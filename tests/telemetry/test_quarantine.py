"""Quarantined files: release after fixing the cause, and the receipt pages by role."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.extensions import db
from app.telemetry.models import ParameterAlias
from tests.telemetry.ingest_helpers import (
    at,
    file_name,
    files,
    ingest,
    line,
    line_errors,
    new_station,
    readings,
    run,
    write,
)


@pytest.fixture
def quarantined(app, tmp_path):
    """A file of a station not registered yet, with one unknown parameter name."""
    write(
        tmp_path,
        file_name("NT7", at(10, 0)),
        [line("pH", "7", at(10, 0)), line("Nhu cau oxy", "40", at(10, 0))],
    )
    assert ingest(app, tmp_path)["quarantined"] == 1
    [data_file] = files()
    return data_file


def test_release_fails_while_the_cause_is_not_fixed(app, quarantined):
    result = run(app, "release", quarantined.id)

    assert result.exit_code == 1 and "NT7" in result.stderr
    db.session.expire_all()
    assert quarantined.outcome == "quarantined" and quarantined.released_at is None


def test_release_after_registering_the_station_ingests_it_as_received_now(app, quarantined):
    station = new_station("NT7")
    before = datetime.now(UTC)

    result = run(app, "release", quarantined.id, "--note", "station registered")

    assert result.exit_code == 0, result.stderr
    db.session.expire_all()
    assert quarantined.outcome == "accepted_with_errors"
    assert quarantined.station_id == station.id and quarantined.quarantine_code is None
    assert quarantined.released_at >= before and quarantined.received_at == quarantined.released_at
    assert [r.parameter for r in readings(station)] == ["pH"]
    assert [e.code for e in line_errors(quarantined)] == ["unknown_parameter"]
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "telemetry.file_released"))
    assert event.object_id == str(quarantined.id) and event.reason == "station registered"
    assert event.actor_label.startswith("cli:")
    assert run(app, "release", quarantined.id).exit_code == 1, "only a quarantined file is released"


def test_release_from_the_page_after_adding_an_alias(app, client, login, make_user, quarantined):
    station = new_station("NT7")
    db.session.add(
        ParameterAlias(
            kind="wastewater",
            station_id=station.id,
            alias="Nhu cau oxy",
            alias_key="nhu cau oxy",
            parameter="COD",
        )
    )
    db.session.flush()
    admin = make_user("admin")
    login(admin)

    response = client.post(f"/telemetry/files/{quarantined.id}/release", data={"note": "alias added"})

    assert response.status_code == 302
    db.session.expire_all()
    assert quarantined.outcome == "accepted" and quarantined.released_by_id == admin.id
    assert sorted(r.parameter for r in readings(station)) == ["COD", "pH"]
    assert line_errors(quarantined) == []


def test_a_failed_release_from_the_page_changes_nothing(app, client, login, make_user, quarantined):
    login(make_user("admin"))

    response = client.post(f"/telemetry/files/{quarantined.id}/release", data={})

    assert response.status_code == 302
    db.session.expire_all()
    assert quarantined.outcome == "quarantined" and quarantined.released_at is None


@pytest.mark.parametrize(
    ("role", "quarantine", "log", "file"),
    [
        ("admin", 200, 200, 200),
        ("inspector", 403, 200, 200),
        ("leader", 403, 403, 403),
        ("enterprise", 403, 403, 403),
    ],
)
def test_pages_are_reachable_only_by_their_roles(
    app, client, login, make_user, quarantined, role, quarantine, log, file
):
    login(make_user(role))

    assert client.get("/telemetry/quarantine").status_code == quarantine
    assert client.get("/telemetry/files").status_code == log
    assert client.get(f"/telemetry/files/{quarantined.id}").status_code == file
    release = client.post(f"/telemetry/files/{quarantined.id}/release")
    assert release.status_code == (302 if role == "admin" else 403)


def test_the_quarantine_page_shows_the_file_its_reason_and_a_release_button(
    app, client, login, make_user, quarantined
):
    login(make_user("admin"))

    listing = client.get("/telemetry/quarantine").get_data(as_text=True)
    detail = client.get(f"/telemetry/files/{quarantined.id}").get_data(as_text=True)

    assert quarantined.original_name in listing and "ftp" not in quarantined.sender
    assert quarantined.sender in listing
    assert "NT7" in listing
    assert f"/telemetry/files/{quarantined.id}/release" in detail


def test_the_ingest_log_filters_by_station_and_outcome(app, client, login, make_user, tmp_path):
    new_station("NT1")
    write(tmp_path, file_name("NT1", at(10, 0)), [line("pH", "7", at(10, 0))])
    write(tmp_path, file_name("NT2", at(10, 0)), [line("pH", "8", at(10, 0))])
    ingest(app, tmp_path)
    login(make_user("inspector"))

    accepted = client.get("/telemetry/files?outcome=accepted").get_data(as_text=True)
    by_station = client.get("/telemetry/files?station=nt1").get_data(as_text=True)
    quarantined = client.get("/telemetry/files?outcome=quarantined").get_data(as_text=True)
    unknown = client.get("/telemetry/files?station=NT2").get_data(as_text=True)

    assert file_name("NT1", at(10, 0)) in accepted and file_name("NT2", at(10, 0)) not in accepted
    assert file_name("NT1", at(10, 0)) in by_station and file_name("NT2", at(10, 0)) not in by_station
    assert file_name("NT2", at(10, 0)) in quarantined
    assert file_name("NT2", at(10, 0)) not in unknown and file_name("NT1", at(10, 0)) not in unknown
