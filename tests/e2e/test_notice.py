"""In the browser: a notice drafted from a case, submitted, approved, issued, mailed and acknowledged.

The inspector drafts the case's proposed step and submits it, a leader approves
it, the inspector issues it; the issued PDF is downloaded by staff and by the
enterprise (the same bytes, the SHA-256 the page shows) and its text checked
with pdftotext; the enterprise acknowledges it in the portal, and the e-mail
reached the local SMTP server with the same PDF attached.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.cases.models import Case
from app.db import commit
from app.extensions import db
from app.facilities.models import Facility
from app.notices.models import Notice, NoticeReceipt
from tests.conftest import require_service
from tests.e2e.conftest import ENTERPRISE_NAME
from tests.notices.conftest import EVIDENCE
from tests.portal.helpers import pdf_bytes

pytestmark = [pytest.mark.own_database, pytest.mark.browser]

FACILITY_NAME = "Nhà máy chế biến thủy sản Bình Thủy"


@pytest.fixture
def case_id(live) -> int:
    """An open case (station not connected) of a facility of the test enterprise."""
    with live.app.app_context():
        facility = Facility(
            code="CT-E2E-NOTICE-01",
            name=FACILITY_NAME,
            enterprise_id=live.enterprise_id,
            contact_email="moitruong@binhthuy.example.vn",
        )
        db.session.add(facility)
        db.session.flush()
        case = Case(facility_id=facility.id, kind="not_connected", evidence=EVIDENCE, rule_version_ids=[])
        db.session.add(case)
        commit()
        return case.id


def pdf_text(path: Path) -> str:
    """The PDF's text as pdftotext reads it, whitespace collapsed."""
    if shutil.which("pdftotext") is None:
        require_service("pdftotext (apt-get install poppler-utils)")
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", out)


def notice_of(case_id: int) -> Notice:
    return db.session.scalars(sa.select(Notice).where(Notice.case_id == case_id)).one()


def test_notice_from_case_to_acknowledgement(visit, live, case_id, tmp_path) -> None:
    inspector = visit("inspector")
    inspector.goto(f"/cases/{case_id}")
    inspector.step("case")
    inspector.click("a:text-is('Soạn văn bản bước 1')")
    inspector.step("new notice")
    inspector.click("button:text-is('Tạo dự thảo')")
    assert "Đã tạo dự thảo từ bậc xử lý." in inspector.flash()
    assert FACILITY_NAME in inspector.page.input_value("#body")
    inspector.step("draft")
    inspector.click("button:text-is('Lưu dự thảo')")
    assert "Đã lưu dự thảo." in inspector.flash()
    with live.app.app_context():
        notice_id = notice_of(case_id).id
    draft = inspector.context.request.get(f"/notices/{notice_id}/preview.pdf")
    assert draft.status == 200 and draft.headers["content-type"] == "application/pdf"
    inspector.click("button:text-is('Trình phê duyệt')")
    assert "Đã trình phê duyệt." in inspector.flash()
    inspector.step("submitted")

    leader = visit("leader")
    leader.click("header nav >> text=Văn bản")
    leader.step("notices list")
    leader.goto(f"/notices/{notice_id}")
    assert leader.page.locator("button:text-is('Ban hành (số, ngày, PDF)')").count() == 0
    leader.click("button:text-is('Chấp thuận')")
    assert "Đã phê duyệt." in leader.flash()
    leader.step("approved")

    inspector.page.reload()
    inspector.click("button:text-is('Ban hành (số, ngày, PDF)')")
    assert "Đã ban hành văn bản." in inspector.flash()
    with live.app.app_context():
        issued = notice_of(case_id)
        number, sha256 = issued.number_text, issued.pdf_sha256
    assert issued.status == "issued" and number in inspector.page.locator("main").inner_text()
    inspector.step("issued")
    staff_pdf = inspector.download("a:text-is('Tải tệp PDF')", "issued.pdf")
    text = pdf_text(staff_pdf)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        number,
        ENTERPRISE_NAME,
    ):
        assert expected in text, (expected, text)
    assert FACILITY_NAME in text and "DỰ THẢO" not in text
    assert hashlib.sha256(staff_pdf.read_bytes()).hexdigest() == sha256

    enterprise = visit("enterprise")
    enterprise.click("header nav >> text=Văn bản")
    enterprise.step("portal notices")
    enterprise.click(f"main a:text-is('{number}')")
    assert sha256 in enterprise.page.locator("main").inner_text()
    enterprise.step("portal notice")
    enterprise.click("button:text-is('Xác nhận đã nhận')")
    assert "Đã xác nhận nhận văn bản." in enterprise.flash()
    enterprise.step("acknowledged")
    portal_pdf = enterprise.download("a:text-is('Tải tệp PDF')", "portal.pdf")
    assert portal_pdf.read_bytes() == staff_pdf.read_bytes()
    report = pdf_bytes("Bao cao khac phuc E2E")
    (tmp_path / "bao-cao-khac-phuc.pdf").write_bytes(report)
    enterprise.page.fill("#text", "Công ty đã ký hợp đồng kết nối.\nDự kiến hoàn thành trong tháng.")
    enterprise.page.set_input_files("#evidence", str(tmp_path / "bao-cao-khac-phuc.pdf"))
    enterprise.click("button:text-is('Gửi trả lời')")
    assert "Đã gửi văn bản trả lời cho Sở." in enterprise.flash()
    enterprise.step("answered")

    with live.app.app_context():
        kinds = db.session.scalars(
            sa.select(NoticeReceipt.kind)
            .where(NoticeReceipt.notice_id == notice_id)
            .order_by(NoticeReceipt.id)
        ).all()
    assert kinds == ["opened", "acknowledged"]

    # The e-mail went to the enterprise's user and the facility's contact, the PDF attached.
    mails = [m for m in live.mail.received if number in str(m.message["Subject"] or "")]
    assert {r for m in mails for r in m.rcpt_tos} == {
        live.emails["enterprise"],
        "moitruong@binhthuy.example.vn",
    }
    for mail in mails:
        attached = [part.get_content() for part in mail.message.iter_attachments()]
        assert attached == [staff_pdf.read_bytes()]

    # Staff see the acknowledgement and the answer, its attachment as sent.
    inspector.page.reload()
    answers = inspector.page.locator("main section[aria-labelledby=answers]").inner_text()
    assert "Công ty đã ký hợp đồng kết nối.\nDự kiến hoàn thành trong tháng." in answers
    assert "Đã xác nhận nhận văn bản · Người dùng enterprise" in answers
    href = inspector.page.locator("main a:text-is('bao-cao-khac-phuc.pdf')").get_attribute("href")
    assert inspector.context.request.get(href).body() == report
    inspector.step("answer and acknowledgement seen by staff")
