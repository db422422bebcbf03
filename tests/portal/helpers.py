"""Stations and evidence files for portal, verification and evidence tests."""

from __future__ import annotations

import struct
import uuid
import zlib
from io import BytesIO

from app.extensions import db
from app.portal.demo import evidence_pdf
from app.stations.models import Station


def make_station(facility, code: str | None = None, kind: str = "wastewater", **values) -> Station:
    """A station of the facility (code_key is the lower-case code)."""
    code = code or f"ST{uuid.uuid4().hex[:6].upper()}"
    station = Station(
        code=code,
        code_key=code.lower(),
        facility_id=facility.id if facility is not None else None,
        kind=kind,
        parameters=values.pop("parameters", ["FLOW_OUT", "pH", "COD"]),
        **values,
    )
    db.session.add(station)
    db.session.flush()
    return station


def _chunk(kind: bytes, body: bytes) -> bytes:
    return (
        struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    )


def png_bytes(tag: str | None = None) -> bytes:
    """A valid 1x1 PNG; ``tag`` (unique by default) makes its bytes differ."""
    text = (tag or uuid.uuid4().hex).encode()
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + _chunk(b"tEXt", b"Comment\x00" + text)
        + _chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + _chunk(b"IEND", b"")
    )


def jpeg_bytes(tag: str | None = None) -> bytes:
    """A structurally valid baseline JPEG header, scan and end marker."""
    text = (tag or uuid.uuid4().hex).encode()
    segments = [
        b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00",
        b"\xff\xfe" + struct.pack(">H", 2 + len(text)) + text,
        b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 1, 1, 1) + b"\x01\x11\x00",
        b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00\x00\x3f\x00",
    ]
    return b"\xff\xd8" + b"".join(segments) + b"\x12\x34\x56" + b"\xff\xd9"


def pdf_bytes(tag: str | None = None) -> bytes:
    """A valid one-page PDF whose text is ``tag`` (unique by default)."""
    return evidence_pdf(tag or uuid.uuid4().hex)


def upload(data: bytes, name: str) -> tuple[BytesIO, str]:
    """A file for the test client's multipart form data."""
    return BytesIO(data), name
