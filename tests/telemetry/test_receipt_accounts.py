"""Sender accounts: the administrator's pages and services (secrets shown once, stored hashed)."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth.passwords import verify_password
from app.errors import DomainError
from app.extensions import db
from app.telemetry import accounts
from app.telemetry.models import SenderAccount
from tests.telemetry.receipt_helpers import make_station

SECRET_RE = re.compile(r"<code data-secret>(?:Authorization: Bearer )?([^<]+)</code>")


def shown_secret(response) -> str:
    [secret] = SECRET_RE.findall(response.get_data(as_text=True))
    return html.unescape(secret)


def actions(account: SenderAccount) -> list[str]:
    query = sa.select(AuditEvent.action).where(
        AuditEvent.object_type == "sender_accounts", AuditEvent.object_id == str(account.id)
    )
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


@pytest.fixture
def admin(make_user, login):
    user = make_user("admin")
    login(user)
    return user


@pytest.fixture
def station(make_facility):
    return make_station(make_facility(), "NT1")


@pytest.mark.parametrize("role", ["inspector", "leader", "enterprise"])
def test_only_administrators_manage_senders(client, make_user, login, role):
    login(make_user(role))
    assert client.get("/telemetry/accounts/").status_code == 403
    assert client.post("/telemetry/accounts/new", data={"kind": "ftp"}).status_code == 403


def test_create_an_ftp_account_shows_the_password_once_and_stores_a_hash(client, admin, station):
    response = client.post(
        "/telemetry/accounts/new",
        data={"kind": "ftp", "station_id": station.id, "facility_id": 0, "name": ""},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    password = shown_secret(response)
    account = db.session.scalar(sa.select(SenderAccount))
    assert (account.kind, account.name, account.station_id, account.facility_id) == (
        "ftp",
        "nt1",
        station.id,
        None,
    )
    assert password not in account.secret_hash and account.secret_hash.startswith("$argon2id$")
    assert verify_password(account.secret_hash, password)
    detail = client.get(f"/telemetry/accounts/{account.id}").get_data(as_text=True)
    assert password not in detail
    listing = client.get("/telemetry/accounts/?kind=ftp").get_data(as_text=True)
    assert "nt1" in listing and password not in listing
    assert actions(account) == ["sender_account.created"]
    assert accounts.authenticate("ftp", "nt1", password) is account


def test_create_an_http_token_for_a_facility(client, admin, station):
    response = client.post(
        "/telemetry/accounts/new", data={"kind": "http", "station_id": 0, "facility_id": station.facility_id}
    )
    assert response.status_code == 200
    token = shown_secret(response)
    prefix, secret = accounts.parse_token(token)
    account = db.session.scalar(sa.select(SenderAccount).where(SenderAccount.name == prefix))
    assert account.kind == "http" and account.facility_id == station.facility_id
    assert verify_password(account.secret_hash, secret) and not verify_password(account.secret_hash, token)
    assert accounts.scope_station_ids(account) == frozenset({station.id})
    assert f"/api/v1/stations/{station.code}/files" not in response.get_data(as_text=True)  # a facility: any


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "ftp", "station_id": 0, "facility_id": 0}, "station_id"),
        ({"kind": "ftp", "name": "http-x1"}, "name"),
        ({"kind": "ftp", "name": "A B"}, "name"),
    ],
)
def test_the_form_refuses_wrong_scopes_and_names(client, admin, station, data, field):
    data = {"station_id": station.id, "facility_id": 0, **data}
    response = client.post("/telemetry/accounts/new", data=data)
    assert response.status_code == 400
    assert f'id="{field}-errors"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(SenderAccount.id))) == 0


def test_both_scopes_and_taken_names_are_refused(station):
    with pytest.raises(DomainError) as refused:
        accounts.create_account("ftp", station_id=station.id, facility_id=station.facility_id)
    assert refused.value.field == "station_id"
    accounts.create_account("ftp", station_id=station.id, name="taken")
    with pytest.raises(DomainError) as refused:
        accounts.create_account("ftp", station_id=station.id, name="taken")
    assert refused.value.field == "name"
    second, _ = accounts.create_account("ftp", station_id=station.id)
    third, _ = accounts.create_account("ftp", station_id=station.id)
    assert (second.name, third.name) == ("nt1", "nt1-2")


def test_deactivate_reactivate_and_reset_are_audited(client, admin, station):
    account, password = accounts.create_account("ftp", station_id=station.id)
    url = f"/telemetry/accounts/{account.id}"
    response = client.post(f"{url}/active", data={"active": "0", "reason": "datalogger replaced"})
    assert response.status_code == 302
    assert not account.is_active
    assert accounts.authenticate("ftp", account.name, password) is None
    client.post(f"{url}/active", data={"active": "1"})
    assert account.is_active
    response = client.post(f"{url}/reset", data={"reason": "password leaked"})
    new_password = shown_secret(response)
    assert new_password != password
    assert accounts.authenticate("ftp", account.name, password) is None
    assert accounts.authenticate("ftp", account.name, new_password) is account
    assert actions(account) == [
        "sender_account.created",
        "sender_account.deactivated",
        "sender_account.reactivated",
        "sender_account.secret_reset",
    ]
    reasons = db.session.scalars(sa.select(AuditEvent.reason).where(AuditEvent.object_id == str(account.id)))
    assert "password leaked" in list(reasons)


def test_unknown_accounts_are_404(client, admin):
    assert client.get("/telemetry/accounts/999999").status_code == 404
    assert client.post("/telemetry/accounts/999999/reset", data={}).status_code == 404


def test_the_data_receipt_overview_leads_administrators_to_senders(client, admin):
    menu = client.get("/home").get_data(as_text=True)
    assert 'href="/telemetry/overview"' in menu
    page = client.get("/telemetry/overview").get_data(as_text=True)
    assert 'href="/telemetry/accounts/"' in page
    assert client.get("/telemetry/accounts/new?kind=http").status_code == 200
