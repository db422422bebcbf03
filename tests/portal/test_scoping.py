"""An enterprise user reaches only its own enterprise's objects in the portal, whatever the URL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.extensions import db
from app.stations.evidence import Upload, check_uploads, store_evidence
from app.stations.models import Declaration, ExcuseWindow
from tests.portal.helpers import make_station, png_bytes


def _declaration(station) -> Declaration:
    declaration = Declaration(
        station_id=station.id, kind="installation", values={"installed_on": "2026-01-02"}
    )
    db.session.add(declaration)
    db.session.flush()
    return declaration


def _window(station) -> ExcuseWindow:
    window = ExcuseWindow(
        station_id=station.id,
        kind="incident",
        starts_at=datetime(2026, 1, 5, 1, tzinfo=UTC),
        expected_end_at=datetime(2026, 1, 5, 5, tzinfo=UTC),
        reason="Mất điện",
    )
    db.session.add(window)
    db.session.flush()
    return window


@pytest.fixture
def two_enterprises(make_enterprise, make_facility, make_user):
    """Two enterprises, each with a facility, a station, a declaration, a window and an evidence file."""
    found = {}
    for key in ("mine", "other"):
        enterprise = make_enterprise()
        facility = make_facility(enterprise=enterprise)
        station = make_station(facility)
        declaration = _declaration(station)
        window = _window(station)
        [file] = store_evidence(
            check_uploads([Upload(f"{key}.png", png_bytes())]),
            enterprise_id=enterprise.id,
            object_type="declarations",
            object_id=declaration.id,
        )
        found[key] = {
            "enterprise": enterprise,
            "facility": facility,
            "station": station,
            "declaration": declaration,
            "window": window,
            "evidence": file,
        }
    found["user"] = make_user("enterprise", enterprise=found["mine"]["enterprise"])
    return found


def urls(objects) -> dict[str, str]:
    station = objects["station"].code
    return {
        "facility": f"/portal/facilities/{objects['facility'].code}",
        "station": f"/portal/stations/{station}",
        "installation": f"/portal/stations/{station}/installation",
        "connection": f"/portal/stations/{station}/connection",
        "incident": f"/portal/stations/{station}/windows/incident",
        "maintenance": f"/portal/stations/{station}/windows/maintenance",
        "suspension": f"/portal/stations/{station}/windows/suspension",
        "declaration": f"/portal/declarations/{objects['declaration'].id}",
        "window": f"/portal/windows/{objects['window'].id}",
        "evidence": f"/portal/evidence/{objects['evidence'].id}",
    }


def test_own_objects_open_and_the_others_are_404(client, login, two_enterprises) -> None:
    login(two_enterprises["user"])
    for name, url in urls(two_enterprises["mine"]).items():
        assert client.get(url).status_code == 200, name
    for name, url in urls(two_enterprises["other"]).items():
        assert client.get(url).status_code == 404, name
    # Posting to another enterprise's forms is a 404 too, and creates nothing.
    before = db.session.query(Declaration).count(), db.session.query(ExcuseWindow).count()
    for name in ("installation", "connection", "incident", "maintenance", "suspension"):
        assert client.post(urls(two_enterprises["other"])[name], data={}).status_code == 404, name
    assert (db.session.query(Declaration).count(), db.session.query(ExcuseWindow).count()) == before


def test_home_lists_only_own_stations(client, login, two_enterprises) -> None:
    login(two_enterprises["user"])
    text = client.get("/portal/").get_data(as_text=True)
    assert two_enterprises["mine"]["station"].code in text
    assert two_enterprises["other"]["station"].code not in text
    assert two_enterprises["other"]["facility"].code not in text


def test_station_code_in_any_case(client, login, two_enterprises) -> None:
    login(two_enterprises["user"])
    assert (
        client.get(f"/portal/stations/{two_enterprises['mine']['station'].code.lower()}").status_code == 200
    )


def test_unknown_window_kind_is_404(client, login, two_enterprises) -> None:
    login(two_enterprises["user"])
    assert (
        client.get(f"/portal/stations/{two_enterprises['mine']['station'].code}/windows/holiday").status_code
        == 404
    )


def test_evidence_is_served_with_its_checked_type_and_no_sniffing(client, login, two_enterprises) -> None:
    login(two_enterprises["user"])
    file = two_enterprises["mine"]["evidence"]
    response = client.get(f"/portal/evidence/{file.id}")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "mine.png" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\x89PNG")
    # The staff route is not for enterprise users.
    assert client.get(f"/verification/evidence/{file.id}").status_code == 403


@pytest.mark.parametrize("role", ["inspector", "leader", "admin"])
def test_staff_open_any_evidence_and_not_the_portal(client, login, make_user, two_enterprises, role) -> None:
    login(make_user(role))
    for key in ("mine", "other"):
        response = client.get(f"/verification/evidence/{two_enterprises[key]['evidence'].id}")
        assert response.status_code == 200 and response.headers["X-Content-Type-Options"] == "nosniff"
    assert (
        client.get(f"/verification/evidence/{two_enterprises['other']['evidence'].id + 1000}").status_code
        == 404
    )
    assert client.get("/portal/").status_code == 403
    assert client.get(urls(two_enterprises["mine"])["evidence"]).status_code == 403


def test_no_public_path_serves_evidence(client, two_enterprises) -> None:
    sha = two_enterprises["mine"]["evidence"].sha256
    for url in (
        f"/static/evidence/{sha[:2]}/{sha}",
        f"/evidence/{sha[:2]}/{sha}",
        f"/instance/evidence/{sha[:2]}/{sha}",
    ):
        assert client.get(url).status_code == 404
    # Anonymous users are sent to the login page.
    response = client.get(f"/portal/evidence/{two_enterprises['mine']['evidence'].id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_portal_home_shows_each_stations_derived_status(
    client, make_user, login, make_enterprise, make_facility
):
    """The enterprise sees the same derived status as the department, per station."""
    from tests.portal.helpers import make_station

    enterprise = make_enterprise()
    facility = make_facility(enterprise=enterprise)
    make_station(facility, code="PORTALST1")
    login(make_user("enterprise", enterprise=enterprise))
    page = client.get("/portal/").get_data(as_text=True)
    assert "PORTALST1" in page and 'data-status="' in page
