"""Inspection pages: planning by risk, scheduling, the record, requests, finalising, the minutes."""

from __future__ import annotations

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.extensions import db
from app.inspections.models import Inspection

SCHEDULE = {
    "decision_number": "125/QĐ-SNNMT",
    "decision_date": "2026-01-05",
    "inspected_on": "2026-01-12",
    "place": "Phường Thốt Nốt",
    "team": "Trần Thị Bích - Trưởng đoàn\nLê Văn Cường - Chuyên viên",
    "period_from": "2025-12-01",
    "period_to": "2025-12-31",
}


def record_data(**extra) -> dict:
    data = {f"record-{k}": v for k, v in SCHEDULE.items()}
    data.update({"record-representatives": "Phạm Minh Đức - Giám đốc", "record-copies": "2"})
    data.update({f"record-{k}": v for k, v in extra.items()})
    return data


def schedule(client, facility) -> Inspection:
    response = client.post(f"/inspections/new?facility={facility.code}", data=SCHEDULE)
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalars(sa.select(Inspection).where(Inspection.facility_id == facility.id)).one()


def test_the_planning_page_ranks_facilities_with_every_part_of_the_score(
    client, login, make_user, facility, stations
):
    login(make_user("leader"))
    page = client.get("/inspections/").get_data(as_text=True)

    assert facility.code in page
    for label in (
        "Hồ sơ vi phạm đang mở",
        "Tỷ lệ dữ liệu hiệu dụng thấp nhất",
        "Số giờ mất kết nối",
        "Số giờ vượt quy chuẩn",
        "Số ngày từ lần kiểm tra",
    ):
        assert label in page
    assert "/inspections/new?facility=" not in page  # a leader reads, does not schedule


def test_an_inspector_schedules_edits_adds_a_request_and_finalises(
    client, login, make_user, facility, stations, tmp_path
):
    login(make_user("inspector"))
    form = client.get(f"/inspections/new?facility={facility.code}").get_data(as_text=True)
    assert "Lý do chọn cơ sở này" in form and "730" in form

    inspection = schedule(client, facility)
    assert inspection.status == "planned" and inspection.risk["parts"][0]["name"] == "open_cases"
    assert inspection.team[0] == {"name": "Trần Thị Bích", "title": "Trưởng đoàn"}

    detail = client.get(f"/inspections/{inspection.id}").get_data(as_text=True)
    assert "NT02" in detail and "Bảng 7." in detail and "5.760" in detail
    # The record's form shows the dates it holds (a date input takes them as YYYY-MM-DD).
    assert 'value="2026-01-05"' in detail and 'value="2025-12-31"' in detail

    saved = client.post(
        f"/inspections/{inspection.id}/edit", data=record_data(findings="Trạm NT02 ngừng gửi.")
    )
    assert saved.status_code == 302
    bad = client.post(
        f"/inspections/{inspection.id}/requests",
        data={"request-text": "Khắc phục", "request-due_on": "2026-01-01"},
    )
    assert bad.status_code == 400 and "Thời hạn trước ngày kiểm tra." in bad.get_data(as_text=True)
    added = client.post(
        f"/inspections/{inspection.id}/requests",
        data={"request-text": "Khắc phục", "request-due_on": "2026-01-27"},
    )
    assert added.status_code == 302

    preview = client.get(f"/inspections/{inspection.id}/preview.pdf")
    assert preview.status_code == 200 and preview.data.startswith(b"%PDF")

    assert client.post(f"/inspections/{inspection.id}/finalise").status_code == 302
    db.session.refresh(inspection)
    assert inspection.status == "finalised" and inspection.findings == "Trạm NT02 ngừng gửi."
    closed = client.get(f"/inspections/{inspection.id}").get_data(as_text=True)
    assert inspection.number_text in closed and inspection.pdf_sha256 in closed
    assert f"/inspections/{inspection.id}/edit" not in closed  # no form to change the record any more
    minutes = client.get(f"/inspections/{inspection.id}/minutes.pdf")
    assert minutes.status_code == 200 and minutes.data.startswith(b"%PDF")

    facility_page = client.get(f"/facilities/{facility.code}").get_data(as_text=True)
    assert (
        inspection.number_text in facility_page
        and f"/inspections/{inspection.id}/minutes.pdf" in facility_page
    )

    # Closed: the record refuses changes; the request is followed up.
    refused = client.post(f"/inspections/{inspection.id}/edit", data=record_data(findings="Sửa"))
    assert refused.status_code == 400
    db.session.refresh(inspection)
    assert inspection.findings == "Trạm NT02 ngừng gửi."
    (item,) = inspection.requests
    client.post(f"/inspections/{inspection.id}/requests/{item.id}/done", data={"done": "1"})
    db.session.refresh(item)
    assert item.status == "done"

    actions = set(
        db.session.scalars(
            sa.select(AuditEvent.action).where(
                AuditEvent.object_type == "inspections", AuditEvent.object_id == str(inspection.id)
            )
        )
    )
    assert actions >= {
        "inspection.scheduled",
        "inspection.updated",
        "inspection.request_added",
        "inspection.finalising",
        "inspection.finalised",
        "inspection.request_done",
    }


def test_bad_input_is_refused_with_the_reason_and_nothing_is_saved(client, login, make_user, facility):
    login(make_user("inspector"))
    data = {**SCHEDULE, "period_from": "2025-12-31", "period_to": "2025-12-01", "team": ""}
    response = client.post(f"/inspections/new?facility={facility.code}", data=data)
    page = response.get_data(as_text=True)

    assert response.status_code == 400
    assert "Hãy ghi ít nhất trưởng đoàn kiểm tra." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Inspection)) == 0
    data = {**SCHEDULE, "period_from": "2025-12-31", "period_to": "2025-12-01"}
    response = client.post(f"/inspections/new?facility={facility.code}", data=data)
    assert response.status_code == 400 and "Ngày bắt đầu kỳ số liệu sau ngày kết thúc." in response.get_data(
        as_text=True
    )
    assert (
        client.post(
            f"/inspections/new?facility={facility.code}", data={**SCHEDULE, "decision_date": "2026-01-32"}
        ).status_code
        == 400
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Inspection)) == 0


def test_a_planned_inspection_cannot_be_finalised_without_a_representative(
    client, login, make_user, facility
):
    login(make_user("inspector"))
    inspection = schedule(client, facility)
    response = client.post(f"/inspections/{inspection.id}/finalise", follow_redirects=True)

    assert "Hãy ghi ít nhất một người đại diện của cơ sở." in response.get_data(as_text=True)
    db.session.refresh(inspection)
    assert inspection.status == "planned"


def test_leaders_read_and_enterprise_users_see_nothing(client, login, make_user, facility):
    login(make_user("inspector"))
    inspection = schedule(client, facility)
    client.post("/logout")

    login(make_user("leader"))
    assert client.get(f"/inspections/{inspection.id}").status_code == 200
    assert client.post(f"/inspections/{inspection.id}/finalise").status_code == 403
    client.post("/logout")

    login(make_user("enterprise", enterprise=facility.enterprise))
    assert client.get("/inspections/").status_code == 403
    assert client.get(f"/inspections/{inspection.id}").status_code == 403
    assert "/inspections/" not in client.get(f"/facilities/{facility.code}").get_data(as_text=True)


def test_an_enterprise_user_gets_its_own_finalised_minutes_only(client, login, make_user, facility, stations):
    login(make_user("inspector"))
    inspection = schedule(client, facility)
    client.post(f"/inspections/{inspection.id}/edit", data=record_data())
    client.post(f"/inspections/{inspection.id}/finalise")
    client.post("/logout")

    login(make_user("enterprise", enterprise=facility.enterprise))
    page = client.get(f"/facilities/{facility.code}").get_data(as_text=True)
    assert f"/inspections/minutes/{inspection.id}.pdf" in page
    own = client.get(f"/inspections/minutes/{inspection.id}.pdf")
    assert own.status_code == 200 and own.data.startswith(b"%PDF")
    client.post("/logout")

    login(make_user("enterprise"))  # another enterprise
    assert client.get(f"/inspections/minutes/{inspection.id}.pdf").status_code == 404


def test_minutes_that_could_not_be_made_say_why_and_the_record_stays_closed(
    client, login, make_user, facility, monkeypatch
):
    from app.inspections import services

    def broken(document):
        raise RuntimeError("phông chữ không đọc được")

    monkeypatch.setattr(services, "render_pdf", broken)
    login(make_user("inspector"))
    inspection = schedule(client, facility)
    client.post(f"/inspections/{inspection.id}/edit", data=record_data())
    client.post(f"/inspections/{inspection.id}/finalise")

    db.session.refresh(inspection)
    assert inspection.status == "finalising" and inspection.number is None
    page = client.get(f"/inspections/{inspection.id}").get_data(as_text=True)
    assert "phông chữ không đọc được" in page


def test_a_planned_inspection_loses_a_request_and_is_cancelled_only_with_a_reason(
    client, login, make_user, facility
):
    login(make_user("inspector"))
    inspection = schedule(client, facility)
    client.post(
        f"/inspections/{inspection.id}/requests",
        data={"request-text": "Bổ sung hồ sơ", "request-due_on": "2026-02-01"},
    )
    (item,) = inspection.requests
    assert client.post(f"/inspections/{inspection.id}/requests/{item.id}/remove").status_code == 302
    db.session.refresh(inspection)
    assert inspection.requests == []

    refused = client.post(f"/inspections/{inspection.id}/cancel", data={"cancel-reason": ""})
    assert refused.status_code == 400
    client.post(f"/inspections/{inspection.id}/cancel", data={"cancel-reason": "Cơ sở tạm ngừng hoạt động"})
    db.session.refresh(inspection)
    assert (inspection.status, inspection.cancel_reason) == ("cancelled", "Cơ sở tạm ngừng hoạt động")
    assert client.post(f"/inspections/{inspection.id}/finalise").status_code == 302
    db.session.refresh(inspection)
    assert inspection.status == "cancelled"  # refused: a cancelled record is closed
