"""The issued PDF of each document type carries every layout element of workflow.md."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from app.documents.body import Table
from app.extensions import db
from app.notices import document, services_issue, wording

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)

COMMON = [
    "UBND THÀNH PHỐ CẦN THƠ",
    "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Nơi nhận:",
    "- Lưu: VT, CCBVMT.",
    "KT. GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "Nguyễn Văn An",
    "Căn cứ Khoản 3 Điều 97 Nghị định số 08/2022/NĐ-CP",
    "Bảng 1. Trạm quan trắc của cơ sở",
    "NT-01 Cửa xả nước thải",
    "Chưa kết nối",
    "https://quantrac.test/v/",
]


def pdf_text(path: str, mode: str | None = None) -> str:
    """The PDF's text in reading order (``-raw``: rotated text in one piece)."""
    args = ["pdftotext", *([mode] if mode else []), path, "-"]
    return subprocess.run(args, capture_output=True, check=True, text=True).stdout


def folded(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _issue(drafted, workflow, position: int, document_type: str | None = None):
    notice = drafted(position)
    if document_type:
        notice.document_type = notice.register = document_type
        notice.addressee = ""
        db.session.flush()
    return workflow(notice, "issued")


@pytest.mark.parametrize(
    ("position", "kind", "expected"),
    [
        (
            1,
            None,
            [
                "Số: 01/SNNMT-CCBVMT",
                "V/v đôn đốc lắp đặt, kết nối truyền số liệu",
                "Kính gửi: Công ty TNHH Thủy sản Mê Kông.",
            ],
        ),
        (
            3,
            None,
            [
                "Số: 01/GM-SNNMT",
                "GIẤY MỜI",
                "Làm việc về việc lắp đặt",
                "Kính gửi: Công ty TNHH Thủy sản Mê Kông.",
            ],
        ),
        (1, "TB", ["Số: 01/TB-SNNMT", "THÔNG BÁO", "V/v đôn đốc lắp đặt"]),
        (
            4,
            None,
            ["Số: 01/TTr-CCBVMT", "TỜ TRÌNH", "Đề xuất kiểm tra, xử lý vi phạm", "Kính trình Lãnh đạo Sở"],
        ),
    ],
)
def test_every_layout_element_is_printed(app, drafted, workflow, position, kind, expected):
    notice = _issue(drafted, workflow, position, kind)
    text = pdf_text(os.path.join(app.instance_path, notice.pdf_path))
    flat = folded(text)
    day = notice.issued_on
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    date_line = f"Cần Thơ, ngày {day.day:02d} tháng {month} năm {day.year}"
    for element in [*COMMON, *expected, date_line]:
        assert element in flat, element
    if notice.document_type in ("TB", "TTr"):
        assert "Kính gửi" not in flat
    if notice.answer_due_on:
        assert f"trước ngày {notice.answer_due_on:%d/%m/%Y}" in flat
    assert "{" not in flat and "DỰ THẢO" not in flat


def test_a_draft_preview_has_the_watermark_and_no_number(app, drafted):
    notice = drafted(1)
    data = services_issue.preview_pdf(notice, "https://quantrac.test")
    path = os.path.join(app.instance_path, "preview-test.pdf")
    with open(path, "wb") as stream:
        stream.write(data)
    flat = folded(pdf_text(path))
    assert "DỰ THẢO" in folded(pdf_text(path, "-raw")) and "Số: /SNNMT-CCBVMT" in flat.replace("\u00a0", "")
    assert "(15 ngày, tính từ ngày ban hành)" in flat
    assert not os.path.exists(os.path.join(app.instance_path, document.PDF_FOLDER, "preview-test.pdf"))


def test_the_stored_pdf_is_never_rendered_again(app, drafted, workflow, make_user):
    notice = _issue(drafted, workflow, 1)
    path = os.path.join(app.instance_path, notice.pdf_path)
    stamp = os.stat(path).st_mtime_ns
    with app.test_request_context():
        assert document.read_pdf(app.instance_path, notice.pdf_path)[:4] == b"%PDF"
    assert os.stat(path).st_mtime_ns == stamp


def test_the_body_places_the_table_at_the_facts_marker():
    body = "Đoạn một.\n\n{facts}\n\nĐoạn hai hạn {deadline}."
    facts = {"caption": "Bảng", "header": ["A"], "rows": [["x"]]}
    html = str(document.body_markup(body, facts, ["Yêu cầu trước ngày {deadline}."], "20/01/2026"))
    assert html.index("Đoạn một") < html.index("<table") < html.index("Đoạn hai hạn 20/01/2026")
    assert "Yêu cầu trước ngày 20/01/2026." in html
    assert document.facts_table({"header": ["A"], "rows": []}) is None
    assert isinstance(document.facts_table(facts), Table)


def test_the_agency_is_written_in_sentence_case():
    assert wording.agency_in_text("SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG") == "Sở Nông nghiệp và Môi trường"
    assert wording.agency_in_text("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG") == "Sở Tài nguyên và Môi trường"


def test_unknown_template_fields_stay_as_written():
    assert wording.fill("{facility} {deadline} {other}", {"facility": "A"}) == "A {deadline} {other}"
