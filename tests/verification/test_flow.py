"""From the enterprise's declaration to the inspector's decision, and back to the portal."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.extensions import db
from app.stations.models import Declaration, ExcuseWindow
from app.verification import services
from tests.portal.helpers import make_station, pdf_bytes, png_bytes, upload


@pytest.fixture
def people(make_enterprise, make_facility, make_user):
    enterprise = make_enterprise()
    station = make_station(make_facility(enterprise=enterprise), "CT-GIAY-01", parameters=["COD"])
    return {
        "station": station,
        "enterprise": make_user("enterprise", enterprise=enterprise),
        "inspector": make_user("inspector"),
    }


@pytest.fixture
def as_user(client, login):
    def switch(user):
        client.post("/logout")
        login(user)

    return switch


def declare_both(client) -> tuple[Declaration, Declaration]:
    installation = {
        "installed_on": "2026-01-02",
        "parameters": "FLOW_OUT;pH;COD",
        "has_camera": "y",
        "has_sampler": "y",
        "datalogger_make": "Envisoft DL-200",
        "evidence": [upload(pdf_bytes(), "nghiem-thu.pdf")],
    }
    connection = {
        "connected_since": "2026-01-03T07:30",
        "datalogger_ip": "203.113.10.25",
        "evidence": [upload(png_bytes(), "man-hinh.png")],
    }
    assert client.post("/portal/stations/CT-GIAY-01/installation", data=installation).status_code == 302
    assert client.post("/portal/stations/CT-GIAY-01/connection", data=connection).status_code == 302
    found = db.session.scalars(sa.select(Declaration).order_by(Declaration.id)).all()
    return found[0], found[1]


def events(action: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
    )


def test_full_flow_declare_verify_and_see_the_decision(client, people, as_user) -> None:
    as_user(people["enterprise"])
    installation, connection = declare_both(client)

    as_user(people["inspector"])
    queue = client.get("/verification/")
    assert queue.status_code == 200
    text = queue.get_data(as_text=True)
    assert f"/verification/declarations/{installation.id}" in text
    assert f"/verification/declarations/{connection.id}" in text
    assert text.index(f"/verification/declarations/{installation.id}") < text.index(
        f"/verification/declarations/{connection.id}"
    )  # oldest first
    assert "/verification/evidence/" in text
    assert services.pending_count() == 2
    page = client.get(f"/verification/declarations/{installation.id}")
    assert page.status_code == 200
    for declaration in (installation, connection):
        response = client.post(
            f"/verification/declarations/{declaration.id}/decide",
            data={"verdict": "verify", "reason": "Đủ hồ sơ"},
        )
        assert response.status_code == 302 and response.headers["Location"].endswith("/verification/")

    station = people["station"]
    db.session.refresh(station)
    assert station.installed_at == date(2026, 1, 2)
    assert station.parameters == ["FLOW_OUT", "pH", "COD"]
    assert station.has_camera and station.has_sampler and station.datalogger_make == "Envisoft DL-200"
    assert station.data_expected_from == datetime(2026, 1, 3, 0, 30, tzinfo=UTC)
    assert station.datalogger_ip == "203.113.10.25"
    assert services.pending_count() == 0
    db.session.refresh(installation)
    assert (installation.status, installation.decided_by_id, installation.decision_reason) == (
        "verified",
        people["inspector"].id,
        "Đủ hồ sơ",
    )

    as_user(people["enterprise"])
    detail = client.get(f"/portal/declarations/{installation.id}")
    assert detail.status_code == 200 and "Đủ hồ sơ" in detail.get_data(as_text=True)
    assert "Đủ hồ sơ" in client.get("/portal/stations/CT-GIAY-01").get_data(as_text=True)

    created = events("declaration.created")
    verified = events("declaration.verified")
    assert [e.actor_label for e in created] == [people["enterprise"].email] * 2
    assert [e.actor_label for e in verified] == [people["inspector"].email] * 2
    assert verified[0].reason == "Đủ hồ sơ"
    assert verified[0].changes["installed_at"] == [None, "2026-01-02"]
    updated = events("station.updated")
    assert {e.object_id for e in updated} == {str(station.id)}


def test_reject_needs_a_reason_and_the_enterprise_sees_it(client, people, as_user) -> None:
    as_user(people["enterprise"])
    installation, _ = declare_both(client)
    as_user(people["inspector"])
    url = f"/verification/declarations/{installation.id}/decide"
    assert client.post(url, data={"verdict": "reject", "reason": "  "}).status_code == 400
    db.session.refresh(installation)
    assert installation.status == "pending"
    assert (
        client.post(url, data={"verdict": "reject", "reason": "Thiếu ảnh tủ datalogger"}).status_code == 302
    )
    db.session.refresh(installation)
    assert (installation.status, installation.decision_reason) == ("rejected", "Thiếu ảnh tủ datalogger")
    assert people["station"].installed_at is None
    [event] = events("declaration.rejected")
    assert event.reason == "Thiếu ảnh tủ datalogger" and event.actor_label == people["inspector"].email

    as_user(people["enterprise"])
    assert "Thiếu ảnh tủ datalogger" in client.get("/portal/").get_data(as_text=True)
    # A new declaration may follow a rejection.
    again = {
        "installed_on": "2026-01-02",
        "parameters": "COD",
        "datalogger_make": "X",
        "evidence": [upload(pdf_bytes(), "bo-sung.pdf")],
    }
    assert client.post("/portal/stations/CT-GIAY-01/installation", data=again).status_code == 302


def test_a_decided_declaration_cannot_be_decided_again(client, people, as_user) -> None:
    as_user(people["enterprise"])
    installation, _ = declare_both(client)
    as_user(people["inspector"])
    url = f"/verification/declarations/{installation.id}/decide"
    assert client.post(url, data={"verdict": "verify"}).status_code == 302
    response = client.post(url, data={"verdict": "reject", "reason": "Nhầm"})
    assert response.status_code == 409
    db.session.refresh(installation)
    assert installation.status == "verified" and installation.decision_reason is None
    assert len(events("declaration.verified")) == 1 and events("declaration.rejected") == []


def test_a_concurrent_decision_is_refused(people) -> None:
    declaration = Declaration(
        station_id=people["station"].id, kind="connection", values={"connected_since": "2026-01-03T07:30"}
    )
    db.session.add(declaration)
    db.session.flush()
    # Someone else decides it behind this session's back.
    db.session.execute(
        sa.update(Declaration)
        .where(Declaration.id == declaration.id)
        .values(status="rejected")
        .execution_options(synchronize_session=False)
    )
    assert declaration.status == "pending"
    with pytest.raises(services.AlreadyDecided):
        services.verify_declaration(declaration)
    assert people["station"].data_expected_from is None


def _request(client, kind: str, start: str, end: str) -> ExcuseWindow:
    data = {
        "starts_at": start,
        "expected_end_at": end,
        "reason": "Sự cố bơm",
        "evidence": [upload(pdf_bytes(), "su-co.pdf")],
    }
    assert client.post(f"/portal/stations/CT-GIAY-01/windows/{kind}", data=data).status_code == 302
    return db.session.scalars(sa.select(ExcuseWindow).order_by(ExcuseWindow.id.desc())).first()


def test_window_approval_with_actual_end(client, people, as_user) -> None:
    as_user(people["enterprise"])
    window = _request(client, "incident", "2026-01-05T08:00", "2026-01-06T08:00")
    as_user(people["inspector"])
    assert client.get(f"/verification/windows/{window.id}").status_code == 200
    url = f"/verification/windows/{window.id}/decide"
    bad = {"decide-verdict": "approve", "decide-ends_at": "2026-01-05T07:00"}
    assert client.post(url, data=bad).status_code == 400  # before the start
    good = {
        "decide-verdict": "approve",
        "decide-ends_at": "2026-01-05T15:00",
        "decide-reason": "Đã khắc phục",
    }
    assert client.post(url, data=good).status_code == 302
    db.session.refresh(window)
    assert window.status == "approved" and window.decided_by_id == people["inspector"].id
    assert window.ends_at == datetime(2026, 1, 5, 8, tzinfo=UTC)
    assert window.excused_until == window.ends_at
    [event] = events("window.approved")
    assert event.actor_label == people["inspector"].email and event.reason == "Đã khắc phục"
    # Decided: neither a second decision nor a closing (the end is known) is accepted.
    assert client.post(url, data={"decide-verdict": "reject", "decide-reason": "x"}).status_code == 409
    assert (
        client.post(
            f"/verification/windows/{window.id}/close", data={"close-ends_at": "2026-01-05T16:00"}
        ).status_code
        == 409
    )
    db.session.refresh(window)
    assert window.ends_at == datetime(2026, 1, 5, 8, tzinfo=UTC)

    as_user(people["enterprise"])
    assert "Đã khắc phục" in client.get(f"/portal/windows/{window.id}").get_data(as_text=True)


def test_approved_window_closed_later_once(client, people, as_user) -> None:
    as_user(people["enterprise"])
    window = _request(client, "maintenance", "2026-01-05T08:00", "2026-01-05T12:00")
    as_user(people["inspector"])
    assert (
        client.post(
            f"/verification/windows/{window.id}/decide", data={"decide-verdict": "approve"}
        ).status_code
        == 302
    )
    db.session.refresh(window)
    assert window.ends_at is None and window.excused_until == window.expected_end_at
    assert services.open_windows() == [window]
    close = f"/verification/windows/{window.id}/close"
    assert (
        client.post(close, data={"close-ends_at": "2026-01-05T10:30", "close-reason": "Xong sớm"}).status_code
        == 302
    )
    db.session.refresh(window)
    assert window.ends_at == datetime(2026, 1, 5, 3, 30, tzinfo=UTC)
    assert services.open_windows() == []
    [event] = events("window.closed")
    assert event.reason == "Xong sớm" and event.actor_label == people["inspector"].email
    assert client.post(close, data={"close-ends_at": "2026-01-05T11:00"}).status_code == 409


def test_window_rejection_needs_a_reason(client, people, as_user) -> None:
    as_user(people["enterprise"])
    window = _request(client, "suspension", "2026-01-05T08:00", "2026-02-05T08:00")
    as_user(people["inspector"])
    url = f"/verification/windows/{window.id}/decide"
    assert client.post(url, data={"decide-verdict": "reject"}).status_code == 400
    assert (
        client.post(
            url, data={"decide-verdict": "reject", "decide-reason": "Không có văn bản dừng sản xuất"}
        ).status_code
        == 302
    )
    db.session.refresh(window)
    assert (window.status, window.decision_reason) == ("rejected", "Không có văn bản dừng sản xuất")
    assert [e.reason for e in events("window.rejected")] == ["Không có văn bản dừng sản xuất"]
    # A pending-only closing is refused for a rejected window.
    assert (
        client.post(
            f"/verification/windows/{window.id}/close", data={"close-ends_at": "2026-01-06T08:00"}
        ).status_code
        == 400
    )


def test_navigation_shows_each_role_its_entry(client, people, as_user, make_user) -> None:
    as_user(people["enterprise"])
    text = client.get("/home").get_data(as_text=True)
    assert 'href="/portal/"' in text and 'href="/verification/"' not in text
    declare_both(client)
    as_user(people["inspector"])
    text = client.get("/home").get_data(as_text=True)
    assert 'href="/verification/"' in text and 'href="/portal/"' not in text
    assert 'class="nav-count"' in text and ">2</span>" in text
    as_user(make_user("leader"))
    text = client.get("/home").get_data(as_text=True)
    assert 'href="/verification/"' not in text and 'href="/portal/"' not in text
    assert client.get("/verification/").status_code == 403
