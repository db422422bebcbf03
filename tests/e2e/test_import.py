"""In the browser: an inspector imports a facility list from Excel (refused file, preview, confirmation)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.facilities.models import Facility
from app.stations.models import Station
from tests.e2e.conftest import ENTERPRISE_NAME, ENTERPRISE_TAX_CODE
from tests.facilities.import_helpers import facility, station, table, write_xlsx

pytestmark = [pytest.mark.own_database, pytest.mark.browser]


def workbook(flow) -> dict:
    """Two facilities of the test enterprise and one station (``flow`` the first one's wastewater)."""
    owner = {"enterprise_name": ENTERPRISE_NAME, "enterprise_tax_code": ENTERPRISE_TAX_CODE}
    return {
        "facilities": table(
            facility(
                "CT-E2E-IMP-01",
                facility_name="Nhà máy chế biến thủy sản Trà Nóc",
                commune="Phường Thốt Nốt",
                industry_type="seafood",
                pollution_risk_type="có",
                wastewater_flow_m3_day=flow,
                **owner,
            ),
            facility("CT-E2E-IMP-02", facility_name="Xưởng may Cái Răng", **owner),
        ),
        "stations": table(station("E2EIMPNT1", "CT-E2E-IMP-01", parameters="FLOW_OUT;pH;COD;TSS")),
    }


def imported_codes() -> list[str]:
    """Codes of the facilities this test imports that are in the database."""
    query = sa.select(Facility.code).where(Facility.code.like("CT-E2E-IMP-%")).order_by(Facility.code)
    return list(db.session.scalars(query))


def test_inspector_imports_a_facility_list(visit, live, tmp_path) -> None:
    inspector = visit("inspector")
    inspector.click("header nav >> text=Cơ sở")
    inspector.click("text=Nhập từ Excel")
    assert inspector.page.locator("h1").inner_text() == "Nhập danh sách cơ sở từ Excel"
    inspector.step("upload form")

    # A refused file: every problem named in Vietnamese with its sheet, row and column; nothing imported.
    wrong = write_xlsx(tmp_path / "danh-sach-loi.xlsx", workbook("1.000"))
    inspector.page.set_input_files("#files", str(wrong))
    inspector.click("text=Kiểm tra tệp", status=422)
    alert = inspector.page.locator("[role=alert]").inner_text()
    assert "Không nhập gì: các tệp có 1 lỗi" in alert
    problem = inspector.page.locator("table.data tbody tr").first.inner_text()
    assert "danh-sach-loi.xlsx" in problem and "wastewater_flow_m3_day" in problem and "\t2\t" in problem
    assert "Số “1.000” không rõ nghĩa" in problem
    inspector.step("problems listed")
    with live.app.app_context():
        assert imported_codes() == []

    # The corrected file: a preview of what would change, then the import on confirmation.
    inspector.click("text=Tải lên các tệp đã sửa")
    right = write_xlsx(tmp_path / "danh-sach.xlsx", workbook(620))
    inspector.page.set_input_files("#files", str(right))
    inspector.click("text=Kiểm tra tệp")
    assert inspector.page.locator("h1").inner_text() == "Xem trước kết quả nhập"
    preview = inspector.page.locator("main").inner_text()
    assert "CT-E2E-IMP-01" in preview and "CT-E2E-IMP-02" in preview and "E2EIMPNT1" in preview
    with live.app.app_context():
        assert imported_codes() == []
    inspector.step("preview")

    inspector.click("text=Xác nhận nhập")
    assert inspector.page.locator("h1").inner_text() == "Kết quả nhập"
    inspector.step("imported")
    with live.app.app_context():
        assert imported_codes() == ["CT-E2E-IMP-01", "CT-E2E-IMP-02"]
        imported = {f.code: f for f in db.session.scalars(sa.select(Facility))}
        first = imported["CT-E2E-IMP-01"]
        assert first.enterprise_id == live.enterprise_id and first.wastewater_flow_m3_day == 620
        [made] = db.session.scalars(sa.select(Station).where(Station.code == "E2EIMPNT1")).all()
        assert made.facility_id == first.id and made.parameters == ["FLOW_OUT", "pH", "TSS", "COD"]

    inspector.click("text=Quay lại danh sách cơ sở")
    inspector.click("text=CT-E2E-IMP-01")
    assert "Nhà máy chế biến thủy sản Trà Nóc" in inspector.page.locator("h1").inner_text()
    inspector.step("facility page")

    # The enterprise sees its new facilities on its home page.
    enterprise = visit("enterprise")
    home = enterprise.page.locator("main table").inner_text()
    assert "CT-E2E-IMP-01" in home and "Xưởng may Cái Răng" in home
    enterprise.step("enterprise home")
