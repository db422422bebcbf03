"""The public verification page of an issued document: its facts and a file check.

No login. Only an issued notice's token opens a page; anything else is a 404.
The page shows the number, date, recipient, issuing agency and stored SHA-256,
and compares the SHA-256 of an uploaded file with it. Nothing else is shown.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from flask import abort, render_template

from app.auth.access import public
from app.extensions import db
from app.notices import verify_bp
from app.notices.forms import CheckFileForm
from app.notices.models import Notice
from app.settings.services import agency

CHUNK = 1 << 16


def _issued(token: str) -> Notice:
    if len(token) > 64:
        abort(404)
    notice = db.session.scalar(
        sa.select(Notice).where(Notice.verify_token == token, Notice.status == "issued")
    )
    return notice or abort(404)


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
    notice = _issued(token)
    form = CheckFileForm()
    outcome = None
    uploaded = None
    if form.validate_on_submit():
        uploaded = _sha256(form.file.data.stream)
        outcome = "match" if uploaded == notice.pdf_sha256 else "different"
    status = 400 if form.is_submitted() and outcome is None else 200
    page_html = render_template(
        "verify/page.html",
        notice=notice,
        recipient=_recipient(notice),
        agency=agency(),
        form=form,
        outcome=outcome,
        uploaded=uploaded,
    )
    return page_html, status
