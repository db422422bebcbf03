"""In the browser: an enterprise declares a station's connection with evidence; an inspector verifies it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.db import commit
from app.extensions import db
from app.facilities.models import Facility
from app.formatting import LOCAL_TZ
from app.stations.models import Declaration, Station
from tests.portal.helpers import make_station, pdf_bytes

pytestmark = [pytest.mark.own_database, pytest.mark.browser]

STATION = "E2EDECLNT1"


@pytest.fixture
def station_code(live) -> str:
    """An installed station of the test enterprise, its connection not yet declared."""
    with live.app.app_context():
        facility = Facility(
            code="CT-E2E-DECL-01", name="Nhà máy giấy Long Mỹ", enterprise_id=live.enterprise_id
        )
        db.session.add(facility)
        db.session.flush()
        make_station(facility, STATION, installed_at=date(2025, 6, 1))
        commit()
    return STATION


def test_enterprise_declares_a_connection_and_an_inspector_verifies_it(visit, live, tmp_path, station_code):
    since = (datetime.now(LOCAL_TZ) - timedelta(days=3)).replace(hour=7, minute=30, second=0, microsecond=0)
    evidence = pdf_bytes("Bien ban kiem tra ket noi E2E")
    (tmp_path / "bien-ban-ket-noi.pdf").write_bytes(evidence)

    enterprise = visit("enterprise")
    enterprise.click("header nav >> text=Trạm của tôi")
    enterprise.step("my stations")
    enterprise.click(f"main a:text-is('{station_code}')")
    enterprise.click('a:text-is("Khai báo kết nối")')
    enterprise.step("connection form")
    enterprise.page.fill("#connected_since", since.strftime("%Y-%m-%dT%H:%M"))
    enterprise.page.fill("#datalogger_ip", "203.113.10.25")
    enterprise.page.fill("#note", "Đã kết nối với máy chủ của Sở")
    enterprise.page.set_input_files("#evidence", str(tmp_path / "bien-ban-ket-noi.pdf"))
    enterprise.step("connection form filled")
    enterprise.click("main button[type=submit]")
    assert "Đã gửi khai báo kết nối; Sở sẽ xem xét xác nhận." in enterprise.flash()
    assert "/portal/declarations/" in enterprise.page.url
    assert "bien-ban-ket-noi.pdf" in enterprise.page.locator("main").inner_text()
    enterprise.step("declared")
    with live.app.app_context():
        declaration = db.session.scalars(
            sa.select(Declaration).join(Station).where(Station.code == station_code)
        ).one()
        assert (declaration.kind, declaration.status) == ("connection", "pending")
        assert db.session.get(Station, declaration.station_id).data_expected_from is None

    inspector = visit("inspector")
    inspector.click("header nav >> text=Xác nhận")
    inspector.step("verification list")
    inspector.click(f"main tr:has-text('{station_code}') >> text=Xem xét")
    page = inspector.page.locator("main").inner_text()
    assert "203.113.10.25" in page and "bien-ban-ket-noi.pdf" in page
    assert since.strftime("%H:%M %d/%m/%Y") in page  # the declared time as Vietnamese users write it
    # The evidence as the enterprise sent it, served to the inspector.
    href = inspector.page.locator("main a:has-text('bien-ban-ket-noi.pdf')").get_attribute("href")
    served = inspector.context.request.get(href)
    assert served.status == 200 and served.body() == evidence
    inspector.page.check("input[name=verdict][value=verify]")
    inspector.page.fill("#reason", "Đã kiểm tra dữ liệu nhận được")
    inspector.step("decision")
    inspector.click("text=Ghi nhận kết quả xử lý")
    assert "Đã xác nhận khai báo; thông tin của trạm đã được cập nhật." in inspector.flash()
    inspector.step("verified")
    with live.app.app_context():
        declaration = db.session.get(Declaration, declaration.id)
        assert declaration.status == "verified"
        station = db.session.get(Station, declaration.station_id)
        assert station.data_expected_from == since and station.datalogger_ip == "203.113.10.25"

    # The enterprise sees the decision on its declaration.
    enterprise.page.reload()
    assert "Đã kiểm tra dữ liệu nhận được" in enterprise.page.locator("main").inner_text()
    enterprise.step("decision seen by the enterprise")
