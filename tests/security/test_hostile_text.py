"""Hostile text typed in forms or imported in spreadsheets is stored as typed and shown escaped."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.extensions import db
from app.facilities.models import Facility
from tests.facilities.import_helpers import facility, table, xlsx_bytes
from tests.facilities.test_import_views import token_of, upload
from tests.security.conftest import count
from tests.security.hostile import FORMULAS, TEXTS, problems_in_html, shown


def _form(code: str, text: str) -> dict:
    return {
        "code": code,
        "name": text,
        "enterprise_name": text,
        "address": text[:500],
        "commune": "Phường Thới An Đông",
        "industry_type": "seafood",
        "wastewater_flow_m3_day": "620",
    }


@pytest.mark.parametrize("kind", TEXTS)
def test_hostile_text_in_the_facility_form_is_shown_escaped(client, make_user, login, kind):
    text = TEXTS[kind]
    login(make_user("inspector"))
    response = client.post("/facilities/new", data=_form("CT-HOSTILE-1", text))
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    stored = db.session.scalars(sa.select(Facility).where(Facility.code == "CT-HOSTILE-1")).one()
    assert stored.name == shown(text) and stored.enterprise.name == shown(text)
    problems = []
    for url in ("/facilities/CT-HOSTILE-1", "/facilities/?q=CT-HOSTILE", "/facilities/CT-HOSTILE-1/edit"):
        html = client.get(url).get_data(as_text=True)
        problems += [f"{url}: {p}" for p in problems_in_html(html, text)]
        count("pages checked for hostile text")
    assert problems == []
    assert db.session.scalar(sa.select(sa.func.count(Facility.id))) >= 1  # the table is still there


def test_hostile_text_in_an_imported_spreadsheet_is_shown_escaped(client, make_user, login):
    login(make_user("inspector"))
    rows = [
        facility(f"CT-IMP-{i}", facility_name=text, enterprise_name=text)
        for i, text in enumerate(TEXTS.values())
    ]
    preview = upload(client, ("danh-sach.xlsx", xlsx_bytes({"facilities": table(*rows)})))
    html = preview.get_data(as_text=True)
    problems = [f"preview: {p}" for text in TEXTS.values() for p in problems_in_html(html, text)]
    result = client.post("/facilities/import/confirm", data={"token": token_of(html)})
    assert result.status_code == 200 and "Đã nhập xong" in result.get_data(as_text=True)
    for i, text in enumerate(TEXTS.values()):
        stored = db.session.scalars(sa.select(Facility).where(Facility.code == f"CT-IMP-{i}")).one()
        assert stored.name == shown(text)
        page = client.get(f"/facilities/CT-IMP-{i}").get_data(as_text=True)
        problems += [f"CT-IMP-{i}: {p}" for p in problems_in_html(page, text)]
        count("hostile texts imported")
    assert problems == []


def test_the_export_writes_formulas_as_text(client, make_user, login, make_facility, make_enterprise):
    login(make_user("inspector"))
    for i, text in enumerate(FORMULAS):
        make_facility(f"CT-F-{i}", name=text, enterprise=make_enterprise(text))
    response = client.get("/facilities/export.xlsx")
    book = load_workbook(BytesIO(response.data))
    # A spreadsheet stores a carriage return as a line feed.
    written = {text.replace("\r", "\n") for text in FORMULAS}
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value in written]
    assert len(cells) >= 2 * len(FORMULAS)  # each as facility and as enterprise name
    for cell in cells:
        assert cell.data_type == "s" and cell.quotePrefix, (cell.coordinate, cell.value)
        count("formula cells exported as text")


def test_clean_text_removes_only_the_controls_that_reorder_or_hide_text():
    from app.text import clean_text

    assert clean_text("Công ty \u202egnòhp\u202c\u2067x\u2069") == "Công ty gnòhpx"
    assert clean_text("a\x00b\x1bc\x7f") == "abc\x7f"
    kept = "Dòng 1\nDòng 2\r\n\tthụt lề \u200fRLM \u200eLRM ثابت"
    assert clean_text(kept) == kept


def test_a_hostile_answer_is_shown_escaped_to_the_enterprise_and_the_inspector(client, world, login):
    from tests.security.hostile import ATTRIBUTE, BIDI, SCRIPT

    text = f"{SCRIPT}\n{ATTRIBUTE}\n{BIDI}"
    notice = world.own.objects["notice"]
    login(world.users["enterprise"])
    response = client.post(f"/portal/notices/{notice.id}/answers", data={"text": text})
    assert response.status_code == 302
    pages = {"portal": client.get(f"/portal/notices/{notice.id}").get_data(as_text=True)}
    client.post("/logout")
    login(world.users["inspector"])
    pages["staff"] = client.get(f"/notices/{notice.id}").get_data(as_text=True)
    for name, html in pages.items():
        for line in text.split("\n"):
            assert problems_in_html(html, line) == [], name
            count("pages checked for hostile text")


def test_a_very_long_name_fits_the_audit_trail(make_facility):
    from app.audit.services import record
    from tests.security.hostile import LONG

    facility = make_facility(code="CT-DAI", name=LONG)
    event = record("facility.updated", facility, label=f"{facility.code} – {LONG} {LONG}")
    assert len(event.object_label) == 300 and event.object_label.endswith("…")
    assert event.object_label.startswith("CT-DAI – Công ty Trách nhiệm")


def test_hostile_file_names_are_shown_escaped_and_never_break_the_download_header(client, world, login):
    from app.telemetry import archive
    from app.telemetry.models import DataFile
    from tests.portal.helpers import png_bytes
    from tests.security.hostile import ATTRIBUTE, SCRIPT

    notice = world.own.objects["notice"]
    name = "<img src=x onerror=alert(1)>.png"  # a browser sends quotes and line breaks as %22, %0D%0A
    login(world.users["enterprise"])
    response = client.post(
        f"/portal/notices/{notice.id}/answers",
        data={"text": "Đã khắc phục", "evidence": [(BytesIO(png_bytes()), name)]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    html = client.get(f"/portal/notices/{notice.id}").get_data(as_text=True)
    assert problems_in_html(html, name) == []
    evidence_id = max(int(i) for i in re.findall(r"/portal/evidence/(\d+)", html))
    download = client.get(f"/portal/evidence/{evidence_id}")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    download.close()
    client.post("/logout")
    content = f"{SCRIPT}\n".encode()
    data_file = DataFile(
        sha256=archive.sha256_of(content),
        size=len(content),
        original_name=f"{SCRIPT}.txt",
        archive_path=archive.store(content),
        sender=f"ftp:{ATTRIBUTE}",
        received_at=world.own.objects["data_file"].received_at,
        outcome="quarantined",
        quarantine_code="unreadable",
        quarantine_reason=f"Dòng 1: {ATTRIBUTE}",
    )
    db.session.add(data_file)
    db.session.flush()
    login(world.users["admin"])
    for url in ("/telemetry/quarantine", f"/telemetry/files/{data_file.id}", "/telemetry/files"):
        page = client.get(url).get_data(as_text=True)
        assert problems_in_html(page, SCRIPT) == [], url
        count("pages checked for hostile text")


def test_uploaded_file_names_lose_line_breaks_controls_and_folders():
    from werkzeug.datastructures import FileStorage

    from app.stations.evidence import read_uploads

    names = ["bien-ban\r\nX-Injected: 1.png", "C:\\Users\\a\\\u202egnp.pdf", "../../etc/passwd", "\x00"]
    uploads = read_uploads([FileStorage(BytesIO(b"x"), filename=name) for name in names])
    assert [u.name for u in uploads] == ["bien-ban X-Injected: 1.png", "gnp.pdf", "passwd", "tep"]
