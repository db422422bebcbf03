"""The public verification page of an issued document: its facts and a file check.

No login. Only an issued notice's or finalised minutes' token opens a page;
anything else is a 404. The page shows the number, date, recipient (the facility,
for minutes), issuing agency and stored SHA-256, and compares the SHA-256 of an
uploaded file with it. Nothing else is shown.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import abort, render_template

from app.auth.access import public
from app.extensions import db
from app.inspections.models import Inspection
from app.notices import verify_bp
from app.notices.forms import CheckFileForm
from app.notices.models import Notice
from app.settings.services import agency

CHUNK = 1 << 16


@dataclass(frozen=True)
class Registered:
    """What the page shows of a registered document."""

    number_text: str
    issued_on: date
    recipient: str
    pdf_sha256: str
    facility: str = ""


def _issued(token: str) -> Registered:
    if len(token) > 64:
        abort(404)
    notice = db.session.scalar(
        sa.select(Notice).where(Notice.verify_token == token, Notice.status == "issued")
    )
    if notice is not None:
        return Registered(notice.number_text, notice.issued_on, _recipient(notice), notice.pdf_sha256)
    minutes = db.session.scalar(
        sa.select(Inspection).where(Inspection.verify_token == token, Inspection.status == "finalised")
    )
    if minutes is None:
        abort(404)
    facility = minutes.facility
    return Registered(
        minutes.number_text,
        minutes.inspected_on,
        facility.enterprise.name,
        minutes.pdf_sha256,
        facility=f"{facility.code} · {facility.name}",
    )


def _recipient(notice: Notice) -> str:
    if notice.addressee:
        return notice.addressee.replace("\n", "; ")
    if notice.document_type == "TTr":
        return "Lãnh đạo Sở"
    return notice.facility.enterprise.name


def _sha256(stream) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


@verify_bp.route("/<token>", methods=["GET", "POST"], endpoint="page")
@public
def page(token: str):
    """An issued document's facts, and the comparison of an uploaded file with its SHA-256."""
    document = _issued(token)
    form = CheckFileForm()
    outcome = None
    uploaded = None
    if form.validate_on_submit():
        uploaded = _sha256(form.file.data.stream)
        outcome = "match" if uploaded == document.pdf_sha256 else "different"
    status = 400 if form.is_submitted() and outcome is None else 200
    page_html = render_template(
        "verify/page.html",
        document=document,
        agency=agency(),
        form=form,
        outcome=outcome,
        uploaded=uploaded,
    )
    return page_html, status
