"""After login, ``next`` only ever leads to a page of this site."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.conftest import PASSWORD

HOSTILE_NEXT = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "/\\/evil.example/",
    "/%5Cevil.example/",
    "/\t/evil.example/",
    "/%09/evil.example/",
    "javascript:alert(1)",
    "\\\\evil.example",
    " //evil.example",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_login_never_redirects_off_site(client, make_user, target):
    user = make_user("inspector")
    response = client.post(
        "/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    # Either home, or a path of this site that no browser reads as another host.
    parts = urlsplit(location)
    assert parts.netloc in ("", "quantrac.test") and parts.scheme in ("", "http", "https"), location
    assert location.startswith("/") and not location.startswith("//") or parts.netloc == "quantrac.test", (
        location
    )
    assert "\\" not in location and not any(c.isspace() for c in location), location
    assert location.endswith("/home") or location.startswith("/%"), location


def test_a_path_of_this_site_is_kept(client, make_user):
    user = make_user("inspector")
    response = client.post(
        "/login", query_string={"next": "/facilities/?q=a"}, data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"].endswith("/facilities/?q=a")


@pytest.mark.parametrize("target", ["/\\evil.example/", "/\\/evil.example/", "/\t/evil.example/", "/ /x"])
def test_backslashes_and_spaces_are_never_followed(app, target):
    from app.auth.views import _safe_next

    with app.test_request_context():
        assert _safe_next(target) == "/home"
