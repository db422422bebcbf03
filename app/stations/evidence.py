"""Evidence files: PDFs and images attached to declarations and windows.

A file is accepted by its content only (magic bytes and a cheap structural
parse), never by its name or declared type. Accepted files are stored under
the instance folder by SHA-256 (``evidence/<sha[:2]>/<sha256>``), written
atomically, the same bytes once; each upload still gets its own
``EvidenceFile`` row. Files are served only through routes that check access
(``evidence_response``), never from a public path.

The first part of this module is pure (bytes in, a MIME type out); the second
holds the services, which flush and never commit.
"""

from __future__ import annotations

import hashlib
import os
import struct
import zlib
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import sqlalchemy as sa
from flask import Response, abort, current_app, send_file
from flask_babel import gettext as _

from app.audit.actor import current_actor
from app.errors import DomainError
from app.extensions import db
from app.files import write_once
from app.stations.models import EvidenceFile
from app.text import clean_name

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# JPEG markers that start a frame (SOF0-SOF15 except DHT, JPG and DAC).
JPEG_FRAME_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
JPEG_STANDALONE_MARKERS = frozenset(range(0xD0, 0xD8)) | {0x01}


# --- Pure checks -------------------------------------------------------------------------------


def _is_pdf(data: bytes) -> bool:
    """A PDF header with a version, and an end-of-file marker after it."""
    if not data.startswith(b"%PDF-") or len(data) < 8 or not data[5:6].isdigit():
        return False
    return data.rfind(b"%%EOF") > 5


def _is_png(data: bytes) -> bool:
    """The PNG signature, then well-formed chunks with valid CRCs from IHDR to IEND."""
    if not data.startswith(PNG_SIGNATURE):
        return False
    position, first = len(PNG_SIGNATURE), True
    while position + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        end = position + 12 + length
        if end > len(data):
            return False
        body = data[position + 4 : end - 4]
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(body) & 0xFFFFFFFF != crc:
            return False
        if first:
            if kind != b"IHDR" or length != 13:
                return False
            width, height = struct.unpack(">II", body[4:12])
            if width == 0 or height == 0:
                return False
            first = False
        if kind == b"IEND":
            return True
        position = end
    return False


def _is_jpeg(data: bytes) -> bool:
    """SOI, well-formed segments up to the scan with a frame header before it, then EOI."""
    if not data.startswith(b"\xff\xd8\xff"):
        return False
    position, has_frame = 2, False
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return False
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in JPEG_STANDALONE_MARKERS:
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if length < 2 or position + 2 + length > len(data):
            return False
        if marker in JPEG_FRAME_MARKERS:
            has_frame = True
        if marker == 0xDA:  # start of scan: the entropy-coded data follows
            return has_frame and b"\xff\xd9" in data[position + 2 + length :]
        position += 2 + length
    return False


def sniff_type(data: bytes) -> str | None:
    """The MIME type of a PDF, PNG or JPEG file judged by its content; None for anything else."""
    for mime, check in ((PDF, _is_pdf), (PNG, _is_png), (JPEG, _is_jpeg)):
        if check(data):
            return mime
    return None


def download_name(original_name: str, mime_type: str) -> str:
    """The original name with the extension of the file's real type."""
    stem = os.path.splitext(os.path.basename(original_name.replace("\\", "/")))[0] or "evidence"
    return stem + EXTENSIONS.get(mime_type, "")


# --- Services ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """One uploaded file: the name it was sent under and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class CheckedUpload:
    """An upload whose content was accepted."""

    name: str
    data: bytes
    mime_type: str
    sha256: str


def max_bytes() -> int:
    """The evidence size limit in bytes (setting ``receipt.evidence_max_mb``)."""
    from app.settings.services import get as setting

    return int(setting("receipt.evidence_max_mb")) * 1024 * 1024


def read_uploads(files: list[Any]) -> list[Upload]:
    """Read uploaded files (werkzeug ``FileStorage``), at most one byte past the limit each."""
    limit = max_bytes()
    uploads = []
    for storage in files:
        if storage is None or not getattr(storage, "filename", None):
            continue
        name = clean_name(os.path.basename(storage.filename.replace("\\", "/")))[:255] or "tep"
        uploads.append(Upload(name, storage.stream.read(limit + 1)))
    return uploads


def check_uploads(uploads: list[Upload]) -> list[CheckedUpload]:
    """Accept every file or refuse with the first problem (empty, too large, not a PDF or image)."""
    limit = max_bytes()
    checked = []
    for upload in uploads:
        if not upload.data:
            raise DomainError(_("The file %(name)s is empty.", name=upload.name), field="evidence")
        if len(upload.data) > limit:
            raise DomainError(
                _(
                    "The file %(name)s is larger than the limit of %(mb)d MB.",
                    name=upload.name,
                    mb=limit // (1024 * 1024),
                ),
                field="evidence",
            )
        mime = sniff_type(upload.data)
        if mime is None:
            raise DomainError(
                _("The file %(name)s is not a PDF, PNG or JPEG file.", name=upload.name), field="evidence"
            )
        checked.append(CheckedUpload(upload.name, upload.data, mime, hashlib.sha256(upload.data).hexdigest()))
    return checked


def storage_root() -> str:
    """The folder holding evidence files (inside the instance folder)."""
    return os.path.join(current_app.instance_path, "evidence")


def stored_path(sha256: str) -> str:
    """Where the bytes of a hash are stored."""
    return os.path.join(storage_root(), sha256[:2], sha256)


def _write_once(sha256: str, data: bytes) -> None:
    """Write the bytes under their hash, atomically (temporary file then rename); once only."""
    write_once(stored_path(sha256), data, prefix=".upload-")


def store_evidence(
    checked: list[CheckedUpload], *, enterprise_id: int | None, object_type: str, object_id: int
) -> list[EvidenceFile]:
    """Store accepted files for an object and add one row per upload (flushed, not committed)."""
    rows = []
    for upload in checked:
        _write_once(upload.sha256, upload.data)
        row = EvidenceFile(
            sha256=upload.sha256,
            size=len(upload.data),
            mime_type=upload.mime_type,
            original_name=upload.name,
            enterprise_id=enterprise_id,
            object_type=object_type,
            object_id=object_id,
            uploaded_by_id=current_actor().user_id,
        )
        db.session.add(row)
        rows.append(row)
    db.session.flush()
    return rows


def evidence_of(object_type: str, object_ids: list[int]) -> dict[int, list[EvidenceFile]]:
    """Evidence files of several objects of one type, by object id, in upload order."""
    found: dict[int, list[EvidenceFile]] = {object_id: [] for object_id in object_ids}
    if not object_ids:
        return found
    rows = db.session.scalars(
        sa.select(EvidenceFile)
        .where(EvidenceFile.object_type == object_type, EvidenceFile.object_id.in_(object_ids))
        .order_by(EvidenceFile.id)
    )
    for row in rows:
        found[row.object_id].append(row)
    return found


def evidence_response(evidence: EvidenceFile) -> Response:
    """The stored file as a download with its checked type (the caller has checked access)."""
    path = stored_path(evidence.sha256)
    if not os.path.isfile(path):
        abort(404)
    with open(path, "rb") as stream:
        body = BytesIO(stream.read())  # read whole: files are small, and no handle outlives the request
    response = send_file(
        body,
        mimetype=evidence.mime_type,
        as_attachment=True,
        download_name=download_name(evidence.original_name, evidence.mime_type),
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
