"""Helpers of the delivery, portal and reminder tests: a real local SMTP server, issued notices.

The SMTP server is aiosmtpd on 127.0.0.1 with a free port; its replies can be
scripted (e.g. ``451`` once at DATA, ``550`` at RCPT). Issued notices are
inserted complete (migration 0006 freezes them), with a real PDF rendered by
``app.documents.render`` and stored under the instance folder by its SHA-256.
"""

from __future__ import annotations

import functools
import itertools
import secrets
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from email import message_from_bytes, policy
from email.message import EmailMessage

from flask import current_app

from app.db import utcnow
from app.extensions import db
from app.formatting import LOCAL_TZ
from app.notices import document
from app.notices.models import Notice

NUMBERS = itertools.count(secrets.randbelow(10_000) * 100 + 1)


@dataclass
class Received:
    """One message the server accepted: the envelope and the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class Handler:
    """An aiosmtpd handler that keeps accepted messages and plays scripted refusals first."""

    rcpt_replies: list[str] = field(default_factory=list)
    data_replies: list[str] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            if self.rcpt_replies:
                return self.rcpt_replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.data_replies:
                return self.data_replies.pop(0)
            parsed = message_from_bytes(envelope.content, policy=policy.default)
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
            return f"250 2.0.0 Ok: queued as Q{len(self.received)}"


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(app, **replies) -> Iterator[Handler]:
    """A real SMTP server on 127.0.0.1 for the duration; the app's mail settings point at it."""
    from aiosmtpd.controller import Controller

    handler = Handler(**replies)
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    saved = {key: app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    try:
        yield handler
    finally:
        app.config.update(saved)
        controller.stop()


@functools.cache
def notice_pdf() -> bytes:
    """A real one-page notice PDF in the Decree 30/2020 layout (rendered once per run)."""
    from app.documents.body import body_html
    from app.documents.layout import DocumentType
    from app.documents.render import Document, render_pdf
    from app.settings.registry import BY_KEY

    agency = {key.split(".", 1)[1]: s.default for key, s in BY_KEY.items() if key.startswith("agency.")}
    document = Document(
        type=DocumentType.OFFICIAL_LETTER,
        symbol="SNNMT-CCBVMT",
        summary="V/v đôn đốc lắp đặt, kết nối truyền số liệu quan trắc tự động",
        body=body_html(["Đề nghị Công ty khẩn trương khắc phục, báo cáo kết quả thực hiện."]),
        agency=agency,
        number=5,
        issued_on=date(2026, 12, 1),
        addressees=("Công ty TNHH Thủy sản Mê Kông",),
    )
    return render_pdf(document)


def store_pdf(data: bytes) -> tuple[str, str]:
    """Write a PDF under the instance folder as issuing does; (sha256, relative path)."""
    return document.store_pdf(current_app.instance_path, data)


def issued_notice(
    facility,
    *,
    document_type: str = "CV",
    status: str = "issued",
    issued_on: date | None = None,
    answer_due_on: date | None = None,
    case=None,
    ladder_step=None,
    summary: str = "V/v đôn đốc lắp đặt, kết nối truyền số liệu quan trắc tự động",
    pdf: bytes | None = None,
) -> Notice:
    """An issued notice inserted complete, its PDF stored (a draft when ``status`` says so)."""
    issued_on = issued_on or datetime.now(LOCAL_TZ).date()
    number = next(NUMBERS)
    values = {}
    if status == "issued":
        sha256, relative = store_pdf(pdf or notice_pdf())
        values = dict(
            number=number,
            year=issued_on.year,
            number_text=f"{number:02d}/SNNMT-CCBVMT"
            if document_type == "CV"
            else f"{number:02d}/{document_type}-SNNMT",
            issued_on=issued_on,
            issued_at=datetime.combine(issued_on, time(9, 30), tzinfo=LOCAL_TZ),
            pdf_sha256=sha256,
            pdf_path=relative,
        )
    notice = Notice(
        facility_id=facility.id,
        case_id=case.id if case is not None else None,
        ladder_step_id=ladder_step.id if ladder_step is not None else None,
        step_position=ladder_step.position if ladder_step is not None else 0,
        document_type=document_type,
        register=document_type,
        status=status,
        summary=summary,
        addressee=facility.enterprise.name if facility.enterprise else "",
        answer_due_on=answer_due_on,
        verify_token=secrets.token_urlsafe(24),
        created_at=utcnow(),
        **values,
    )
    db.session.add(notice)
    db.session.flush()
    return notice


def attachments(message: EmailMessage) -> list[tuple[str, bytes]]:
    """(file name, bytes) of each attachment."""
    return [(part.get_filename(), part.get_content()) for part in message.iter_attachments()]
