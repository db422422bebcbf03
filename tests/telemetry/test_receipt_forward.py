"""Forwarding to the Ministry: a real FTP server on 127.0.0.1 in a thread stands for the destination."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import render_template_string

from app.db import commit, utcnow
from app.extensions import db
from app.jobs.dispatch import defer_job
from app.jobs.models import JobRun
from app.settings import services as settings
from app.telemetry import archive
from app.telemetry.forward import forward_pending, forward_summary, pause_after, province_forward_overview
from app.telemetry.ingest import IncomingFile, Sender, ingest_files
from app.telemetry.models import DataFile
from tests.telemetry.receipt_helpers import (
    LOOPBACK,
    destination_server,
    file_bytes,
    file_name,
    free_port,
    make_station,
    serving,
)


@pytest.fixture
def station(make_facility):
    return make_station(make_facility(), "NT1")


def receive(
    tmp_path: Path, station, value: str = "7.12", minute: int = 35, name: str | None = None
) -> DataFile:
    """Ingest one file of the station (as the administrator) and return its record."""
    from datetime import datetime

    name = name or file_name(station.code, datetime(2026, 1, 15, 10, minute))
    path = tmp_path / "received" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(file_bytes(datetime(2026, 1, 15, 10, minute), value))
    ingest_files([IncomingFile(path, utcnow(), False)], Sender("admin"))
    return db.session.scalar(sa.select(DataFile).where(DataFile.original_name == name))


def enable(port: int, folder: str = "/incoming", **extra) -> None:
    settings.update(
        {
            "receipt.forward_enabled": 1,
            "receipt.forward_host": LOOPBACK,
            "receipt.forward_port": port,
            "receipt.forward_user": "ministry",
            "receipt.forward_password": "secret-pw",
            "receipt.forward_folder": folder,
            **extra,
        }
    )


@pytest.fixture
def ministry(tmp_path):
    """The destination: its root folder and its (host, port), running for the test."""
    folder = tmp_path / "ministry"
    (folder / "incoming").mkdir(parents=True)
    with serving(destination_server(folder)) as address:
        yield folder / "incoming", address


def test_accepted_files_reach_the_ministry_with_their_bytes_unchanged(tmp_path, station, ministry):
    incoming, (_, port) = ministry
    enable(port)
    data_file = receive(tmp_path, station)
    quarantined = receive(tmp_path, station, value="8.0", name="not-a-data-name.txt")
    assert quarantined.outcome == "quarantined"

    result = forward_pending(utcnow(), after_each=commit)

    assert result == {"enabled": True, "queued": 1, "sent": 1, "failed_attempts": 0}
    assert [p.name for p in incoming.iterdir()] == [data_file.original_name]
    assert (incoming / data_file.original_name).read_bytes() == archive.read(data_file.archive_path)
    assert data_file.forward_status == "sent" and data_file.forward_attempts == 0
    assert data_file.forwarded_at >= data_file.received_at
    assert quarantined.forward_status == "not_applicable"
    assert forward_pending(utcnow())["sent"] == 0  # sent once only


def test_nothing_is_forwarded_while_off_nor_what_came_before(tmp_path, station, ministry):
    incoming, (_, port) = ministry
    before = receive(tmp_path, station, minute=30)
    assert forward_pending(utcnow()) == {"enabled": False}
    enable(port)
    before.received_at -= timedelta(seconds=5)
    after = receive(tmp_path, station, minute=40)
    forward_pending(utcnow())
    assert (before.forward_status, after.forward_status) == ("not_applicable", "sent")
    assert [p.name for p in incoming.iterdir()] == [after.original_name]


def test_a_server_without_renames_gets_the_file_stored_directly(tmp_path, station):
    folder = tmp_path / "norename"
    folder.mkdir()
    server = destination_server(folder)
    server.handler.authorizer.user_table["ministry"]["perm"] = "elrwd"  # no rename ("f")
    with serving(server) as (_, port):
        enable(port, folder="")
        data_file = receive(tmp_path, station)
        assert forward_pending(utcnow())["sent"] == 1
    assert [p.name for p in folder.iterdir()] == [data_file.original_name]
    assert data_file.forward_status == "sent"


def test_a_down_destination_is_retried_with_pauses_then_failed(tmp_path, station, client, make_user, login):
    enable(free_port(), **{"receipt.forward_max_attempts": 3})
    data_file = receive(tmp_path, station)
    now = utcnow()

    assert forward_pending(now)["failed_attempts"] == 1
    assert (data_file.forward_status, data_file.forward_attempts) == ("pending", 1)
    assert "cannot reach" in data_file.forward_error
    assert forward_pending(now + timedelta(seconds=30))["failed_attempts"] == 0  # pausing
    forward_pending(now + pause_after(1) + timedelta(seconds=1))
    assert data_file.forward_attempts == 2
    forward_pending(now + pause_after(1) + pause_after(2) + timedelta(seconds=2))
    assert (data_file.forward_status, data_file.forward_attempts) == ("failed", 3)
    assert forward_pending(now + timedelta(days=1))["failed_attempts"] == 0  # given up

    summary = forward_summary(station)
    assert (summary.state, summary.failed, summary.reaches) == ("failing", 1, False)
    assert "cannot reach" in summary.last_error

    login(make_user("admin"))
    response = client.post(
        "/telemetry/accounts/forwarding/retry", data={"station_id": station.id, "next": "/stations/"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/stations/")
    assert (data_file.forward_status, data_file.forward_attempts, data_file.forward_error) == (
        "pending",
        0,
        None,
    )


def test_the_forward_job_runs_on_the_ingest_queue(tmp_path, station, ministry):
    incoming, (_, port) = ministry
    enable(port)
    data_file = receive(tmp_path, station)
    commit()
    run = defer_job("telemetry.forward_pending")
    commit()  # runs inline in the tests' sync mode
    run = db.session.get(JobRun, run.id)
    assert run.status == "finished", run.error
    assert (run.queue, run.result["sent"]) == ("ingest", 1)
    db.session.refresh(data_file)
    assert data_file.forward_status == "sent"


def test_the_forward_summary_and_the_province_overview(tmp_path, station, make_facility):
    enable(free_port())
    late_station = make_station(make_facility(), "LATE1")
    sent = receive(tmp_path, station, minute=35)
    waiting = receive(tmp_path, late_station, minute=40)
    now = utcnow()
    sent.forward_status, sent.received_at = "sent", now - timedelta(minutes=10)
    sent.forwarded_at = sent.received_at + timedelta(seconds=95)
    waiting.forward_status, waiting.received_at = "pending", now - timedelta(minutes=20)
    db.session.flush()

    summary = forward_summary(station, now)
    assert (summary.state, summary.reaches, summary.last_name) == ("ok", True, sent.original_name)
    assert summary.delay == timedelta(seconds=95)
    assert forward_summary(late_station, now).state == "late"
    assert forward_summary(make_station(make_facility(), "NEW1"), now).state == "none"

    overview = province_forward_overview(now)
    assert overview.enabled and overview.configured
    assert [(row.station_code, row.state) for row in overview.stations] == [("LATE1", "late"), ("NT1", "ok")]
    assert (overview.pending, overview.failed, overview.sent_last_day, overview.reaching) == (1, 0, 1, 1)
    assert overview.worst_delay == timedelta(seconds=95)

    settings.update({"receipt.forward_enabled": 0})
    assert forward_summary(station, now).state == "off"


def test_the_status_partial_shows_the_delay_and_the_retry_button(app, station, make_user, tmp_path):
    enable(free_port())
    data_file = receive(tmp_path, station)
    data_file.forward_status, data_file.forward_error = "failed", "550 refused"
    db.session.flush()
    template = '{% include "telemetry/_forward_status.html" %}'
    from flask_login import login_user

    with app.test_request_context("/stations/"):
        login_user(make_user("admin"))
        page = render_template_string(template, forward=forward_summary(station))
    assert "550 refused" in page and 'name="station_id"' in page
    with app.test_request_context("/stations/"):
        login_user(make_user("inspector"))
        page = render_template_string(template, forward=forward_summary(station))
    assert 'name="station_id"' not in page
