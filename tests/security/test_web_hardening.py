"""Cookies, headers, production refusals, request size, login throttling and the password policy."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app import create_app
from app.auth.models import LoginAttempt
from app.auth.passwords import policy_problems
from app.config import ConfigError
from app.db import commit
from app.extensions import db
from tests.conftest import PASSWORD, app_config
from tests.facilities.test_import_views import upload
from tests.portal.helpers import png_bytes

PRODUCTION = {
    "QUANTRAC_ENV": "production",
    "SECRET_KEY": "k" * 48,
    "PUBLIC_BASE_URL": "https://quantrac.test",
    "TESTING": False,
    "WTF_CSRF_ENABLED": True,
}


@pytest.fixture
def production(database_url, tmp_path):
    """The app as production configures it, on the test database."""
    return create_app(app_config(database_url, str(tmp_path), **PRODUCTION))


def _cookie(response, name: str) -> str:
    found = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    assert found, f"no {name} cookie in {response.headers.getlist('Set-Cookie')}"
    return found[-1]


def test_production_cookies_are_secure_httponly_and_samesite(production, make_user):
    email = make_user("inspector").email
    commit()  # the other app's requests close the session: what is not committed would be lost
    client = production.test_client()
    page = client.get("/login", base_url="https://quantrac.test")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True)).group(1)
    response = client.post(
        "/login",
        base_url="https://quantrac.test",
        data={"email": email, "password": PASSWORD, "remember": "y", "csrf_token": token},
        headers={"Referer": "https://quantrac.test/login"},
    )
    assert response.status_code == 302
    for name in ("session", "remember_token"):
        cookie = _cookie(response, name)
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SECRET_KEY": "dev-only-change-me"}, "own SECRET_KEY"),
        ({"SECRET_KEY": "short-key"}, "32 characters"),
        ({"DEBUG": True}, "DEBUG"),
        ({"TESTING": True}, "TESTING"),
        ({"WTF_CSRF_ENABLED": False}, "CSRF"),
        ({"PUBLIC_BASE_URL": None}, "PUBLIC_BASE_URL"),
    ],
)
def test_production_refuses_to_start_with_unsafe_settings(database_url, tmp_path, change, message):
    with pytest.raises(ConfigError, match=message):
        create_app(app_config(database_url, str(tmp_path), **{**PRODUCTION, **change}))


def test_production_refuses_flask_debug_from_the_environment(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(ConfigError, match="DEBUG"):
        create_app(app_config(database_url, str(tmp_path), **PRODUCTION))


def test_security_headers_on_pages_files_errors_and_the_api(client, make_user, login):
    login(make_user("inspector"))
    for url in ("/home", "/static/quantrac.css", "/no-such-page", "/facilities/export.xlsx"):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "script-src 'self'" in csp and "style-src 'self'" in csp, url
        assert "frame-ancestors 'none'" in csp and response.headers["X-Frame-Options"] == "DENY", url
        assert response.headers["X-Content-Type-Options"] == "nosniff", url
        response.close()
    api = client.post("/api/v1/stations/X/files", data=b"x")
    assert api.status_code == 401 and api.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in client.get("/home").headers  # development: plain HTTP


def test_a_body_over_the_request_limit_is_refused_in_vietnamese(app, client, make_user, login, monkeypatch):
    login(make_user("inspector"))
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024 * 1024)
    # The import tests' own multipart body: the test client would spool this one to a file it never closes.
    response = upload(client, ("danh-sach.xlsx", png_bytes() + b"\0" * 1_100_000))
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Tệp quá lớn" in html and "vượt quá giới hạn 1 MB cho một lần gửi" in html


def test_throttling_counts_per_client_address_behind_a_trusted_proxy(database_url, tmp_path, make_user):
    proxied = create_app(app_config(database_url, str(tmp_path), TRUSTED_PROXIES=1))
    email = make_user("inspector").email  # the other app's request ends the session's objects
    client = proxied.test_client()
    client.post(
        "/login",
        data={"email": email, "password": "sai-mat-khau"},
        headers={"X-Forwarded-For": "203.0.113.7"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    attempt = db.session.scalars(sa.select(LoginAttempt).where(LoginAttempt.email == email)).one()
    assert attempt.address == "203.0.113.7"


def test_without_a_trusted_proxy_a_forged_forwarded_address_is_ignored(client, make_user):
    user = make_user("inspector")
    client.post(
        "/login",
        data={"email": user.email, "password": "sai-mat-khau"},
        headers={"X-Forwarded-For": "198.51.100.9"},
        environ_base={"REMOTE_ADDR": "192.0.2.1"},
    )
    attempt = db.session.scalars(sa.select(LoginAttempt).where(LoginAttempt.email == user.email)).one()
    assert attempt.address == "192.0.2.1"


def test_login_is_throttled_per_address_across_emails(app, client, make_user):
    users = [make_user("inspector") for _ in range(3)]
    limit = app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    for i in range(limit):
        response = client.post("/login", data={"email": f"khong-co-{i}@example.vn", "password": "x" * 12})
        assert response.status_code == 401
    response = client.post("/login", data={"email": users[0].email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Quá nhiều lần thử" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "password",
    ["ngan-9", "1234567890123", "aaaaaaaaaaaa", "ababababab", "thanh.tra@example.vn", "thanh.tra"],
)
def test_weak_passwords_are_refused(app, password):
    with app.test_request_context():
        assert policy_problems(password, "thanh.tra@example.vn")


def test_a_reasonable_password_passes(app):
    with app.test_request_context():
        assert policy_problems("Quan-trac-Can-Tho-2026", "thanh.tra@example.vn") == []


def test_a_user_cannot_give_itself_a_role_an_enterprise_or_reactivate(
    client, make_user, make_enterprise, login
):
    user = make_user("enterprise")
    own, other = user.enterprise_id, make_enterprise().id
    login(user)
    response = client.post(
        "/account",
        data={
            "full_name": "Nguyễn Văn B",
            "locale": "vi",
            "role": "admin",
            "enterprise_id": str(other),
            "is_active": "y",
            "session_version": "0",
        },
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.role, user.enterprise_id, user.full_name) == ("enterprise", own, "Nguyễn Văn B")
    assert client.get("/admin/users/").status_code == 403
