"""What the department's e-mails say: Vietnamese subjects and bodies, links, the notice's PDF.

E-mails to enterprises are written in Vietnamese directly (as the documents
are), from the templates under ``templates/emails/``: a plain-text part and an
HTML part (escaped by Jinja). Links use ``PUBLIC_BASE_URL`` (jobs have no
request to take a host from), else the request's host, else ``SERVER_NAME``.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from typing import Any

from flask import current_app, has_request_context, render_template, url_for
from werkzeug.routing import BuildError

from app.formatting import format_date
from app.notices.mail import Attachment
from app.notices.models import Notice
from app.settings import services as settings

TYPE_NAMES = {
    "CV": "Công văn",
    "GM": "Giấy mời",
    "TB": "Thông báo",
    "TTr": "Tờ trình",
    "BB": "Biên bản",
    "BC": "Báo cáo",
}


@dataclass(frozen=True)
class Content:
    """A message's subject, plain text and HTML."""

    subject: str
    text: str
    html: str


class MissingPdf(Exception):
    """The stored PDF of an issued notice is missing or no longer matches its SHA-256."""


def public_url(endpoint: str, **values: Any) -> str:
    """An absolute link to a page of the app, for e-mails sent by jobs."""
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    if base:
        return base + current_app.url_map.bind("localhost").build(endpoint, values)
    if has_request_context() or current_app.config.get("SERVER_NAME"):
        return url_for(endpoint, _external=True, **values)
    return "http://localhost:5000" + current_app.url_map.bind("localhost").build(endpoint, values)


def case_url(case_id: int) -> str:
    """The link to a case's page (its path when the case pages are not there to build it)."""
    try:
        return public_url("cases.detail", case_id=case_id)
    except BuildError:
        return public_url("home.root") + f"cases/{case_id}"


def type_name(notice: Notice) -> str:
    """The document type as it is named in a sentence: "Công văn", "Giấy mời" ..."""
    return TYPE_NAMES.get(notice.document_type, notice.document_type)


def pdf_attachment(notice: Notice) -> Attachment:
    """The notice's stored PDF, checked against its SHA-256, named after its number."""
    path = os.path.join(current_app.instance_path, notice.pdf_path or "")
    if not notice.pdf_path or not os.path.isfile(path):
        raise MissingPdf(f"không tìm thấy tệp PDF của văn bản {notice}")
    with open(path, "rb") as stream:
        data = stream.read()
    if hashlib.sha256(data).hexdigest() != notice.pdf_sha256:
        raise MissingPdf(f"tệp PDF của văn bản {notice} không khớp mã SHA-256 đã lưu")
    stem = re.sub(r"[^0-9A-Za-z.-]+", "-", notice.number_text or f"van-ban-{notice.id}").strip("-")
    return Attachment(f"{stem}.pdf", data)


def _render(name: str, **values: Any) -> tuple[str, str]:
    return (
        render_template(f"emails/{name}.txt", **values).strip() + "\n",
        render_template(f"emails/{name}.html", **values),
    )


def _notice_values(notice: Notice) -> dict[str, Any]:
    facility = notice.facility
    return {
        "notice": notice,
        "type_name": type_name(notice),
        "issued_on": format_date(notice.issued_on),
        "answer_due_on": format_date(notice.answer_due_on) if notice.answer_due_on else None,
        "facility": facility,
        "enterprise": facility.enterprise,
        "agency": settings.agency(),
        "portal_url": public_url("portal.notice", notice_id=notice.id),
    }


def notice_content(notice: Notice) -> Content:
    """The e-mail carrying an issued notice to the enterprise."""
    values = _notice_values(notice)
    subject = f"{values['type_name']} số {notice.number_text} ngày {values['issued_on']}: {notice.summary}"
    text, html = _render("notice", **values)
    return Content(" ".join(subject.split())[:250], text, html)


def answer_reminder_content(notice: Notice) -> Content:
    """The reminder to the enterprise that its answer to a notice is due soon."""
    values = _notice_values(notice)
    subject = f"Nhắc hạn trả lời {values['type_name'].lower()} số {notice.number_text} (hạn {values['answer_due_on']})"
    text, html = _render("answer_reminder", **values)
    return Content(subject[:250], text, html)


def step_reminder_content(notice: Notice, due_on: str) -> Content:
    """The reminder to the inspector that the waiting time after a notice has ended."""
    values = _notice_values(notice)
    values.update(due_on=due_on, case=notice.case, case_url=case_url(notice.case_id))
    subject = f"Hết thời gian chờ sau văn bản số {notice.number_text}: xem xét bước tiếp theo ({notice.facility.name})"
    text, html = _render("step_reminder", **values)
    return Content(" ".join(subject.split())[:250], text, html)
