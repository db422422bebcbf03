"""The HTTP receiver: ``POST /api/v1/stations/<code>/files`` with an upload token."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.db import commit, utcnow
from app.extensions import db
from app.telemetry import accounts, http_views
from app.telemetry.models import DataFile
from app.telemetry.receipt_jobs import scan_and_ingest
from tests.telemetry.receipt_helpers import age, file_bytes, file_name, make_station


@pytest.fixture
def root(app, tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "inbox"
    monkeypatch.setitem(app.config, "TELEMETRY_INBOX", str(folder))
    return folder


@pytest.fixture
def site(root, make_facility):
    """Station A1 of facility A with a token of its own; station B1 of another facility."""
    facility_a = make_facility()
    a1 = make_station(facility_a, "A1")
    b1 = make_station(make_facility(), "B1")
    account, token = accounts.create_account("http", station_id=a1.id)
    commit()
    return {"A1": a1, "B1": b1, "account": account, "token": token}


def post(client, code: str, token: str | None, data: bytes, name: str | None = None, **headers):
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if name is not None:
        headers["X-File-Name"] = name
    return client.post(f"/api/v1/stations/{code}/files", data=data, headers=headers)


def test_raw_body_upload_is_stored_under_its_final_name(client, site, root):
    name, data = file_name("A1"), file_bytes()
    response = post(client, "a1", site["token"], data, name, **{"Content-Type": "text/plain"})
    assert response.status_code == 202, response.get_json()
    assert response.get_json() == {"stored": name, "size": len(data)}
    folder = root / f"http-{site['account'].name}"
    assert [p.name for p in folder.iterdir()] == [name]
    assert (folder / name).read_bytes() == data
    assert site["account"].last_used_at is not None
    assert "Set-Cookie" not in response.headers


def test_multipart_upload_with_the_field_file(client, site, root):
    name, data = file_name("A1"), file_bytes(value="6.5")
    response = client.post(
        "/api/v1/stations/A1/files",
        data={"file": (io.BytesIO(data), name)},
        headers={"Authorization": f"Bearer {site['token']}"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 202, response.get_json()
    assert (root / f"http-{site['account'].name}" / name).read_bytes() == data


def test_missing_wrong_and_malformed_tokens_are_401(client, site):
    prefix = site["account"].name
    for token in (None, "no-dot", f"{prefix}.wrong-secret", f"unknown.{site['token'].split('.', 1)[1]}"):
        response = post(client, "A1", token, file_bytes(), file_name("A1"))
        assert response.status_code == 401, token
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.get_json()["error"] in ("no_token", "bad_token")
    response = client.post(
        "/api/v1/stations/A1/files", data=b"x", headers={"Authorization": f"Basic {site['token']}"}
    )
    assert response.status_code == 401


def test_revoked_and_reset_tokens_are_refused(client, site):
    old = site["token"]
    assert post(client, "A1", old, file_bytes(), file_name("A1")).status_code == 202
    new = accounts.reset_secret(site["account"])
    commit()
    assert post(client, "A1", old, file_bytes(), file_name("A1")).status_code == 401
    assert post(client, "A1", new, file_bytes(), file_name("A1")).status_code == 202
    accounts.set_active(site["account"], False)
    commit()
    assert post(client, "A1", new, file_bytes(), file_name("A1")).status_code == 401


def test_stations_outside_the_scope_or_unknown(client, site):
    response = post(client, "B1", site["token"], file_bytes(), file_name("B1"))
    assert response.status_code == 403
    assert response.get_json()["error"] == "station_not_owned"
    assert post(client, "NOPE", site["token"], file_bytes(), file_name("NOPE")).status_code == 404
    facility_token = accounts.create_account("http", facility_id=site["A1"].facility_id)[1]
    a2 = make_station(site["A1"].facility, "A2")
    commit()
    assert post(client, a2.code, facility_token, file_bytes(), file_name("A2")).status_code == 202
    assert post(client, "B1", facility_token, file_bytes(), file_name("B1")).status_code == 403


def test_the_size_limit(client, site, root, monkeypatch):
    monkeypatch.setattr(http_views, "MAX_FILE_BYTES", 100)
    monkeypatch.setattr(http_views, "MULTIPART_OVERHEAD", 1000)
    assert post(client, "A1", site["token"], b"x" * 100, file_name("A1")).status_code == 202
    response = post(client, "A1", site["token"], b"x" * 101, file_name("A1"))
    assert response.status_code == 413
    assert response.get_json() == {
        "error": "too_large",
        "message": response.get_json()["message"],
        "limit": 100,
    }
    assert post(client, "A1", site["token"], b"x" * 5000, file_name("A1")).status_code == 413
    response = client.post(
        "/api/v1/stations/A1/files",
        data={"file": (io.BytesIO(b"x" * 101), file_name("A1"))},
        headers={"Authorization": f"Bearer {site['token']}"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("name", "error"),
    [
        (None, "no_name"),
        ("../" + file_name("A1"), "bad_name"),
        ("data.csv", "bad_name"),
        (".hidden.txt", "bad_name"),
        (file_name("B1"), "other_station"),
    ],
)
def test_bad_names_are_400(client, site, root, name, error):
    response = post(client, "A1", site["token"], file_bytes(), name)
    assert response.status_code == 400
    assert response.get_json()["error"] == error
    assert not any(root.rglob("*.txt"))


def test_an_empty_body_or_missing_form_field_is_400(client, site):
    assert post(client, "A1", site["token"], b"", file_name("A1")).get_json()["error"] == "empty_file"
    response = client.post(
        "/api/v1/stations/A1/files",
        data={"other": (io.BytesIO(b"x"), file_name("A1"))},
        headers={"Authorization": f"Bearer {site['token']}"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and response.get_json()["error"] == "no_file"


def test_a_name_that_does_not_parse_is_stored_for_the_quarantine(client, site, root):
    response = post(client, "A1", site["token"], file_bytes(), "hello.txt")
    assert response.status_code == 202
    assert (root / f"http-{site['account'].name}" / "hello.txt").exists()


def test_no_csrf_token_is_needed_and_a_scan_ingests_the_upload(app, client, site, root, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    name = file_name("A1")
    assert post(client, "A1", site["token"], file_bytes(), name).status_code == 202
    age(root / f"http-{site['account'].name}" / name)
    result = scan_and_ingest(utcnow(), after_batch=commit)
    assert result["accepted"] == 1
    data_file = db.session.scalar(sa.select(DataFile).where(DataFile.original_name == name))
    assert data_file.sender == f"http:{site['account'].name}"
    assert data_file.station_id == site["A1"].id
