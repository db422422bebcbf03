"""The list exported to .xlsx in the import's columns: filtered, scoped, safe, and importable back."""

import io

from openpyxl import load_workbook

from app.compliance.services import store_obligations
from app.facilities.import_services import apply_import
from app.facilities.importer import read_import


def download(client, query=""):
    response = client.get(f"/facilities/export.xlsx{query}")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return response.data


def rows(data, sheet):
    worksheet = load_workbook(io.BytesIO(data))[sheet]
    return [list(r) for r in worksheet.iter_rows(values_only=True)]


def test_export_has_vietnamese_headers_obligations_and_sources(client, make_user, login, make_facility):
    facility = make_facility(
        "CT-X-1",
        name="Nhà máy giấy Long Mỹ",
        pollution_risk_type=True,
        wastewater_flow_m3_day=620,
        industry_type="paper",
    )
    store_obligations(facility)
    login(make_user("inspector"))
    data = download(client, "?q=CT-X-1&regime=decree-40-2019")
    table = rows(data, "facilities")
    header, first = table[0], table[1]
    assert header[:3] == ["Mã cơ sở", "Tên cơ sở", "Tên doanh nghiệp"]
    assert first[0] == "CT-X-1" and first[1] == "Nhà máy giấy Long Mỹ"
    record = dict(zip(header, first, strict=True))
    assert (
        record["Nước thải – nghĩa vụ (Nghị định 38/2015/NĐ-CP, sửa đổi bởi Nghị định 40/2019/NĐ-CP)"]
        == "Bắt buộc"
    )
    assert len(table) == 2


def test_export_is_scoped_and_formula_safe(client, make_user, login, make_facility, make_enterprise):
    mine = make_enterprise()
    make_facility("CT-M-1", mine, name='=HYPERLINK("http://evil")')
    make_facility("CT-O-1", name="Khác")
    login(make_user("enterprise", enterprise=mine))
    data = download(client)
    workbook = load_workbook(io.BytesIO(data))
    cell = workbook["facilities"]["B2"]
    assert cell.value == '=HYPERLINK("http://evil")' and cell.data_type == "s"
    codes = [r[0] for r in rows(data, "facilities")[1:]]
    assert codes == ["CT-M-1"]


def test_export_imports_back_unchanged(client, make_user, login, make_facility):
    facility = make_facility(
        "CT-RT-1",
        commune="Xã Phong Điền",
        industry_type="seafood",
        pollution_risk_type=True,
        wastewater_flow_m3_day=250.5,
        extra_parameters=["BOD5"],
    )
    store_obligations(facility)
    login(make_user("inspector"))
    data = download(client, "?q=CT-RT-1")
    result = apply_import(read_import([("export.xlsx", data)], 10 * 1024 * 1024), dry_run=True)
    assert result["ok"], result["problems"]
    assert result["unchanged"]["facilities"] == 1 and result["updated"]["facilities"] == 0
    assert len(result["ignored_columns"]) == 6
