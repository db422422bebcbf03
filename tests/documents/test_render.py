"""Rendered PDFs, read back with poppler: the Decree 30 layout's texts, fonts, QR code, safety."""

import subprocess
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from markupsafe import Markup

from app.documents.body import body_html
from app.documents.layout import DocumentType as T
from app.documents.render import DocumentError, render_html, render_pdf

from .conftest import AGENCY, MINUTES_SIGNERS, URL, make_document

ROOT = Path(__file__).resolve().parents[2]
TYPES = [
    # kind, number line, type name, has Kính gửi
    (T.OFFICIAL_LETTER, "Số: 05/SNNMT-CCBVMT", None, True),
    (T.INVITATION, "Số: 05/GM-SNNMT", "GIẤY MỜI", True),
    (T.NOTICE, "Số: 05/TB-SNNMT", "THÔNG BÁO", False),
    (T.SUBMISSION, "Số: 05/TTr-CCBVMT", "TỜ TRÌNH", False),
    (T.MINUTES, "Số: 05/BB-CCBVMT", "BIÊN BẢN", False),
    (T.REPORT, "Số: 05/BC-SNNMT", "BÁO CÁO", False),
]
TYPE_NAMES = ["GIẤY MỜI", "THÔNG BÁO", "TỜ TRÌNH", "BIÊN BẢN", "BÁO CÁO", "KẾ HOẠCH", "QUYẾT ĐỊNH"]
BUNDLED = {
    "Liberation-Serif",
    "Liberation-Serif-Bold",
    "Liberation-Serif-Italic",
    "Liberation-Serif-Bold-Italic",
}


def squeeze(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("kind", "number", "type_name", "has_kinh_gui"), TYPES, ids=[t[0].value for t in TYPES]
)
def test_each_type_prints_the_decree_30_texts(poppler, kind, number, type_name, has_kinh_gui):
    signers = MINUTES_SIGNERS if kind is T.MINUTES else ()
    text = poppler.text(render_pdf(make_document(kind, signers=signers)))
    lines = [squeeze(line) for line in text.splitlines()]
    expected = [
        "UBND THÀNH PHỐ CẦN THƠ",
        "SỞ NÔNG NGHIỆP",  # the agency breaks evenly over two lines
        "VÀ MÔI TRƯỜNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        number,
        "Cần Thơ, ngày 05 tháng 01 năm 2026",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT, CCBVMT.",
        "Bảng 1. Tỷ lệ dữ liệu tháng 12/2025",
        "Nhu cầu oxy hóa học (COD) 8.928 6.950 77,8%",
    ]
    if kind is T.MINUTES:
        expected += ["ĐẠI DIỆN CƠ SỞ", "ĐẠI DIỆN ĐOÀN KIỂM TRA", "Lê Văn Cường", "Trần Thị Bình"]
    else:
        expected += ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An"]
    assert all(unicodedata.is_normalized("NFC", e) for e in expected)
    assert unicodedata.is_normalized("NFC", text)
    missing = [e for e in expected if not any(e in line for line in lines)]
    assert missing == [], text
    flat = squeeze(text)
    if type_name:
        assert type_name in lines
        assert "Về việc chậm truyền dữ liệu quan trắc tự động" in flat
        assert "V/v" not in flat
    else:
        assert "V/v Về việc chậm truyền dữ liệu quan trắc tự động" in flat
        assert not any(name in lines for name in TYPE_NAMES)
    assert ("Kính gửi: Công ty TNHH Thủy sản Mê Kông." in flat) is has_kinh_gui
    assert ("Kính gửi" in text) is has_kinh_gui
    assert "DỰ THẢO" not in text


def test_several_addressees_are_listed(poppler):
    document = make_document(T.INVITATION, addressees=("Công ty A", "Công ty B"))
    lines = [squeeze(line) for line in poppler.text(render_pdf(document)).splitlines()]
    assert "Kính gửi: - Công ty A;" in lines and "- Công ty B." in lines


def test_data_is_escaped_not_interpreted(poppler):
    evil = "<script>alert(1)</script>"
    document = make_document(
        T.OFFICIAL_LETTER,
        addressees=(evil,),
        summary="đôn đốc <b>Công ty</b> & cơ sở",
        copies_to=('Công ty "<i>X</i>"',),
        body=body_html([f"Công ty {evil} phải báo cáo."]),
    )
    html = render_html(document)
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    flat = squeeze(poppler.text(render_pdf(document)))
    assert f"Kính gửi: {evil}." in flat
    assert f"Công ty {evil} phải báo cáo." in flat
    assert "V/v đôn đốc <b>Công ty</b> & cơ sở" in flat
    assert '- Công ty "<i>X</i>";' in flat


def test_fonts_are_the_bundled_liberation_serif(poppler):
    fonts = poppler.fonts(render_pdf(make_document(T.NOTICE)))
    # One font per face: a second "Liberation-Serif" would mean glyphs from the machine's
    # Liberation Serif 1.x (no Vietnamese) mixed with the bundled 2.x.
    assert sorted(name for name, _ in fonts) == sorted(BUNDLED)
    assert all(embedded == "yes" for _, embedded in fonts)


def test_pdf_does_not_depend_on_the_machines_fonts(poppler, tmp_path):
    """Rendered where fontconfig knows no font at all, the PDF is the same as here."""
    config = tmp_path / "fonts.conf"
    config.write_text(f"<?xml version='1.0'?><fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>")
    target = tmp_path / "isolated.pdf"
    script = (
        "import sys; from datetime import date; from app.documents.render import render_pdf;"
        "from tests.documents.conftest import make_document; from app.documents.layout import DocumentType;"
        "open(sys.argv[1], 'wb').write(render_pdf(make_document(DocumentType.NOTICE)))"
    )
    env = {"PATH": "/usr/bin:/bin", "FONTCONFIG_FILE": str(config), "PYTHONWARNINGS": "ignore"}
    subprocess.run([sys.executable, "-c", script, str(target)], cwd=ROOT, env=env, check=True)
    assert sorted(name for name, _ in poppler.fonts(target)) == sorted(BUNDLED)
    assert poppler.text(target) == poppler.text(render_pdf(make_document(T.NOTICE)))


def test_qr_code_and_short_link_on_the_first_page_only(poppler):
    long_body = body_html([f"Đoạn {i}: nội dung dài của báo cáo tháng." * 4 for i in range(40)])
    document = make_document(T.REPORT, body=long_body)
    pdf = render_pdf(document)
    assert squeeze(URL) in squeeze(poppler.text(pdf, 1, 1))
    assert "quantrac.test" not in poppler.text(pdf, 2)
    qr_box = (30, 276, 15, 19)  # the first page's bottom margin, left: where the QR code is drawn
    dark = sum(1 for level in poppler.gray(pdf, 1, qr_box) if level < 128)
    without = render_pdf(replace(document, verification_url=""))
    assert dark > 200
    assert all(level > 250 for level in poppler.gray(without, 1, qr_box))
    assert all(level > 250 for level in poppler.gray(pdf, 2, qr_box))
    assert "quantrac.test" not in poppler.text(without)


def test_page_numbers_from_page_two(poppler):
    document = make_document(T.REPORT, body=body_html([f"Đoạn {i}: nội dung." * 12 for i in range(60)]))
    pdf = poppler.write(render_pdf(document))
    pages = poppler.text(pdf).split("\f")
    assert len([p for p in pages if p.strip()]) >= 3
    assert pages[0].split()[0] == "UBND"
    assert pages[1].split()[0] == "2" and pages[2].split()[0] == "3"


def test_draft_has_watermark_blank_number_and_date(poppler):
    document = make_document(T.NOTICE, number=None, issued_on=None, is_draft=True)
    pdf = poppler.write(render_pdf(document))
    flat = squeeze(poppler.text(pdf))
    assert "DỰ THẢO" in squeeze(poppler.text(pdf, mode="-raw"))
    assert "Số: /TB-SNNMT" in flat
    assert "Cần Thơ, ngày tháng năm" in flat
    assert "2026" not in flat.split("THÔNG BÁO")[0]


def test_rendering_is_deterministic():
    document = make_document(T.NOTICE)
    assert render_pdf(document) == render_pdf(document)


@pytest.mark.parametrize(
    "change",
    [
        {"type": T.OFFICIAL_LETTER, "addressees": ()},
        {"type": T.NOTICE, "addressees": ("Công ty A",)},
        {"body": "<p>not Markup</p>"},
        {"verification_url": "javascript:alert(1)"},
        {"signers": MINUTES_SIGNERS * 2},
    ],
)
def test_invalid_documents_are_refused(change):
    with pytest.raises(DocumentError):
        render_html(make_document(T.NOTICE, **change))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://127.0.0.1:9/x.png", "fonts/../../config.py"])
def test_only_bundled_resources_are_fetched(url):
    body = Markup('<p><img src="{}"></p>').format(url)
    with pytest.raises(DocumentError):
        render_pdf(make_document(T.NOTICE, body=body))


def test_agency_settings_are_printed():
    agency = {**AGENCY, "superior_body": "UBND TỈNH HẬU GIANG", "province": "Hậu Giang"}
    html = render_html(make_document(T.NOTICE, agency=agency, signers=()))
    assert "UBND TỈNH HẬU GIANG" in html and "Hậu Giang, ngày 05 tháng 01 năm 2026" in html


def test_the_sign_off_never_stands_alone_on_a_page(poppler):
    # Bodies of growing length: whichever one pushes the sign-off to a new page, the
    # body's last paragraph goes with it, as an official document's signature page must.
    for count in range(6, 19):
        paragraphs = [f"Đoạn {i}: " + "nội dung kiểm tra việc truyền dữ liệu. " * 6 for i in range(count)]
        pdf = poppler.write(render_pdf(make_document(T.OFFICIAL_LETTER, body=body_html(paragraphs))))
        last_page = [page for page in poppler.text(pdf).split("\f") if page.strip()][-1]
        assert "Nơi nhận" in last_page
        assert f"Đoạn {count - 1}:" in last_page, f"the sign-off stood alone with {count} paragraphs"
