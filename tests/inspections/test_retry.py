"""Minutes whose job failed every attempt: the record page says why, staff try again (audited),
the retry never takes a second register number nor stores a second PDF; and the minutes' public
verification page (the notices' /v/<token>)."""

from __future__ import annotations

import io
import os

import pytest
import sqlalchemy as sa
from flask import current_app

from app.audit.models import AuditEvent
from app.db import commit
from app.extensions import db
from app.inspections import minutes, services
from app.inspections.models import Inspection
from app.jobs.models import JobRun
from app.jobs.runner import run_job
from app.notices import numbering
from tests.inspections.test_views import record_data, schedule


def _broken(*args, **kwargs):
    raise RuntimeError("Không đọc được phông chữ của văn bản")


def fail_every_attempt(inspection: Inspection) -> JobRun:
    """Run the render job until it has used all its attempts (the first ran at commit)."""
    run = services.render_run(inspection)
    while run.status != "failed":
        run.run_after = None
        commit()
        run_job(run.id)
        db.session.refresh(run)
    return run


def stored_pdfs() -> list[str]:
    folder = os.path.join(current_app.instance_path, minutes.PDF_FOLDER)
    return [name for _, _, names in os.walk(folder) for name in names if name.endswith(".pdf")]


@pytest.fixture
def finalising(make_user, facility, stations, plan, monkeypatch):
    """A record finalised while rendering is broken: all the job's attempts failed."""
    inspection = services.schedule_inspection(facility, plan, make_user("inspector"))
    services.update_record(inspection, {"representatives": [{"name": "Phạm Minh Đức", "title": ""}]})
    monkeypatch.setattr(services, "render_pdf", _broken)
    services.finalise_inspection(inspection, None, "http://localhost/")
    commit()
    fail_every_attempt(inspection)
    monkeypatch.undo()
    db.session.refresh(inspection)
    return inspection


@pytest.fixture
def inspector(login, make_user):
    """An inspector logged in."""
    return login(make_user("inspector"))


def test_a_failed_render_is_shown_and_tried_again_once_with_one_number_and_one_pdf(
    client, finalising, inspector
):
    inspection = finalising
    before = numbering.last_number(minutes.REGISTER, 2026)
    pdfs = stored_pdfs()
    assert inspection.status == "finalising" and inspection.number is None

    page = client.get(f"/inspections/{inspection.id}").get_data(as_text=True)
    assert "Không lập được biên bản" in page and "Không đọc được phông chữ của văn bản" in page
    assert "Traceback" not in page  # the reason in one line, not the trace
    assert f"/inspections/{inspection.id}/retry" in page

    assert client.post(f"/inspections/{inspection.id}/retry").status_code == 302
    db.session.refresh(inspection)
    assert inspection.status == "finalised"
    assert inspection.number == before + 1 == numbering.last_number(minutes.REGISTER, 2026)
    assert len(stored_pdfs()) == len(pdfs) + 1
    runs = db.session.scalars(
        sa.select(JobRun).where(JobRun.name == services.RENDER_JOB).order_by(JobRun.id)
    ).all()
    assert [r.status for r in runs] == ["failed", "finished"]
    assert runs[1].dedupe_key == services.render_key(inspection)
    audit = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "inspection.minutes_retried")
    ).one()
    assert audit.object_id == str(inspection.id)
    assert audit.reason == "RuntimeError: Không đọc được phông chữ của văn bản"

    # Done: a second retry is refused and changes nothing.
    client.post(f"/inspections/{inspection.id}/retry")
    db.session.refresh(inspection)
    assert numbering.last_number(minutes.REGISTER, 2026) == before + 1
    assert len(stored_pdfs()) == len(pdfs) + 1
    page = client.get(f"/inspections/{inspection.id}").get_data(as_text=True)
    assert f"/inspections/{inspection.id}/retry" not in page


def test_a_retry_keeps_the_number_the_record_already_holds(client, finalising, inspector):
    inspection = finalising
    kept = numbering.take_number(minutes.REGISTER, 2026)
    inspection.number, inspection.year = kept, 2026
    commit()

    assert client.post(f"/inspections/{inspection.id}/retry").status_code == 302
    db.session.refresh(inspection)
    assert inspection.status == "finalised" and inspection.number == kept
    assert numbering.last_number(minutes.REGISTER, 2026) == kept


def test_a_retry_is_refused_while_the_job_still_has_attempts(
    client, login, make_user, facility, stations, monkeypatch
):
    login(make_user("inspector"))
    inspection = schedule(client, facility)
    client.post(f"/inspections/{inspection.id}/edit", data=record_data())
    monkeypatch.setattr(services, "render_pdf", _broken)
    client.post(f"/inspections/{inspection.id}/finalise")
    run = services.render_run(inspection)
    assert run.status == "pending" and run.attempts == 1

    page = client.get(f"/inspections/{inspection.id}").get_data(as_text=True)
    assert "hệ thống sẽ thử lại" in page and f"/inspections/{inspection.id}/retry" not in page
    client.post(f"/inspections/{inspection.id}/retry")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(JobRun)) == 1


def test_a_leader_reads_the_failure_but_cannot_try_again(client, finalising, login, make_user):
    login(make_user("leader"))
    page = client.get(f"/inspections/{finalising.id}").get_data(as_text=True)
    assert "Không lập được biên bản" in page and f"/inspections/{finalising.id}/retry" not in page
    assert client.post(f"/inspections/{finalising.id}/retry").status_code == 403


def test_the_minutes_carry_a_link_to_the_public_verification_page(client, finalising, inspector, app):
    inspection = finalising
    client.post(f"/inspections/{inspection.id}/retry")
    db.session.refresh(inspection)
    with open(os.path.join(current_app.instance_path, inspection.pdf_path), "rb") as stream:
        data = stream.read()
    client = app.test_client()  # anyone, not logged in

    page = client.get(f"/v/{inspection.verify_token}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for expected in (inspection.number_text, "12/01/2026", inspection.facility.name, inspection.pdf_sha256):
        assert expected in text
    same = client.post(f"/v/{inspection.verify_token}", data={"file": (io.BytesIO(data), "bb.pdf")}).get_data(
        as_text=True
    )
    assert "trùng khớp" in same
    altered = client.post(
        f"/v/{inspection.verify_token}", data={"file": (io.BytesIO(data + b"\n"), "bb.pdf")}
    ).get_data(as_text=True)
    assert "khác với" in altered
    assert client.get("/v/" + "x" * 43).status_code == 404


def test_minutes_not_yet_finalised_have_no_verification_page(finalising, app):
    assert finalising.verify_token
    assert app.test_client().get(f"/v/{finalising.verify_token}").status_code == 404
