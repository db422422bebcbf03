"""In the browser: an inspection planned from the risk ranking, scheduled, its record filled,
a request added, finalised; the minutes PDF downloaded by staff and checked with pdftotext,
then downloaded by the enterprise from the portal (the same bytes)."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.compliance.services import store_obligations
from app.db import commit
from app.extensions import db
from app.facilities.models import Facility
from app.inspections.models import Inspection
from tests.e2e.test_notice import pdf_text

pytestmark = [pytest.mark.own_database, pytest.mark.browser]

CODE = "CT-E2E-INSP-01"
FACILITY_NAME = "Nhà máy chế biến thủy sản Trà Nóc"


@pytest.fixture
def facility_code(live) -> str:
    """A seafood plant of the test enterprise whose wastewater monitoring is required."""
    with live.app.app_context():
        facility = Facility(
            code=CODE,
            name=FACILITY_NAME,
            enterprise_id=live.enterprise_id,
            address="Khu công nghiệp Trà Nóc, phường Bình Thủy",
            pollution_risk_type=True,
            wastewater_flow_m3_day=620,
            industry_type="seafood",
            commune="Phường Bình Thủy",
            qcvn_column="A",
            kq=Decimal(1),
            kf=Decimal(1),
        )
        db.session.add(facility)
        db.session.flush()
        store_obligations(facility, date.today())
        commit()
    return CODE


def test_inspection_from_ranking_to_minutes_in_the_portal(visit, live, facility_code) -> None:
    inspector = visit("inspector")
    inspector.goto("/inspections/")
    inspector.step("ranking")
    row = inspector.page.locator("tr", has_text=CODE)
    with inspector.page.expect_navigation():
        row.locator("a:text-is('Lên lịch')").click()
    inspector.step("schedule")
    inspector.page.fill("#decision_number", "125/QĐ-SNNMT")
    inspector.page.fill("#team", "Trần Thị Bích - Trưởng đoàn\nLê Văn Cường - Chuyên viên")
    inspector.click("button:text-is('Lên lịch')")
    assert "Đã lên lịch kiểm tra." in inspector.flash()
    inspector.step("record")

    inspector.page.fill("#record-representatives", "Phạm Minh Đức - Giám đốc")
    inspector.page.fill("#record-findings", "Trạm quan trắc nước thải chưa được lắp đặt.")
    inspector.page.fill("#record-opinion", "Cơ sở thống nhất và cam kết lắp đặt trạm.")
    inspector.click("button:text-is('Lưu hồ sơ')")
    inspector.page.fill("#request-text", "Lắp đặt trạm quan trắc nước thải tự động và kết nối về Sở.")
    due = inspector.page.input_value("#record-inspected_on")
    inspector.page.fill("#request-due_on", due)
    inspector.click("button:text-is('Thêm yêu cầu')")
    inspector.step("record filled")
    inspector.click("button:text-is('Hoàn tất hồ sơ và lập biên bản')")
    inspector.step("finalised")

    with live.app.app_context():
        inspection = db.session.scalars(
            sa.select(Inspection).join(Facility).where(Facility.code == CODE)
        ).one()
        assert inspection.status == "finalised"
        number, sha256, token = inspection.number_text, inspection.pdf_sha256, inspection.verify_token
    assert number in inspector.page.content() and sha256 in inspector.page.content()
    staff_pdf = inspector.download(f"a:has-text('{number}')", "minutes.pdf")
    assert hashlib.sha256(staff_pdf.read_bytes()).hexdigest() == sha256
    text = pdf_text(staff_pdf)
    for expected in (
        "BIÊN BẢN",
        f"Số: {number}",
        "Quyết định số 125/QĐ-SNNMT",
        FACILITY_NAME,
        "Phạm Minh Đức",
        "Trần Thị Bích",
        "Trạm quan trắc nước thải chưa được lắp đặt.",
        "Lắp đặt trạm quan trắc nước thải tự động và kết nối về Sở.",
    ):
        assert expected in text, expected
    # The short link under the QR code (pdftotext may break the long link across lines).
    # pdftotext drops a hyphen that ends a line: a token's "-" may fall at the end of the link's line.
    assert f"/v/{token}".replace("-", "") in text.replace(" ", "").replace("-", "")

    enterprise = visit("enterprise")
    enterprise.goto("/portal/minutes/")
    enterprise.step("portal minutes")
    assert number in enterprise.page.content() and FACILITY_NAME in enterprise.page.content()
    portal_pdf = enterprise.download("a:text-is('Tải về (PDF)')", "portal-minutes.pdf")
    assert portal_pdf.read_bytes() == staff_pdf.read_bytes()

    anyone = visit()
    anyone.goto(f"/v/{token}")
    anyone.step("verification page")
    assert number in anyone.page.content() and sha256 in anyone.page.content()
