"""The demo province: its data, ``build_demo`` and ``flask demo``."""

from __future__ import annotations

from collections import Counter

import pytest
import sqlalchemy as sa

from app import create_app
from app.audit.models import AuditEvent
from app.auth.models import User
from app.auth.passwords import policy_problems
from app.compliance.services import today
from app.dashboard.models import FacilityMonth
from app.demo import province
from app.demo.province_facilities import ENTERPRISE_BY_KEY, INDUSTRY_LETTERS, enterprise_rows, facility_rows
from app.demo.services import build_demo
from app.errors import DomainError
from app.extensions import db
from app.facilities.models import Enterprise, Facility
from app.formatting import format_number
from app.settings.services import agency
from app.stations.models import Station
from app.stations.services import statuses_for
from app.telemetry.models import Reading
from app.telemetry.status import ConnectionStatus
from tests.conftest import app_config

# The data, without a database.

# Days of readings: a small demo keeps these tests fast (test_demo_data.py builds a full one).
DAYS = 2


def test_communes_and_parks_are_consistent():
    names = [c.name for c in province.COMMUNES]
    assert len(names) == len(set(names))
    assert {c.kind for c in province.COMMUNES} == {"phường", "xã"}
    assert {c.former_province for c in province.COMMUNES} == set(province.TAX_PREFIX)
    for park in province.INDUSTRIAL_PARKS:
        assert park.name.startswith("KCN ") and park.commune in province.COMMUNE_BY_NAME


def test_facility_rows_are_complete_and_unique():
    rows = facility_rows()
    assert 55 <= len(rows) <= 70
    assert len({r["code"] for r in rows}) == len(rows)
    communes = {c.label: c for c in province.COMMUNES}
    for row in rows:
        commune = communes[row["commune"]]
        assert row["district"] == commune.former_district
        assert row["industry_type"] in INDUSTRY_LETTERS
        assert row["code"].startswith(f"CT-{INDUSTRY_LETTERS[row['industry_type']]}-")
        assert row["contact_email"].endswith(f".{province.EMAIL_DOMAIN}")
        assert commune.name in row["address"] and row["address"].endswith(province.CITY)
        if row["industrial_park"]:
            assert province.PARK_BY_NAME[row["industrial_park"]].commune == commune.name
            assert row["industrial_park"] in row["address"]
    # Every park has its central wastewater plant; every listed commune is used.
    wwtp_parks = {r["industrial_park"] for r in rows if r["industry_type"] == "central_wwtp"}
    assert wwtp_parks == {p.name for p in province.INDUSTRIAL_PARKS}
    assert {r["commune"] for r in rows} == set(communes)
    assert max(Counter(r["enterprise"] for r in rows).values()) >= 3


def test_tax_codes_follow_the_former_province_and_the_checksum():
    rows = enterprise_rows()
    assert len({r["tax_code"] for r in rows}) == len(rows) == len(ENTERPRISE_BY_KEY)
    weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
    for row in rows:
        code = row["tax_code"]
        assert len(code) == 10 and code.isdigit() and code[:2] in province.TAX_PREFIX.values()
        assert int(code[9]) == 10 - sum(int(d) * w for d, w in zip(code, weights, strict=False)) % 11
    assert province.tax_code("03", 58856)[:9] == "030958856"


def test_demo_users_cover_every_role(app):
    roles = Counter(u.role for u in province.USERS)
    assert roles["admin"] >= 1 and roles["inspector"] >= 2 and roles["leader"] >= 1
    enterprise_users = [u for u in province.USERS if u.role == "enterprise"]
    assert len({u.enterprise for u in enterprise_users}) >= 3
    for user in province.USERS:
        assert (user.enterprise is None) == (user.role != "enterprise")
        assert user.enterprise is None or user.enterprise in ENTERPRISE_BY_KEY
        assert user.email.endswith("@" + province.EMAIL_DOMAIN)
        with app.app_context():
            assert policy_problems(user.password, user.email) == []


# build_demo, inside the test's transaction.


def test_build_demo_creates_the_province():
    summary = build_demo(reset=False, days=DAYS)
    facilities = db.session.scalars(sa.select(Facility)).all()
    assert summary["facilities"] == len(facilities) >= 55
    assert len({f.commune for f in facilities}) >= 15
    assert summary["enterprises"] == db.session.scalar(sa.select(sa.func.count(Enterprise.id)))
    roles = Counter(db.session.scalars(sa.select(User.role)))
    assert (
        roles["admin"] >= 1 and roles["inspector"] >= 2 and roles["leader"] >= 1 and roles["enterprise"] >= 3
    )
    enterprise_users = db.session.scalars(sa.select(User).where(User.role == "enterprise")).all()
    assert len({u.enterprise_id for u in enterprise_users}) == len(enterprise_users)
    counts = Counter(f.enterprise_id for f in facilities)
    assert all(counts[u.enterprise_id] >= 1 for u in enterprise_users)
    assert any(counts[u.enterprise_id] >= 2 for u in enterprise_users)
    block = agency()
    assert block["province"] == "Cần Thơ" and block["abbreviation"] == "SNNMT"
    assert block["division_abbreviation"] == "CCBVMT" and block["signatory_title"] == "PHÓ GIÁM ĐỐC"
    assert {u["email"]: u["password"] for u in summary["users"]}[province.ADMIN_EMAIL] == "Demo-Admin-2026"
    # The dashboard has the snapshots of the months the demo's data touches.
    this_month = today().replace(day=1)
    assert summary["dashboard_months"][-1] == f"{this_month:%Y-%m}"
    snapshots = sa.select(sa.func.count(FacilityMonth.id)).where(FacilityMonth.month == this_month)
    assert db.session.scalar(snapshots) == len(facilities)


def test_every_demo_write_is_audited():
    summary = build_demo(reset=False, days=DAYS)
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "demo.created")).all()
    assert Counter(e.object_type for e in events) == {
        "enterprises": summary["enterprises"],
        "facilities": summary["facilities"],
        "emission_sources": summary["sources"],
    }
    assert {e.reason for e in events} == {province.DEMO_REASON}
    created = db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "user.created"))
    assert created == len(province.USERS)
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "settings.changed")) == 1


def test_a_second_build_is_refused():
    build_demo(reset=False, days=DAYS)
    with pytest.raises(DomainError, match="flask demo --reset"):
        build_demo(reset=False, days=DAYS)
    with pytest.raises(DomainError):
        build_demo(reset=True, days=DAYS)


@pytest.mark.parametrize("email", [u.email for u in province.USERS])
def test_each_demo_user_logs_in_and_sees_home(app, email):
    summary = build_demo(reset=False, days=DAYS)
    password = {u["email"]: u["password"] for u in summary["users"]}[email]
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    home = client.get("/home")
    assert home.status_code == 200
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user.role == "enterprise":
        text = home.get_data(as_text=True)
        for facility in user.enterprise.facilities:
            assert facility.code in text


# flask demo, on a database of its own.


@pytest.fixture
def own_app(own_database, tmp_path):
    application = create_app(app_config(own_database, str(tmp_path / "instance")))
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def _run(application, *args):
    with application.app_context():
        result = application.test_cli_runner().invoke(args=["demo", *args])
        db.session.remove()
        return result


@pytest.mark.own_database
def test_flask_demo_on_a_fresh_database_then_refuse_then_reset(own_app):
    first = _run(own_app, "--host", "0.0.0.0", "--days", str(DAYS))
    assert first.exit_code == 0, first.output
    for user in province.USERS:
        assert user.email in first.stdout and user.password in first.stdout
    with own_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Facility.id))) == len(facility_rows())
        db.session.remove()

    again = _run(own_app)
    assert again.exit_code == 1
    assert "flask demo --reset" in again.stderr and len(again.stderr.strip().splitlines()) == 1

    reset = _run(own_app, "--reset", "--days", str(DAYS))
    assert reset.exit_code == 0, reset.output
    with own_app.app_context():
        # The schema was rebuilt: the first run's audit trail is gone, the new one is there.
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == len(province.USERS)
        actions = Counter(db.session.scalars(sa.select(AuditEvent.action)))
        assert actions["user.created"] == len(province.USERS)
        # The summary gives the stations per status and the readings, as stored.
        stations = db.session.scalars(sa.select(Station)).all()
        statuses = Counter(str(state.status) for state in statuses_for(stations).values())
        readings = db.session.scalar(sa.select(sa.func.count()).select_from(Reading))
        db.session.remove()
    assert set(statuses) == {str(status) for status in ConnectionStatus}
    assert f"{len(stations)} trạm quan trắc / stations: {statuses['receiving']} đang nhận" in reset.stdout
    assert f"{format_number(readings)} số liệu / readings ({DAYS} ngày / days)" in reset.stdout


@pytest.mark.own_database
def test_flask_demo_serve_starts_the_server(own_app, monkeypatch):
    calls = []
    monkeypatch.setattr("app.demo.cli.run_simple", lambda *args, **kwargs: calls.append((args, kwargs)))
    result = _run(own_app, "--serve", "--port", "5077", "--days", str(DAYS))
    assert result.exit_code == 0, result.output
    ((args, kwargs),) = calls
    assert args[:2] == ("127.0.0.1", 5077) and args[2] is own_app
    assert kwargs["use_reloader"] is False


@pytest.mark.own_database
def test_production_refuses_reset_and_mixing_with_real_accounts(own_database, tmp_path):
    config = app_config(
        own_database,
        str(tmp_path / "instance"),
        QUANTRAC_ENV="production",
        SECRET_KEY="s" * 40,
        PUBLIC_BASE_URL="https://quantrac.example.vn",
        TESTING=False,  # production refuses the test switches
        WTF_CSRF_ENABLED=True,
    )
    application = create_app(config)
    try:
        result = _run(application, "--reset")
        assert result.exit_code == 1
        assert "production" in result.stderr
        # A fresh production database may become a demo server, but demo accounts never join real ones.
        assert _run(application, "--days", str(DAYS)).exit_code == 0
        again = _run(application, "--days", str(DAYS))
        assert again.exit_code == 1 and "production" in again.stderr
    finally:
        with application.app_context():
            db.engine.dispose()


def test_the_demo_has_a_finalised_inspection_with_its_minutes_and_a_planned_one():
    from app.inspections.models import Inspection

    summary = build_demo(reset=False, days=DAYS)
    found = db.session.scalars(sa.select(Inspection).order_by(Inspection.id)).all()

    assert summary["inspections"] == {"inspections": 2, "minutes": 1}
    assert [i.status for i in found] == ["finalised", "planned"]
    assert found[0].number_text and found[0].pdf_sha256 and found[0].requests
    assert found[1].risk["parts"]
