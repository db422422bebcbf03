"""Every state-changing route refuses a request without a valid CSRF token (the bearer-token API excepted)."""

from __future__ import annotations

import re
import secrets

import pytest
import sqlalchemy as sa
from itsdangerous import URLSafeTimedSerializer

from app.audit.models import AuditEvent
from app.extensions import db
from tests.conftest import PASSWORD
from tests.security.conftest import count
from tests.security.matrix import cases_for

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# The only routes that may take a state-changing request without a CSRF token:
# the stations' HTTP upload, authenticated by a bearer token and sending no cookie.
EXEMPT = {"receipt_api.upload"}
TOKEN_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def _token(client, url: str = "/login") -> str:
    html = client.get(url).get_data(as_text=True)
    match = TOKEN_RE.search(html) or re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, f"no CSRF token in the form of {url}"
    return match.group(1)


def _log_in(client, user) -> None:
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": _token(client)}
    )
    assert response.status_code == 302


def _state_changing(app, world):
    """One request per state-changing route and method, with real objects in the URL."""
    seen = {}
    for case in cases_for(app, world, "admin"):
        if case.method not in SAFE_METHODS and (case.endpoint, case.method) not in seen:
            seen[(case.endpoint, case.method)] = case
    return list(seen.values())


def test_state_changing_routes_are_enumerated_from_the_url_map(app, world):
    expected = {
        (rule.endpoint, method) for rule in app.url_map.iter_rules() for method in rule.methods - SAFE_METHODS
    }
    assert {(c.endpoint, c.method) for c in _state_changing(app, world)} == expected
    assert len(expected) > 50


@pytest.mark.parametrize("token", ["missing", "forged"])
@pytest.mark.parametrize("role", ["admin", "inspector", "leader", "enterprise"])
def test_every_state_changing_route_refuses_a_request_without_a_valid_token(
    app, client, world, csrf_on, role, token
):
    _log_in(client, world.users[role])
    audit_before = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    accepted = []
    for case in _state_changing(app, world):
        data = {} if token == "missing" else {"csrf_token": "IjEyMyI.forged.token"}
        response = client.open(case.url, method=case.method, data=data)
        body = response.get_data(as_text=True)
        if response.status_code != 400 or "Biểu mẫu đã hết hạn" not in body:
            accepted.append(case.endpoint)
        elif case.endpoint in EXEMPT:
            accepted.append(case.endpoint)
        count("state-changing requests refused without a valid CSRF token")
    assert set(accepted) == EXEMPT, f"accepted without a valid CSRF token: {sorted(set(accepted) - EXEMPT)}"
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == audit_before
    assert client.get("/home").status_code == 200  # still logged in: logout was refused too


def test_a_valid_token_is_accepted_and_one_of_another_session_is_not(app, client, world, csrf_on):
    """Control: the same requests pass with the session's own token."""
    _log_in(client, world.users["inspector"])
    token = _token(client, "/account")
    response = client.post("/account", data={"csrf_token": token, "locale": "vi"})
    assert response.status_code in (200, 302)
    # Signed like a real token, but for another session's secret.
    other_token = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(secrets.token_hex(20))
    response = client.post("/logout", data={"csrf_token": other_token})
    assert response.status_code == 400
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302


def test_the_refusal_is_explained_in_vietnamese(client, world, csrf_on):
    response = client.post("/login", data={"email": world.users["admin"].email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Biểu mẫu đã hết hạn" in response.get_data(as_text=True)
