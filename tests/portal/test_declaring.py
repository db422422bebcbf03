"""Declaring installation and connection, and requesting windows, from the portal."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.extensions import db
from app.portal.services import expectations
from app.stations.models import Declaration, EvidenceFile, ExcuseWindow
from tests.portal.helpers import jpeg_bytes, make_station, pdf_bytes, png_bytes, upload


@pytest.fixture
def setup(make_enterprise, make_facility, make_user, login):
    enterprise = make_enterprise()
    station = make_station(make_facility(enterprise=enterprise), "CT-XL-01")
    user = make_user("enterprise", enterprise=enterprise)
    login(user)
    return {"enterprise": enterprise, "station": station, "user": user}


def installation_form(**overrides):
    data = {
        "installed_on": "2026-01-02",
        "parameters": "cod; PH; FLOW_OUT; TSS",
        "has_camera": "y",
        "datalogger_make": "Envisoft DL-200",
        "note": "Chạy thử 72 giờ",
        "evidence": [upload(pdf_bytes(), "bien-ban.pdf"), upload(png_bytes(), "tu-dieu-khien.pdf")],
    }
    data.update(overrides)
    return data


def evidence_rows(object_type: str, object_id: int) -> list[EvidenceFile]:
    query = sa.select(EvidenceFile).where(
        EvidenceFile.object_type == object_type, EvidenceFile.object_id == object_id
    )
    return list(db.session.scalars(query.order_by(EvidenceFile.id)))


def test_declare_installation_with_evidence(client, setup) -> None:
    response = client.post("/portal/stations/CT-XL-01/installation", data=installation_form())
    assert response.status_code == 302
    [declaration] = db.session.scalars(sa.select(Declaration)).all()
    assert response.headers["Location"].endswith(f"/portal/declarations/{declaration.id}")
    assert (declaration.kind, declaration.status, declaration.station_id) == (
        "installation",
        "pending",
        setup["station"].id,
    )
    assert declaration.declared_by_id == setup["user"].id
    assert declaration.values["installed_on"] == "2026-01-02"
    assert declaration.values["parameters"] == ["FLOW_OUT", "pH", "TSS", "COD"]
    assert declaration.values["has_camera"] is True and declaration.values["has_sampler"] is False
    files = evidence_rows("declarations", declaration.id)
    assert [(f.original_name, f.mime_type) for f in files] == [
        ("bien-ban.pdf", "application/pdf"),
        ("tu-dieu-khien.pdf", "image/png"),
    ]
    assert {f.enterprise_id for f in files} == {setup["enterprise"].id}
    assert {f.uploaded_by_id for f in files} == {setup["user"].id}
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "declaration.created"))
    assert event.actor_label == setup["user"].email and event.object_id == str(declaration.id)
    assert event.changes["evidence"] == [None, ["bien-ban.pdf", "tu-dieu-khien.pdf"]]
    # The station itself is unchanged until an inspector verifies.
    assert setup["station"].installed_at is None


def test_a_declaration_needs_evidence(client, setup) -> None:
    response = client.post("/portal/stations/CT-XL-01/installation", data=installation_form(evidence=[]))
    assert response.status_code == 400
    assert db.session.scalars(sa.select(Declaration)).all() == []


def test_a_refused_file_creates_nothing(client, setup) -> None:
    html = upload(b"<html><body>not an image</body></html>", "anh.png")
    response = client.post(
        "/portal/stations/CT-XL-01/installation",
        data=installation_form(evidence=[upload(jpeg_bytes(), "a.jpg"), html]),
    )
    assert response.status_code == 400
    assert "anh.png" in response.get_data(as_text=True)
    assert db.session.scalars(sa.select(Declaration)).all() == []
    assert db.session.scalars(sa.select(EvidenceFile)).all() == []


def test_unknown_parameters_and_future_dates_are_refused(client, setup) -> None:
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    for overrides in ({"parameters": "COD;BANANA"}, {"installed_on": tomorrow}):
        response = client.post("/portal/stations/CT-XL-01/installation", data=installation_form(**overrides))
        assert response.status_code == 400, overrides
    assert db.session.scalars(sa.select(Declaration)).all() == []


def test_one_pending_declaration_of_a_kind_at_a_time(client, setup) -> None:
    assert client.post("/portal/stations/CT-XL-01/installation", data=installation_form()).status_code == 302
    assert client.post("/portal/stations/CT-XL-01/installation", data=installation_form()).status_code == 400
    assert len(db.session.scalars(sa.select(Declaration)).all()) == 1


def test_declare_connection_keeps_the_local_time(client, setup) -> None:
    data = {
        "connected_since": "2026-01-03 07:30",
        "datalogger_ip": "203.113.10.25",
        "evidence": [upload(pdf_bytes(), "ket-noi.pdf")],
    }
    assert client.post("/portal/stations/ct-xl-01/connection", data=data).status_code == 302
    [declaration] = db.session.scalars(sa.select(Declaration)).all()
    assert declaration.kind == "connection"
    assert declaration.values["connected_since"] == "2026-01-03T07:30"
    assert declaration.values["datalogger_ip"] == "203.113.10.25"


@pytest.mark.parametrize(
    "overrides",
    [
        {"datalogger_ip": "not-an-ip"},
        {"connected_since": "2099-01-01T00:00"},
        {"connected_since": "03/01/2026"},
    ],
)
def test_bad_connection_values_are_refused(client, setup, overrides) -> None:
    data = {
        "connected_since": "2026-01-03T07:30",
        "datalogger_ip": "10.0.0.5",
        "evidence": [upload(pdf_bytes(), "k.pdf")],
    }
    data.update(overrides)
    assert client.post("/portal/stations/CT-XL-01/connection", data=data).status_code == 400
    assert db.session.scalars(sa.select(Declaration)).all() == []


@pytest.mark.parametrize("kind", ["incident", "maintenance", "suspension"])
def test_request_a_window(client, setup, kind) -> None:
    data = {"starts_at": "2026-01-05T08:00", "expected_end_at": "2026-01-05 12:00", "reason": "Mất điện lưới"}
    response = client.post(f"/portal/stations/CT-XL-01/windows/{kind}", data=data)
    assert response.status_code == 302
    [window] = db.session.scalars(sa.select(ExcuseWindow)).all()
    assert response.headers["Location"].endswith(f"/portal/windows/{window.id}")
    assert (window.kind, window.status, window.requested_by_id) == (kind, "pending", setup["user"].id)
    assert window.starts_at == datetime(2026, 1, 5, 1, tzinfo=UTC)
    assert window.expected_end_at == datetime(2026, 1, 5, 5, tzinfo=UTC)
    assert window.ends_at is None
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "window.requested"))
    assert event.actor_label == setup["user"].email and event.reason == "Mất điện lưới"


def test_a_window_ending_before_it_starts_is_refused(client, setup) -> None:
    data = {"starts_at": "2026-01-05T08:00", "expected_end_at": "2026-01-05T08:00", "reason": "x"}
    assert client.post("/portal/stations/CT-XL-01/windows/incident", data=data).status_code == 400
    data = {"starts_at": "2026-01-05T08:00", "expected_end_at": "2026-01-06T08:00", "reason": ""}
    assert client.post("/portal/stations/CT-XL-01/windows/incident", data=data).status_code == 400
    assert db.session.scalars(sa.select(ExcuseWindow)).all() == []


def test_forms_open(client, setup) -> None:
    for path in (
        "installation",
        "connection",
        "windows/incident",
        "windows/maintenance",
        "windows/suspension",
    ):
        assert client.get(f"/portal/stations/CT-XL-01/{path}").status_code == 200, path


def test_what_the_department_expects(make_facility) -> None:
    station = make_station(make_facility())
    assert [e.code for e in expectations(station, [], [])] == ["not_installed", "connection_not_declared"]
    pending = Declaration(
        kind="installation", status="pending", declared_at=datetime(2026, 1, 2, tzinfo=UTC), id=1
    )
    rejected = Declaration(
        kind="connection",
        status="rejected",
        decision_reason="Thiếu ảnh",
        declared_at=datetime(2026, 1, 1, tzinfo=UTC),
        id=2,
    )
    window = ExcuseWindow(kind="incident", status="pending")
    found = expectations(station, [pending, rejected], [window])
    assert [(e.code, e.reason, e.count) for e in found] == [
        ("installation_pending", None, 0),
        ("connection_rejected", "Thiếu ảnh", 0),
        ("windows_pending", None, 1),
    ]
    station.installed_at = date(2026, 1, 2)
    station.data_expected_from = datetime(2026, 1, 3, tzinfo=UTC)
    assert expectations(station, [rejected], []) == []
