"""Evidence files: accepted by content only, stored once by hash, served only with access checks."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from app.errors import DomainError
from app.extensions import db
from app.settings.services import update as update_settings
from app.stations import evidence
from app.stations.evidence import Upload, check_uploads, download_name, sniff_type, store_evidence
from app.stations.models import EvidenceFile
from tests.portal.helpers import jpeg_bytes, pdf_bytes, png_bytes

EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 64
    + b"This program cannot be run"
)
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


# --- Pure checks -------------------------------------------------------------------------------


def test_types_are_judged_by_content() -> None:
    assert sniff_type(pdf_bytes()) == "application/pdf"
    assert sniff_type(png_bytes()) == "image/png"
    assert sniff_type(jpeg_bytes()) == "image/jpeg"
    for data in (b"", EXE, HTML, b"%PDF-1.7 no end marker", b"plain text", b"GIF89a\x01\x00"):
        assert sniff_type(data) is None


def test_a_png_with_a_broken_chunk_or_without_end_is_refused() -> None:
    good = png_bytes("x")
    corrupted = good[:20] + bytes([good[20] ^ 0xFF]) + good[21:]
    assert sniff_type(corrupted) is None
    assert sniff_type(good[:-12]) is None  # no IEND
    assert sniff_type(b"\x89PNG\r\n\x1a\n" + HTML) is None


def test_a_jpeg_signature_alone_is_not_enough() -> None:
    assert sniff_type(b"\xff\xd8\xff\xe0" + HTML) is None
    assert sniff_type(jpeg_bytes()[:-2]) is None  # no end of image


def test_download_name_takes_the_real_type_extension() -> None:
    assert download_name("bien-ban.pdf", "image/png") == "bien-ban.png"
    assert download_name("C:\\scan\\anh chup.JPG", "image/jpeg") == "anh chup.jpg"
    assert download_name("", "application/pdf") == "evidence.pdf"


# --- Checks with the size limit ------------------------------------------------------------------


def test_a_pdf_that_is_really_a_png_is_accepted_as_png(app) -> None:
    [checked] = check_uploads([Upload("bien-ban.pdf", png_bytes())])
    assert checked.mime_type == "image/png"
    assert checked.name == "bien-ban.pdf"


def test_an_exe_renamed_pdf_is_refused(app) -> None:
    with pytest.raises(DomainError) as refused:
        check_uploads([Upload("hoa-don.pdf", EXE)])
    assert refused.value.field == "evidence" and "hoa-don.pdf" in refused.value.message


def test_html_renamed_png_is_refused(app) -> None:
    with pytest.raises(DomainError) as refused:
        check_uploads([Upload("anh.png", HTML)])
    assert refused.value.field == "evidence" and "anh.png" in refused.value.message


def test_an_empty_file_is_refused(app) -> None:
    with pytest.raises(DomainError):
        check_uploads([Upload("rong.pdf", b"")])


def test_an_oversized_file_is_refused_with_the_limit(app) -> None:
    update_settings({"receipt.evidence_max_mb": 1})
    limit = 1024 * 1024
    assert evidence.max_bytes() == limit
    big = png_bytes()[:-12] + b"\x00" * limit + png_bytes()[-12:]
    with pytest.raises(DomainError) as refused:
        check_uploads([Upload("lon.png", big)])
    assert "lon.png" in refused.value.message and "1" in refused.value.message
    # Exactly at the limit is fine when the content is right.
    at_limit = pdf_bytes()
    at_limit = at_limit + b"%" * (limit - len(at_limit))
    assert len(at_limit) == limit
    assert check_uploads([Upload("vua.pdf", at_limit)])[0].mime_type == "application/pdf"


# --- Storage by hash -------------------------------------------------------------------------------


def test_same_bytes_twice_make_one_file_and_two_rows(app, make_enterprise) -> None:
    enterprise = make_enterprise()
    data = png_bytes()
    first = store_evidence(
        check_uploads([Upload("a.png", data)]),
        enterprise_id=enterprise.id,
        object_type="declarations",
        object_id=1,
    )
    second = store_evidence(
        check_uploads([Upload("b.pdf", data)]),
        enterprise_id=enterprise.id,
        object_type="declarations",
        object_id=2,
    )
    rows = db.session.scalars(sa.select(EvidenceFile).where(EvidenceFile.sha256 == first[0].sha256)).all()
    assert len(rows) == 2 and {r.original_name for r in rows} == {"a.png", "b.pdf"}
    assert first[0].sha256 == second[0].sha256
    path = evidence.stored_path(first[0].sha256)
    assert path.startswith(os.path.join(app.instance_path, "evidence", first[0].sha256[:2]))
    with open(path, "rb") as stored:
        assert stored.read() == data
    folder = os.listdir(os.path.dirname(path))
    assert folder.count(first[0].sha256) == 1
    assert not [name for name in folder if name.startswith(".upload-")]
    assert rows[0].size == len(data) and rows[0].mime_type == "image/png"


def test_evidence_is_not_under_the_static_folder(app) -> None:
    assert not os.path.abspath(evidence.storage_root()).startswith(os.path.abspath(app.static_folder))
