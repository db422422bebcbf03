"""Every route x every role x own vs another enterprise's objects gets its exact status; 0 leaks."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.extensions import db
from app.public import cache as public_cache
from app.settings.services import update
from tests.conftest import PASSWORD
from tests.security.checks import header_problems, inline_code, visible_text
from tests.security.conftest import count
from tests.security.matrix import ROUTES, cases_for, is_public_page, unclassified

ROLES = (None, "admin", "inspector", "leader", "enterprise")


def test_every_route_is_classified(app):
    problems = unclassified(app)
    assert problems == [], "classify these routes in the access matrix:\n" + "\n".join(problems)


def test_a_new_route_fails_until_classified(tmp_path):
    from app import create_app
    from tests.conftest import app_config

    fresh = create_app(app_config("sqlite:///" + str(tmp_path / "x.sqlite3"), str(tmp_path)))
    fresh.add_url_rule("/inspections/<int:inspection_id>/x", "inspections.x", lambda inspection_id: "")
    assert any("inspections.x (/inspections/<int:inspection_id>/x) is not" in p for p in unclassified(fresh))


def _login(client, user) -> None:
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302


def _leaks(case, response, world) -> list[str]:
    """Another enterprise's names, codes, numbers or file names in what the enterprise user got.

    The public page shows every obliged facility's name and code to everyone: there only the
    private fields (tax code, contact e-mail) of either enterprise count as a leak.
    """
    text = visible_text(response)
    if text is None:
        count("binary responses of own objects")
        return []
    text += response.headers.get("Location", "")
    count("enterprise responses searched for leaks")
    markers = world.other.markers
    if is_public_page(case.endpoint):
        markers = world.own.private + world.other.private
    return [f"{case.method} {case.url}: LEAK of {marker!r}" for marker in markers if marker in text]


def _cache_problems(case, response, role) -> list[str]:
    """Logged-in responses are never kept; the public page alone is kept for anonymous visitors."""
    if case.endpoint == "static" or response.status_code != 200:
        return []
    cache = response.headers.get("Cache-Control", "")
    if role is None and is_public_page(case.endpoint):
        # The one documented exception: the anonymous public page, kept a few minutes.
        expected = f"public, max-age={public_cache.seconds()}"
        return [] if cache == expected else [f"{case.method} {case.url}: {cache!r}, not {expected!r}"]
    if "no-store" not in cache or "public" in cache:
        return [f"{case.method} {case.url}: a private response may be cached ({cache!r})"]
    return []


def _private_fields(case, response, world) -> list[str]:
    """Tax codes and contact e-mails never show on the public page, whoever opens it."""
    if not is_public_page(case.endpoint) or response.status_code != 200:
        return []
    text = visible_text(response) or ""
    count("public pages searched for private fields")
    markers = world.own.private + world.other.private
    return [f"{case.method} {case.url}: shows private {m!r}" for m in markers if m in text]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_access_matrix(app, client, world, role):
    assert not unclassified(app)
    if role:
        _login(client, world.users[role])
    cases = cases_for(app, world, role)
    # Reads first, then the other enterprise's writes, then the rest; logout last.
    order = {"GET": 0}
    cases.sort(key=lambda c: (order.get(c.method, 1), c.side != "other", c.endpoint == "auth.logout"))
    wrong = []
    for case in cases:
        before = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
        response = client.open(case.url, method=case.method, data={})
        wrong += [f"{case.method} {case.url}: {p}" for p in header_problems(response)]
        wrong += _cache_problems(case, response, role)
        wrong += _private_fields(case, response, world)
        if response.status_code == 200 and response.mimetype == "text/html":
            count("pages checked for inline code")
            wrong += [f"{case.method} {case.url}: {p}" for p in inline_code(response.get_data(as_text=True))]
        if role == "enterprise" and response.status_code in (200, 302):
            wrong += _leaks(case, response, world)
        response.close()
        if response.status_code != case.expected:
            wrong.append(
                f"{case.method} {case.url} [{case.endpoint}, {case.side}]: {response.status_code} != {case.expected}"
            )
        if case.expected in (302, 403, 404) and role is None or case.expected in (403, 404):
            after = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
            if after != before:
                wrong.append(
                    f"{case.method} {case.url}: refused but changed something ({after - before} audit events)"
                )
        count("requests", 1)
    count("routes x roles", len({c.endpoint for c in cases}))
    assert wrong == [], f"{len(wrong)} of {len(cases)} requests of {role or 'anonymous'}:\n" + "\n".join(
        wrong
    )


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_public_page_switched_off(app, client, world, role):
    """Switched off by the administrator, every route of the public page is a 404 for everyone."""
    update({"public.enabled": 0}, reason="test")
    db.session.flush()
    public_cache.clear()
    if role:
        _login(client, world.users[role])
    cases = [c for c in cases_for(app, world, role) if is_public_page(c.endpoint)]
    assert {c.endpoint for c in cases} == {e for e in ROUTES if is_public_page(e)}
    wrong = []
    for case in cases:
        response = client.open(case.url, method=case.method)
        if response.status_code != 404:
            wrong.append(f"{case.method} {case.url}: {response.status_code} != 404")
        if "public" in response.headers.get("Cache-Control", ""):
            wrong.append(f"{case.method} {case.url}: a refusal kept by caches")
        response.close()
        count("requests of the switched-off public page")
    assert wrong == []


def test_the_leak_search_finds_what_is_shown(client, world):
    """Control: staff see both enterprises' markers, so their absence for the enterprise user means something."""
    _login(client, world.users["inspector"])
    page = client.get("/facilities/").get_data(as_text=True)
    assert world.own.objects["facility"].code in page and world.other.objects["facility"].code in page
    client.post("/logout")
    _login(client, world.users["enterprise"])
    page = client.get("/facilities/").get_data(as_text=True)
    assert world.own.objects["facility"].code in page and world.other.objects["facility"].code not in page
    notice = client.get(f"/portal/notices/{world.own.objects['notice'].id}").get_data(as_text=True)
    assert world.own.objects["answer_file"].original_name in notice


def test_logout_ends_the_session(client, world):
    _login(client, world.users["enterprise"])
    assert client.post("/logout").status_code == 302
    response = client.get("/portal/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
