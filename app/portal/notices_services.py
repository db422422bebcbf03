"""Use cases of the portal's notices: the enterprise reads, acknowledges and answers its notices.

An enterprise sees only issued notices (never a draft, never a submission) of
its own facilities; any other id is NotFound, whatever the URL. Opening a
notice (or downloading its PDF) records a receipt ``opened`` the first time
per user; ``acknowledged`` is recorded once per notice. Answers carry text
and attachments (evidence files of object type ``notice_answers``). The
acknowledgement and the answers are audited.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from app.audit.actor import current_actor
from app.audit.services import record
from app.errors import DomainError, NotFound
from app.extensions import db
from app.facilities.models import Facility
from app.notices.delivery import NOT_DELIVERED
from app.notices.models import Notice, NoticeAnswer, NoticeReceipt
from app.stations.evidence import Upload, check_uploads, evidence_of, store_evidence
from app.stations.models import EvidenceFile

ANSWERS = "notice_answers"
ANSWER_MAX_LENGTH = 20000


def _visible() -> sa.Select:
    return (
        sa.select(Notice)
        .join(Facility, Notice.facility_id == Facility.id)
        .where(Notice.status == "issued", Notice.document_type.not_in(NOT_DELIVERED))
    )


def own_notices(enterprise_id: int) -> list[Notice]:
    """The enterprise's issued notices, newest first."""
    query = _visible().where(Facility.enterprise_id == enterprise_id)
    return list(db.session.scalars(query.order_by(Notice.issued_at.desc(), Notice.id.desc())))


def own_notice(enterprise_id: int, notice_id: int) -> Notice:
    """One of the enterprise's issued notices; NotFound for any other (or a draft, or a submission)."""
    notice = db.session.scalar(
        _visible().where(Notice.id == notice_id, Facility.enterprise_id == enterprise_id)
    )
    if notice is None:
        raise NotFound(_("No such notice."))
    return notice


@dataclass
class NoticeState:
    """What the enterprise has done with a notice: opened, acknowledged, answered."""

    opened_at: datetime | None = None
    acknowledged: NoticeReceipt | None = None
    answers: list[NoticeAnswer] = field(default_factory=list)


def states(notices: list[Notice]) -> dict[int, NoticeState]:
    """Each notice's receipts and answers, in two queries."""
    found = {n.id: NoticeState() for n in notices}
    if not found:
        return found
    for receipt in db.session.scalars(
        sa.select(NoticeReceipt).where(NoticeReceipt.notice_id.in_(found)).order_by(NoticeReceipt.at)
    ):
        state = found[receipt.notice_id]
        if receipt.kind == "opened" and state.opened_at is None:
            state.opened_at = receipt.at
        elif receipt.kind == "acknowledged" and state.acknowledged is None:
            state.acknowledged = receipt
    for answer in db.session.scalars(
        sa.select(NoticeAnswer).where(NoticeAnswer.notice_id.in_(found)).order_by(NoticeAnswer.id)
    ):
        found[answer.notice_id].answers.append(answer)
    return found


def has_opened(notice_id: int, user_id: int) -> bool:
    """Whether this user's opening of the notice is already recorded."""
    seen = db.session.scalar(
        sa.select(NoticeReceipt.id).where(
            NoticeReceipt.notice_id == notice_id,
            NoticeReceipt.kind == "opened",
            NoticeReceipt.user_id == user_id,
        )
    )
    return seen is not None


def record_opened(notice: Notice, user_id: int) -> NoticeReceipt | None:
    """Record that this user opened the notice, the first time only; flushed."""
    if has_opened(notice.id, user_id):
        return None
    receipt = NoticeReceipt(notice_id=notice.id, kind="opened", user_id=user_id)
    try:
        with db.session.begin_nested():
            db.session.add(receipt)
    except sa.exc.IntegrityError:
        return None  # a simultaneous first opening recorded it (one per user, by a unique index)
    return receipt


def acknowledge(notice: Notice) -> NoticeReceipt:
    """Acknowledge receipt of the notice for the enterprise (once); audited."""
    done = db.session.scalar(
        sa.select(NoticeReceipt).where(
            NoticeReceipt.notice_id == notice.id, NoticeReceipt.kind == "acknowledged"
        )
    )
    if done is not None:
        raise DomainError(_("Receipt of this notice was already acknowledged."))
    receipt = NoticeReceipt(notice_id=notice.id, kind="acknowledged", user_id=current_actor().user_id)
    try:
        with db.session.begin_nested():
            db.session.add(receipt)
    except sa.exc.IntegrityError:  # acknowledged at the same instant by another request
        raise DomainError(_("Receipt of this notice was already acknowledged.")) from None
    record("notice.acknowledged", notice, changes={"acknowledged": [None, receipt.at]})
    return receipt


def answer_notice(notice: Notice, text: str, uploads: list[Upload]) -> NoticeAnswer:
    """Answer a notice with text and attachments (PDF, PNG, JPEG checked by content); audited."""
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write the answer's text."), field="text")
    if len(text) > ANSWER_MAX_LENGTH:
        raise DomainError(_("The answer is longer than %(n)d characters.", n=ANSWER_MAX_LENGTH), field="text")
    checked = check_uploads(uploads)
    answer = NoticeAnswer(notice_id=notice.id, text=text, author_id=current_actor().user_id)
    db.session.add(answer)
    db.session.flush()
    files = store_evidence(
        checked, enterprise_id=notice.facility.enterprise_id, object_type=ANSWERS, object_id=answer.id
    )
    changes = {"text": [None, text]}
    if files:
        changes["evidence"] = [None, [f.original_name for f in files]]
    record("notice.answered", answer, label=f"{notice} answer #{answer.id}", changes=changes)
    return answer


def answer_files(answers: list[NoticeAnswer]) -> dict[int, list[EvidenceFile]]:
    """The attachments of these answers, by answer id."""
    return evidence_of(ANSWERS, [a.id for a in answers])


def pdf_bytes(notice: Notice) -> bytes:
    """The stored PDF of an issued notice; NotFound when its file is missing."""
    path = os.path.join(current_app.instance_path, notice.pdf_path or "")
    if not notice.pdf_path or not os.path.isfile(path):
        raise NotFound(_("The notice's file is missing."))
    with open(path, "rb") as stream:
        return stream.read()
