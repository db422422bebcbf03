"""Documents under test: a sample agency, a document factory, and poppler's tools on PDF bytes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from app.documents.body import Table, body_html, heading, items
from app.documents.layout import DocumentType, default_symbol, has_addressee
from app.documents.render import Document, Signer

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
URL = "https://quantrac.test/v/Xk3fQ9aPzL2mW7tRb5"
BODY = body_html(
    [
        heading("1. Căn cứ pháp lý"),
        "Căn cứ Nghị định số 08/2022/NĐ-CP ngày 10 tháng 01 năm 2022 của Chính phủ.",
        Table(
            ["Thông số", "Dự kiến", "Nhận được", "Tỷ lệ"],
            [["pH", 8928, 7012, "78,5%"], ["Nhu cầu oxy hóa học (COD)", 8928, 6950, "77,8%"]],
            caption="Bảng 1. Tỷ lệ dữ liệu tháng 12/2025",
        ),
        items(["Khắc phục sự cố truyền dữ liệu trước ngày 20 tháng 01 năm 2026."]),
    ]
)


def make_document(kind: DocumentType, **values) -> Document:
    """A complete document of ``kind`` issued as number 5 on 5 January 2026."""
    document = Document(
        type=kind,
        symbol=default_symbol(kind, "SNNMT", "CCBVMT"),
        summary="Về việc chậm truyền dữ liệu quan trắc tự động",
        body=BODY,
        agency=AGENCY,
        number=5,
        issued_on=date(2026, 1, 5),
        addressees=("Công ty TNHH Thủy sản Mê Kông",) if has_addressee(kind) else (),
        copies_to=("Như trên",),
        verification_url=URL,
    )
    return replace(document, **values)


MINUTES_SIGNERS = (
    Signer("Lê Văn Cường", "GIÁM ĐỐC", "ĐẠI DIỆN CƠ SỞ"),
    Signer("Trần Thị Bình", "TRƯỞNG ĐOÀN", "ĐẠI DIỆN ĐOÀN KIỂM TRA"),
)


class Poppler:
    """pdftotext, pdffonts and pdftoppm on PDF bytes written to a temporary folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    def write(self, pdf: bytes) -> Path:
        """The PDF as a file (kept with the test's temporary files for a look)."""
        self.count += 1
        path = self.folder / f"document-{self.count}.pdf"
        path.write_bytes(pdf)
        return path

    def text(
        self, pdf: bytes | Path, first: int | None = None, last: int | None = None, mode: str = "-layout"
    ) -> str:
        """``pdftotext -layout`` (or ``-raw``: rotated text in one piece) of the document or some pages."""
        path = pdf if isinstance(pdf, Path) else self.write(pdf)
        pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
        return subprocess.run(
            ["pdftotext", mode, *pages, str(path), "-"], check=True, capture_output=True, text=True
        ).stdout

    def fonts(self, pdf: bytes | Path) -> list[tuple[str, str]]:
        """(name without the subset tag, embedded yes/no) of every font, from ``pdffonts``."""
        path = pdf if isinstance(pdf, Path) else self.write(pdf)
        out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
        rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
        return [(row[0].split("+", 1)[-1], row[-5]) for row in rows]

    def gray(self, pdf: bytes, page: int, box_mm: tuple[float, float, float, float]) -> list[int]:
        """Grey levels (0 black - 255 white) of a box (x, y, width, height in mm) at 72 dpi."""
        path = self.write(pdf)
        x, y, w, h = (round(v * 72 / 25.4) for v in box_mm)
        stem = self.folder / f"crop-{self.count}"
        subprocess.run(
            ["pdftoppm", "-gray", "-r", "72", "-f", str(page), "-l", str(page), "-singlefile"]
            + ["-x", str(x), "-y", str(y), "-W", str(w), "-H", str(h), str(path), str(stem)],
            check=True,
        )
        data = stem.with_suffix(".pgm").read_bytes()
        header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+\d+\s", data)
        assert header is not None
        return list(data[header.end() : header.end() + int(header[1]) * int(header[2])])


@pytest.fixture
def poppler(tmp_path) -> Poppler:
    """Poppler's tools; skipped without them, except in CI where they must be there."""
    missing = [tool for tool in ("pdftotext", "pdffonts", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        message = f"{', '.join(missing)} not installed (Debian package poppler-utils)"
        if os.environ.get("QUANTRAC_REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return Poppler(tmp_path)
