"""Agency settings: editable by an administrator, typed, audited, used by documents."""

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.extensions import db
from app.settings import services
from app.settings.registry import SETTINGS


def form_data(**changes):
    values = services.all_values()
    from app.settings.registry import show

    data = {s.key: show(s, values[s.key]) for s in SETTINGS}
    data.update(changes)
    return data


def test_defaults_then_change_is_audited(client, make_user, login):
    assert services.get("threshold.completeness_target") == 0.9
    login(make_user("admin"))
    response = client.post(
        "/admin/settings/",
        data=form_data(
            **{"agency.province": "Hậu Giang", "threshold.completeness_target": "85", "reason": "sáp nhập"}
        ),
    )
    assert response.status_code == 302
    assert services.get("agency.province") == "Hậu Giang"
    assert services.get("threshold.completeness_target") == 0.85
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "settings.changed")).all()[-1]
    assert event.changes["agency.province"] == ["Cần Thơ", "Hậu Giang"]
    assert event.reason == "sáp nhập"


def test_bad_values_save_nothing_and_say_why(client, make_user, login):
    login(make_user("admin"))
    response = client.post(
        "/admin/settings/",
        data=form_data(
            **{"agency.province": "Sóc Trăng", "threshold.lost_after_minutes": "abc", "register.CV": "SNNMT"}
        ),
    )
    assert response.status_code == 400
    assert services.get("agency.province") == "Cần Thơ"


def test_register_number_uses_the_settings():
    assert services.register_number("CV", 5) == "05/SNNMT-CCBVMT"
    assert services.register_number("GM", 12) == "12/GM-SNNMT"
    services.update({"agency.abbreviation": "STNMT"})
    assert services.register_number("TB", 1) == "01/TB-STNMT"


def test_agency_block():
    agency = services.agency()
    assert agency["superior_body"] == "UBND THÀNH PHỐ CẦN THƠ"
    assert agency["signatory_authority"] == "KT. GIÁM ĐỐC"


def test_time_settings_are_checked():
    from app.settings.registry import BY_KEY, parse

    setting = BY_KEY["threshold.daily_sweep_time"]
    assert parse(setting, "1:30") == "01:30"
    for bad in ("25:00", "01:5", "noon", ""):
        try:
            parse(setting, bad)
        except ValueError:
            continue
        raise AssertionError(bad)


def test_secrets_are_never_shown_nor_audited(client, make_user, login):
    login(make_user("admin"))
    client.post("/admin/settings/", data=form_data(**{"receipt.forward_password": "S3cret-FTP-pass"}))
    assert services.get("receipt.forward_password") == "S3cret-FTP-pass"
    page = client.get("/admin/settings/").get_data(as_text=True)
    assert "S3cret-FTP-pass" not in page
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "settings.changed")).all()[-1]
    assert event.changes["receipt.forward_password"] == ["***", "***"]
    client.post("/admin/settings/", data=form_data(**{"receipt.forward_password": ""}))
    assert services.get("receipt.forward_password") == "S3cret-FTP-pass"  # blank keeps it
