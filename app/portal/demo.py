"""Portal items for the demo: pending declarations, a rejection, an approved and a pending window.

``seed_portal_demo`` works on the stations already in the database (the
demo's); without stations it does nothing, and it does nothing either once
any declaration or window exists. Stations of enterprises that have a user
come first, so the demo's enterprise accounts see the items in their portal.
Items are made through the same use cases as the screens, acting as the
enterprise's user and an inspector, so the audit trail reads as it would.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from app.audit.actor import acting_as
from app.auth.models import User
from app.auth.roles import ENTERPRISE, INSPECTOR
from app.extensions import db
from app.facilities.models import Facility
from app.formatting import LOCAL_TZ
from app.portal import services as portal
from app.stations.evidence import Upload
from app.stations.models import Declaration, ExcuseWindow, Station
from app.verification import services as verification

REJECTION = (
    "Biên bản nghiệm thu chưa có chữ ký của đơn vị lắp đặt; "
    "đề nghị bổ sung biên bản có đủ chữ ký và ảnh chụp tủ datalogger."
)


def evidence_pdf(title: str) -> bytes:
    """A small, valid one-page PDF with a line of ASCII text (demo evidence)."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    content = b"BT /F1 14 Tf 72 770 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return body


def _upload(name: str, station: Station) -> list[Upload]:
    return [Upload(name, evidence_pdf(f"{name} - {station.code}"))]


@contextmanager
def _as(user: User | None) -> Iterator[None]:
    if user is None:
        yield
        return
    with acting_as(user.email, user.id):
        yield


def _stations() -> list[tuple[Station, User | None]]:
    """Facility stations with their enterprise's first user, those with a user first."""
    stations = db.session.scalars(
        sa.select(Station).join(Facility, Station.facility_id == Facility.id).order_by(Station.code_key)
    ).all()
    users: dict[int, User] = {}
    for user in db.session.scalars(sa.select(User).where(User.role == ENTERPRISE).order_by(User.id)):
        users.setdefault(user.enterprise_id, user)
    paired = [(s, users.get(s.facility.enterprise_id)) for s in stations]
    return sorted(paired, key=lambda pair: pair[1] is None)


def _at(days_ago: int, hour: int) -> datetime:
    day = datetime.now(LOCAL_TZ).date() - timedelta(days=days_ago)
    return datetime(day.year, day.month, day.day, hour, tzinfo=LOCAL_TZ)


def _declare(station: Station, user: User | None, days_ago: int) -> Declaration:
    """Declare what the station lacks: its installation, else its connection."""
    with _as(user):
        if station.installed_at is None and station.data_expected_from is None:
            return portal.declare_installation(
                station,
                installed_on=_at(days_ago + 20, 0).date(),
                parameters=list(station.parameters or []),
                has_camera=True,
                has_sampler=station.kind == "wastewater",
                datalogger_make="Envisoft DL-200",
                note="Đã lắp đặt và chạy thử 72 giờ.",
                uploads=_upload("bien-ban-nghiem-thu.pdf", station),
            )
        return portal.declare_connection(
            station,
            connected_since=_at(days_ago, 8),
            datalogger_ip=f"10.20.{station.id % 250}.{10 + days_ago}",
            note="Đã truyền số liệu về Sở từ ngày khai báo.",
            uploads=_upload("anh-chup-man-hinh-truyen.pdf", station),
        )


def seed_portal_demo() -> dict[str, Any]:
    """Add the portal's demo items; return what was made (all zero when nothing was done)."""
    made = {
        "pending_declarations": 0,
        "rejected_declarations": 0,
        "approved_windows": 0,
        "pending_windows": 0,
    }
    stations = _stations()
    already = db.session.scalar(sa.select(sa.func.count(Declaration.id))) or db.session.scalar(
        sa.select(sa.func.count(ExcuseWindow.id))
    )
    if not stations or already:
        return made
    inspector = db.session.scalar(sa.select(User).where(User.role == INSPECTOR).order_by(User.id))

    station, user = stations[-1]
    rejected = _declare(station, user, days_ago=12)
    with _as(inspector):
        verification.reject_declaration(rejected, REJECTION)
    made["rejected_declarations"] = 1

    for days_ago, (station, user) in enumerate(stations[:3], start=2):
        _declare(station, user, days_ago)
        made["pending_declarations"] += 1

    station, user = stations[0]
    with _as(user):
        maintenance = portal.request_window(
            station,
            kind="maintenance",
            starts_at=_at(10, 8),
            expected_end_at=_at(10, 12),
            reason="Hiệu chuẩn định kỳ thiết bị đo COD và pH.",
            uploads=_upload("ke-hoach-bao-tri.pdf", station),
        )
    with _as(inspector):
        verification.approve_window(maintenance, _at(10, 11), "Đúng kế hoạch bảo trì đã thông báo.")
    made["approved_windows"] = 1

    station, user = stations[1 % len(stations)]
    with _as(user):
        portal.request_window(
            station,
            kind="incident",
            starts_at=_at(1, 14),
            expected_end_at=_at(0, 17),
            reason="Mất điện lưới khu vực, bộ lưu điện của datalogger hết pin.",
            uploads=_upload("thong-bao-su-co.pdf", station),
        )
    made["pending_windows"] = 1
    return made
