"""The department's view of a notice's delivery: each e-mail and its attempts, receipts, answers.

Staff only. Answer attachments are served by ``verification.evidence``.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.routing import BuildError

from app.auth.access import allow
from app.auth.roles import ADMIN, INSPECTOR, STAFF
from app.db import commit
from app.extensions import db
from app.notices import bp
from app.notices.delivery import retry_delivery
from app.notices.models import Notice, NoticeDelivery, NoticeReceipt, Reminder
from app.portal import notices_services as portal


def _issued(notice_id: int) -> Notice:
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.status != "issued":
        abort(404)
    return notice


@bp.route("/<int:notice_id>/delivery", endpoint="delivery")
@allow(*STAFF)
def delivery(notice_id: int):
    """A notice's e-mails with every attempt, its receipts, answers and reminders."""
    notice = _issued(notice_id)
    deliveries = db.session.scalars(
        sa.select(NoticeDelivery).where(NoticeDelivery.notice_id == notice.id).order_by(NoticeDelivery.id)
    ).all()
    receipts = db.session.scalars(
        sa.select(NoticeReceipt).where(NoticeReceipt.notice_id == notice.id).order_by(NoticeReceipt.at)
    ).all()
    reminders = db.session.scalars(
        sa.select(Reminder).where(Reminder.notice_id == notice.id).order_by(Reminder.due_at)
    ).all()
    answers = portal.states([notice])[notice.id].answers
    return render_template(
        "portal/notice_delivery_log.html",
        notice=notice,
        deliveries=deliveries,
        receipts=receipts,
        reminders=reminders,
        answers=answers,
        files=portal.answer_files(answers),
        form=FlaskForm(),
        detail_url=_detail_url(notice),
    )


def _detail_url(notice: Notice) -> str | None:
    try:
        return url_for("notices.detail", notice_id=notice.id)
    except BuildError:
        return None


@bp.route("/deliveries/<int:delivery_id>/retry", methods=["POST"], endpoint="retry_delivery")
@allow(ADMIN, INSPECTOR)
def retry(delivery_id: int):
    """Send a failed e-mail again (after the address or the mail server was put right)."""
    found = db.session.get(NoticeDelivery, delivery_id)
    if found is None:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if retry_delivery(found).status == "pending":
        commit()
        flash(_("The e-mail will be sent again."), "success")
    else:
        flash(_("Only a failed e-mail to a valid address can be sent again."), "error")
    return redirect(url_for("notices.delivery", notice_id=found.notice_id))
