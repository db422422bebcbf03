"""Every route x every role x own vs another enterprise's objects gets its exact status; 0 leaks."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.extensions import db
from tests.conftest import PASSWORD
from tests.security.checks import header_problems, inline_code, visible_text
from tests.security.conftest import count
from tests.security.matrix import cases_for, unclassified

ROLES = (None, "admin", "inspector", "leader", "enterprise")


def test_every_route_is_classified(app):
    problems = unclassified(app)
    assert problems == [], "classify these routes in the access matrix:\n" + "\n".join(problems)


def test_a_new_route_fails_until_classified(tmp_path):
    from app import create_app
    from tests.conftest import app_config

    fresh = create_app(app_config("sqlite:///" + str(tmp_path / "x.sqlite3"), str(tmp_path)))
    fresh.add_url_rule("/inspections/<int:inspection_id>", "inspections.detail", lambda inspection_id: "")
    assert any("inspections.detail" in problem for problem in unclassified(fresh))


def _login(client, user) -> None:
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302


def _leaks(case, response, world) -> list[str]:
    """Another enterprise's names, codes, numbers or file names in what the enterprise user got."""
    text = visible_text(response)
    if text is None:
        count("binary responses of own objects")
        return []
    text += response.headers.get("Location", "")
    count("enterprise responses searched for leaks")
    return [
        f"{case.method} {case.url}: LEAK of {marker!r}" for marker in world.other.markers if marker in text
    ]


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
        cache = response.headers.get("Cache-Control", "")
        if role and case.endpoint != "static" and response.status_code == 200 and "no-store" not in cache:
            wrong.append(f"{case.method} {case.url}: a private response may be cached ({cache!r})")
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
