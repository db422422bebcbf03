"""The public pages: switched off by default, no login, only public fields, the same figures as elsewhere."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta
from decimal import Decimal

import pytest

from app.auth.services import create_user
from app.cases.models import Case
from app.compliance.services import store_obligations
from app.db import utcnow
from app.extensions import db
from app.formatting import format_percent
from app.public import cache
from app.public.services import (
    PUBLIC_FACILITY_FIELDS,
    PUBLIC_STATION_FIELDS,
    PublicFacility,
    PublicStation,
    facilities_under_obligation,
    last_month,
)
from app.settings.services import update
from app.stations.models import EvidenceFile, Station
from app.telemetry import figures
from app.telemetry.station_data import station_rates

PAGES = ("/public/", "/public/facilities/CT-PUB-001", "/public/air", "/public/air/PUBKK1")
# Values of private fields, each a unique marker that must not appear on any public page.
PRIVATE_MARKERS = (
    "contact-private@example.vn",
    "ADDR-FACILITY-PRIVATE",
    "ADDR-ENTERPRISE-PRIVATE",
    "MST-PRIVATE-1",
    "LOGGER-PRIVATE",
    "10.99.88.77",
    "10.77.66.55",
    "user-private@example.vn",
    "USER-NAME-PRIVATE",
    "EVIDENCE-PRIVATE.pdf",
    "CASE-EVIDENCE-PRIVATE",
    "CASE-NOTE-PRIVATE",
)


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_every_page_is_a_404_until_an_administrator_switches_it_on(client, obliged, ambient):
    for url in PAGES:
        assert client.get(url).status_code == 404, url


def test_anyone_opens_the_pages_without_logging_in(client, switched_on, obliged, ambient):
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "public, max-age=300"
        assert response.headers["ETag"]


def test_an_unchanged_page_answers_304_to_its_etag(client, switched_on, obliged):
    first = client.get("/public/")
    again = client.get("/public/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""


def test_the_fields_shown_are_exactly_the_allowed_ones():
    facility_fields = [f.name for f in dataclasses.fields(PublicFacility)]
    station_fields = [f.name for f in dataclasses.fields(PublicStation)]
    assert facility_fields == [*PUBLIC_FACILITY_FIELDS, "stations"]
    assert station_fields == list(PUBLIC_STATION_FIELDS)
    assert PUBLIC_FACILITY_FIELDS == ("code", "name", "enterprise", "commune", "industry_type", "obligations")
    assert PUBLIC_STATION_FIELDS == ("code", "name", "kind", "status", "last_reading_at", "effective_rate")


def test_no_private_value_appears_on_any_page(client, switched_on, obliged, ambient):
    create_user(
        "user-private@example.vn",
        "enterprise",
        enterprise_id=obliged.enterprise_id,
        password="Mat-khau-thu-2026",
        full_name="USER-NAME-PRIVATE",
    )
    db.session.add(
        EvidenceFile(
            sha256="0" * 64,
            size=10,
            mime_type="application/pdf",
            original_name="EVIDENCE-PRIVATE.pdf",
            enterprise_id=obliged.enterprise_id,
        )
    )
    db.session.add(
        Case(
            facility_id=obliged.id,
            kind="low_completeness",
            evidence={"sentence": "CASE-EVIDENCE-PRIVATE"},
            close_reason="CASE-NOTE-PRIVATE",
        )
    )
    db.session.flush()
    shown = "".join(text_of(client.get(url)) for url in PAGES)
    assert [marker for marker in PRIVATE_MARKERS if marker in shown] == []
    # The public fields are there.
    for value in ("CT-PUB-001", "Nhà máy chế biến thủy sản Công Khai", "Công ty CP Thủy sản Công Khai"):
        assert value in shown
    assert "Phường Ninh Kiều" in shown and "PUBNT1" in shown and "PUBKK1" in shown


def test_only_facilities_under_an_obligation_are_listed(client, switched_on, obliged, make_facility):
    make_facility("CT-PUB-FREE", wastewater_flow_m3_day=10)
    page = text_of(client.get("/public/"))
    assert 'data-facility="CT-PUB-001"' in page
    assert "CT-PUB-FREE" not in page
    assert client.get("/public/facilities/CT-PUB-FREE").status_code == 404
    assert client.get("/public/facilities/NO-SUCH").status_code == 404


def test_last_months_completeness_is_the_figure_of_the_cli(client, switched_on, obliged):
    station = db.session.query(Station).filter_by(code="PUBNT1").one()
    listed = facilities_under_obligation(utcnow())
    shown = listed[0].stations[0]
    first, last = last_month()
    cli = figures.station_completeness(station, first, last, utcnow())
    assert shown.effective_rate == station_rates(cli).effective
    # Ten full days of a month: 10 / days in the month, exactly.
    assert shown.effective_rate * ((last - first).days + 1) == 10
    page = text_of(client.get("/public/"))
    expected = format_percent(shown.effective_rate, 1)
    assert re.search(r'data-station="PUBNT1".*?' + re.escape(expected), page, re.S)
    assert shown.status in ("receiving", "lost")


def test_a_facilitys_page_shows_its_hourly_means_of_the_last_30_days(client, switched_on, obliged, today):
    page = text_of(client.get("/public/facilities/CT-PUB-001"))
    yesterday = today - timedelta(days=1)
    assert "Bảng giá trị trung bình giờ (720 giờ)" in page
    row = re.search(r"08:00 " + yesterday.strftime("%d/%m/%Y") + r"</th>(.*?)</tr>", page, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == ["7,13", "41,50"]
    row = re.search(r"09:00 " + yesterday.strftime("%d/%m/%Y") + r"</th>(.*?)</tr>", page, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == ["—", "42,25"]
    assert page.count("<svg") >= 2  # one chart per parameter


def test_the_air_page_shows_hourly_and_daily_vn_aqi_with_their_band(client, switched_on, ambient, today):
    page = text_of(client.get("/public/air"))
    # PM2.5 40 µg/m³ all day: index 80 (Trung bình); NO2 150 µg/m³: 75. The AQI is PM2.5's.
    daily = re.search(r'data-kind="daily">(.*?)</td>', page, re.S).group(1)
    assert 'data-aqi="80"' in daily and 'data-band="Trung bình"' in daily
    hourly = re.search(r'data-kind="hourly">(.*?)</td>', page, re.S).group(1)
    assert 'data-aqi="80"' in hourly
    # The six bands with their colours and labels.
    for label, colour in (("Tốt", "#00e400"), ("Trung bình", "#ffff00"), ("Kém", "#ff7e00")):
        assert f'data-band="{label}"' in page and colour in page
    assert "Rất xấu" in page and "Nguy hại" in page and "#7e0023" in page


def test_an_ambient_stations_page_lists_48_hours_and_30_days(client, switched_on, ambient, today):
    page = text_of(client.get("/public/air/pubkk1"))
    days = re.search(r'<table class="data aqi-days">(.*?)</table>', page, re.S).group(1)
    assert days.count('<th scope="row">') == 30
    yesterday = (today - timedelta(days=1)).strftime("%d/%m/%Y")
    row = re.search(yesterday + r"</th>(.*?)</tr>", days, re.S).group(1)
    assert 'data-aqi="80"' in row and "PM2,5" in row
    hours = re.search(r'<table class="data aqi-hours">(.*?)</table>', page, re.S).group(1)
    assert hours.count('<th scope="row">') == 48
    assert client.get("/public/air/NO-SUCH").status_code == 404


@pytest.mark.parametrize("url", ["/public/air", "/public/air/PUBKK1"])
def test_the_rule_data_still_to_verify_is_said(client, switched_on, ambient, url):
    assert "còn cần đối chiếu với phụ lục" in text_of(client.get(url))


def test_a_page_is_computed_once_for_many_visitors_for_a_few_minutes(
    client, switched_on, obliged, make_facility
):
    first = client.get("/public/")
    assert "X-Public-Cache" not in first.headers
    newcomer = make_facility(
        "CT-PUB-NEW", pollution_risk_type=True, wastewater_flow_m3_day=Decimal(620), industry_type="seafood"
    )
    store_obligations(newcomer)
    again = client.get("/public/")
    assert again.headers["X-Public-Cache"] == "hit"
    assert again.data == first.data and "CT-PUB-NEW" not in text_of(again)
    cache.clear()
    assert "CT-PUB-NEW" in text_of(client.get("/public/"))


def test_switching_the_page_off_takes_effect_at_once(client, switched_on, obliged):
    assert client.get("/public/").status_code == 200
    update({"public.enabled": 0}, reason="test")
    db.session.flush()
    assert client.get("/public/").status_code == 404


def test_a_logged_in_users_page_is_neither_kept_nor_shared(client, switched_on, obliged, make_user, login):
    user = make_user("inspector", full_name="Cán Bộ Đăng Nhập")
    login(user)
    page = client.get("/public/")
    assert "Cán Bộ Đăng Nhập" in text_of(page)
    assert page.headers["Cache-Control"] == "private, no-store"
    client.post("/logout")
    anonymous = client.get("/public/")
    assert "X-Public-Cache" not in anonymous.headers
    assert "Cán Bộ Đăng Nhập" not in text_of(anonymous)
    assert anonymous.headers["Cache-Control"] == "public, max-age=300"


def test_the_login_page_links_to_the_public_page_only_when_it_is_on(app, client):
    assert "/public/" not in text_of(client.get("/login"))
    update({"public.enabled": 1}, reason="test")
    db.session.flush()
    page = text_of(client.get("/login"))
    assert 'href="/public/"' in page and 'href="/public/air"' in page
