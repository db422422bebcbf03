"""Every route declares its access policy, and the app enforces it for every role."""

from __future__ import annotations

import pytest

from app.auth.access import policy_of
from app.auth.roles import ROLES

SAMPLE_VALUES = {"integer": "999999", "unicode": "NO-SUCH-CODE", "path": "no/such/file", "default": "x"}


def sample_url(rule) -> str:
    """The rule's path with harmless sample values for its variables."""
    values = {}
    for name, converter in rule._converters.items():
        kind = type(converter).__name__.replace("Converter", "").lower()
        values[name] = SAMPLE_VALUES.get(kind, SAMPLE_VALUES["default"])
    path = rule.rule
    for name, value in values.items():
        for pattern in (f"<{name}>", f"<int:{name}>", f"<string:{name}>", f"<path:{name}>"):
            path = path.replace(pattern, value)
    return path


def routes(app):
    """(endpoint, url, method) for every rule and method of the app."""
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, sample_url(rule), method


def test_every_route_declares_its_access_policy(app):
    missing = sorted(
        {rule.endpoint for rule in app.url_map.iter_rules() if policy_of(app, rule.endpoint) is None}
    )
    assert missing == [], f"routes without an access policy: {missing}"


def request(client, method: str, url: str):
    return client.open(url, method=method, data={})


def test_anonymous_is_sent_to_login_on_every_private_route(app, client):
    checked = 0
    for endpoint, url, method in routes(app):
        policy = policy_of(app, endpoint)
        if policy.public:
            continue
        response = request(client, method, url)
        assert response.status_code == 302, (endpoint, method, response.status_code)
        assert "/login" in response.headers["Location"], (endpoint, method)
        checked += 1
    assert checked > 10


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_403_outside_its_policy_and_passes_inside(app, client, make_user, login, role):
    login(make_user(role))
    refused = allowed = 0
    for endpoint, url, method in routes(app):
        if endpoint == "auth.logout":
            continue  # would end the session the loop relies on
        policy = policy_of(app, endpoint)
        response = request(client, method, url)
        if policy.public or role in policy.roles:
            assert response.status_code != 403, (role, endpoint, method)
            assert "/login" not in response.headers.get("Location", ""), (role, endpoint, method)
            allowed += 1
        else:
            assert response.status_code == 403, (role, endpoint, method, response.status_code)
            refused += 1
    assert allowed > 0
    if role != "admin":
        assert refused > 0
