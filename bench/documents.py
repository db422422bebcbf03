"""Notice PDF: ``render_pdf`` against WeasyPrint rendering the same final HTML bare.

Run: ``.venv/bin/python bench/documents.py [runs]`` (default 20). Both sides are
timed alternately, after one warm-up render each; the medians and their ratio are
printed (goal: ratio <= 1.3).
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from weasyprint import HTML  # noqa: E402

from app.documents.body import Table, body_html, heading, items  # noqa: E402
from app.documents.layout import DocumentType, default_symbol  # noqa: E402
from app.documents.render import BASE_URL, Document, render_html, render_pdf  # noqa: E402

AGENCY = {
    "province": "Cần Thơ",
    "superior_body": "UBND THÀNH PHỐ CẦN THƠ",
    "name": "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
    "abbreviation": "SNNMT",
    "division": "Chi cục Bảo vệ môi trường",
    "division_abbreviation": "CCBVMT",
    "signatory_authority": "KT. GIÁM ĐỐC",
    "signatory_title": "PHÓ GIÁM ĐỐC",
    "signatory_name": "Nguyễn Văn An",
}


def notice() -> Document:
    """A one-page notice about a month's data completeness, with its table and QR code."""
    rows = [
        [name, 8928, 8928 - 300 * i, f"{(8928 - 300 * i) / 89.28:.1f}%".replace(".", ",")]
        for i, name in enumerate(["pH", "COD", "TSS", "Amoni", "Nhiệt độ", "Lưu lượng"])
    ]
    body = body_html(
        [
            heading("1. Căn cứ pháp lý"),
            "Căn cứ Luật Bảo vệ môi trường ngày 17 tháng 11 năm 2020; Nghị định số 08/2022/NĐ-CP ngày 10 "
            "tháng 01 năm 2022 của Chính phủ quy định chi tiết một số điều của Luật Bảo vệ môi trường.",
            heading("2. Kết quả theo dõi"),
            "Tỷ lệ dữ liệu nhận được của trạm quan trắc nước thải tự động trong tháng 12 năm 2025 như sau:",
            Table(["Thông số", "Dự kiến", "Nhận được", "Tỷ lệ"], rows, caption="Bảng 1. Tỷ lệ dữ liệu"),
            heading("3. Yêu cầu"),
            items(
                ["Khắc phục sự cố truyền dữ liệu;", "Báo cáo kết quả về Sở trước ngày 20 tháng 01 năm 2026."]
            ),
        ]
    )
    return Document(
        type=DocumentType.NOTICE,
        symbol=default_symbol(DocumentType.NOTICE, "SNNMT", "CCBVMT"),
        summary="Về việc chậm truyền dữ liệu quan trắc tự động tháng 12 năm 2025",
        body=body,
        agency=AGENCY,
        number=5,
        issued_on=date(2026, 1, 5),
        copies_to=("Công ty TNHH Thủy sản Mê Kông", "Giám đốc Sở (để b/c)"),
        verification_url="https://quantrac.example.vn/v/Xk3fQ9aPzL2mW7tRb5",
    )


def main(runs: int = 20) -> None:
    """Print the medians of both sides and their ratio."""
    document = notice()
    html = render_html(document)

    def bare() -> bytes:
        return HTML(string=html, base_url=BASE_URL).write_pdf()

    render_pdf(document), bare()  # warm-up: fonts, caches, templates
    ours, theirs, html_only = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        render_pdf(document)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        bare()
        theirs.append(time.perf_counter() - start)
        start = time.perf_counter()
        render_html(document)
        html_only.append(time.perf_counter() - start)
    mine, base = statistics.median(ours), statistics.median(theirs)
    print(f"notice PDF, {runs} runs each, medians ({date.today():%Y-%m-%d})")
    print(f"  render_pdf            {mine * 1000:8.1f} ms")
    print(f"  bare WeasyPrint       {base * 1000:8.1f} ms")
    print(f"  of which render_html  {statistics.median(html_only) * 1000:8.1f} ms")
    print(f"  ratio                 {mine / base:8.2f}x (goal <= 1.3x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
