"""The import pages: upload, preview, confirm; who may use them; the template and its round trip."""

from __future__ import annotations

import io
import os
import re

import openpyxl
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.facilities.import_columns import COLUMNS, SHEETS
from app.facilities.import_services import apply_import
from app.facilities.importer import read_import
from app.facilities.models import Facility
from app.settings.services import update as update_settings
from app.stations.models import Station

from .import_helpers import MB, csv_bytes, facility, source, station, table, xlsx_bytes

WORKBOOK = {
    "facilities": table(facility("CT-01", facility_name="Nhà máy giấy"), facility("CT-02")),
    "sources": table(source("LH-01", "CT-01")),
    "stations": table(station("CT01NT", "CT-01", parameters="COD;TSS")),
}


def upload(client, *files: tuple[str, bytes]):
    # The multipart body is built here: the test client would spool a large one to a file it never closes.
    boundary = "----quantrac-test-boundary"
    body = b""
    for name, content in files:
        body += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + content
            + b"\r\n"
        )
    body += f"--{boundary}--\r\n".encode()
    return client.post(
        "/facilities/import", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def token_of(html: str) -> str:
    return re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)


def kept_uploads(app) -> list[str]:
    root = os.path.join(app.instance_path, "imports")
    return os.listdir(root) if os.path.isdir(root) else []


def codes() -> list[str]:
    return list(db.session.scalars(sa.select(Facility.code).order_by(Facility.code)))


def test_upload_preview_confirm(app, client, make_user, login, make_facility) -> None:
    make_facility("CT-02", name="Tên cũ")
    login(make_user("inspector"))
    page = client.get("/facilities/import")
    assert page.status_code == 200 and "Tải mẫu" in page.get_data(as_text=True)
    preview = upload(client, ("danh-sach.xlsx", xlsx_bytes(WORKBOOK)))
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200, html
    assert "CT-01" in html and "Nhà máy giấy" in html and "Tên cũ" in html and "Xác nhận nhập" in html
    assert codes() == ["CT-02"]
    token = token_of(html)
    assert token in kept_uploads(app)
    result = client.post("/facilities/import/confirm", data={"token": token})
    assert result.status_code == 200, result.get_data(as_text=True)
    assert "Đã nhập xong" in result.get_data(as_text=True)
    assert codes() == ["CT-01", "CT-02"]
    assert db.session.scalar(sa.select(Station.code)) == "CT01NT"
    assert token not in kept_uploads(app)
    # The token cannot be used twice.
    assert client.post("/facilities/import/confirm", data={"token": token}).status_code == 400


def test_problems_are_shown_and_nothing_is_kept(app, client, make_user, login) -> None:
    login(make_user("admin"))
    before = kept_uploads(app)
    bad = dict(WORKBOOK, sources=table(source("LH-01", "CT-01", "furnace")))
    response = upload(client, ("list.xlsx", xlsx_bytes(bad)))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Không nhập gì" in html and "furnace" in html and "source_kind" in html
    assert 'name="token"' not in html
    assert kept_uploads(app) == before
    assert codes() == []


def test_several_csv_files_and_wrong_choices(client, make_user, login) -> None:
    login(make_user("inspector"))
    response = upload(
        client,
        ("facilities.csv", csv_bytes(table(facility("F1")), delimiter=";")),
        ("sources.csv", csv_bytes(table(source("S1", "F1")))),
    )
    assert response.status_code == 200 and "F1" in response.get_data(as_text=True)
    two_workbooks = upload(client, ("a.xlsx", xlsx_bytes(WORKBOOK)), ("b.xlsx", xlsx_bytes(WORKBOOK)))
    assert two_workbooks.status_code == 400
    assert client.post("/facilities/import", data={}).status_code == 400


def test_files_over_the_setting_limit_are_refused(client, make_user, login) -> None:
    update_settings({"receipt.import_max_mb": 1})
    login(make_user("inspector"))
    rows = table(*(facility(f"F{i:05d}", address="x" * 200) for i in range(6000)))
    response = upload(client, ("facilities.csv", csv_bytes(rows)))
    assert response.status_code == 422
    assert "giới hạn cho phép (1 MB)" in response.get_data(as_text=True)


def test_not_a_spreadsheet_is_refused_clearly(client, make_user, login) -> None:
    login(make_user("inspector"))
    response = upload(client, ("list.xlsx", b"plain text, not a workbook"))
    assert response.status_code == 422
    assert "không phải là bảng tính Excel" in response.get_data(as_text=True)


def test_confirm_only_with_the_uploaders_own_token(app, client, make_user, login) -> None:
    login(make_user("inspector"))
    token = token_of(upload(client, ("list.xlsx", xlsx_bytes(WORKBOOK))).get_data(as_text=True))
    client.post("/logout")
    login(make_user("admin"))
    assert client.post("/facilities/import/confirm", data={"token": token}).status_code == 400
    assert client.post("/facilities/import/confirm", data={"token": "../../config"}).status_code == 400
    assert codes() == []


@pytest.mark.parametrize("role", ["leader", "enterprise"])
def test_leaders_and_enterprise_users_are_refused(client, make_user, login, role: str) -> None:
    login(make_user(role))
    assert client.get("/facilities/import").status_code == 403
    assert upload(client, ("list.xlsx", xlsx_bytes(WORKBOOK))).status_code == 403
    assert client.post("/facilities/import/confirm", data={"token": "x" * 43}).status_code == 403
    assert client.get("/facilities/import/template").status_code == 403
    assert "/facilities/import" not in client.get("/facilities/").get_data(as_text=True)
    assert codes() == []


def test_the_list_links_to_the_import_for_inspectors(client, make_user, login) -> None:
    login(make_user("inspector"))
    html = client.get("/facilities/").get_data(as_text=True)
    assert 'href="/facilities/import"' in html and "Nhập từ Excel" in html


def template_workbook(client) -> openpyxl.Workbook:
    response = client.get("/facilities/import/template")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return openpyxl.load_workbook(io.BytesIO(response.data))


def test_template_has_the_three_sheets_with_labels_and_instructions(client, make_user, login) -> None:
    login(make_user("admin"))
    workbook = template_workbook(client)
    assert workbook.sheetnames == ["facilities", "sources", "stations", "Hướng dẫn"]
    for sheet in SHEETS:
        worksheet = workbook[sheet]
        header = [cell for cell in worksheet[1]]
        assert [cell.value for cell in header] == [c.label for c in COLUMNS[sheet]]
        assert all(cell.font.bold for cell in header)
        assert [cell.comment.text.splitlines()[0] for cell in header] == [
            f"Khóa (key): {c.key}" for c in COLUMNS[sheet]
        ]
        assert worksheet.freeze_panes == "A2"
        assert worksheet.column_dimensions["A"].width >= 12
    listed = [row for row in workbook["Hướng dẫn"].iter_rows(values_only=True) if row[2]]
    keys = {(row[0].split()[0], row[2]) for row in listed[1:]}
    assert keys == {(sheet, c.key) for sheet in SHEETS for c in COLUMNS[sheet]}


def test_the_filled_template_imports_cleanly(client, make_user, login) -> None:
    login(make_user("inspector"))
    workbook = template_workbook(client)
    by_key = {sheet: [c.key for c in COLUMNS[sheet]] for sheet in SHEETS}

    def add(sheet: str, **values) -> None:
        workbook[sheet].append([values.get(key) for key in by_key[sheet]])

    add(
        "facilities",
        facility_code="KCN-XL-01",
        facility_name="Trạm XLNT tập trung KCN Sông Hậu",
        enterprise_name="Công ty Phát triển hạ tầng KCN",
        enterprise_tax_code="6300000123",
        commune="Xã Châu Thành",
        central_wwtp="có",
        in_industrial_park="x",
        wastewater_flow_m3_day=4000,
        operation_start_date="2019-01-01",
        qcvn_column="a",
    )
    add(
        "facilities",
        facility_code="ND-01",
        facility_name="Nhiệt điện",
        enterprise_name="Công ty Điện",
        industry_type="thermal_power",
    )
    add(
        "sources",
        source_code="ND-LH1",
        facility_code="ND-01",
        source_kind="boiler",
        fuel="Coal",
        flow_m3_h=250000,
    )
    add(
        "stations",
        station_code="KCNXL01",
        facility_code="KCN-XL-01",
        kind="wastewater",
        parameters="FLOW_IN;FLOW_OUT;COD",
    )
    add(
        "stations",
        station_code="ND01KT",
        facility_code="ND-01",
        kind="emission",
        source_code="ND-LH1",
        data_expected_from="2024-06-01T00:00",
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    outcome = apply_import(read_import([("mau.xlsx", buffer.getvalue())], 10 * MB), dry_run=False)
    assert outcome["ok"], outcome["problems"]
    assert outcome["ignored_columns"] == []
    assert outcome["created"] == {"facilities": 2, "sources": 1, "stations": 2}
    assert db.session.scalar(sa.select(Facility.qcvn_column).where(Facility.code == "KCN-XL-01")) == "A"
