"""The two commits of issuing a notice, shared by the issue page, the bulk-issue job and the sweeper.

First the register number is reserved and committed (a short transaction: the
register's counter is locked only while it is taken), then the PDF is rendered
with it and the issue committed. A business refusal (not approved, a rule still
to verify) comes before the reservation and leaves nothing behind; a failure
after it leaves the notice reserved, and ``finish_reserved`` (a periodic job)
finishes it later with the same number, so no number is ever lost.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from app.db import commit, rollback
from app.errors import DomainError
from app.extensions import db
from app.notices import services_issue
from app.notices.models import Notice

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What became of one notice: issued, refused (``error``), or reserved and left to finish later."""

    notice_id: int
    is_issued: bool
    error: str | None = None
    is_reserved: bool = False


def issue(notice_id: int, user: Any, site_url: str) -> Outcome:
    """Reserve the number and commit, then render, issue and commit."""
    notice = db.session.get(Notice, notice_id)
    if notice is None:
        return Outcome(notice_id, False, _("Notice not found."))
    if notice.status == "issued":
        return Outcome(notice_id, True)  # a repeated run: done before
    try:
        services_issue.reserve_number(notice, user, site_url)
        commit()
    except DomainError as error:
        rollback()
        return Outcome(notice_id, False, error.message)
    except Exception as error:  # nothing was reserved: the notice stays approved
        log.exception("reserving a number for notice %s failed", notice_id)
        rollback()
        return Outcome(notice_id, False, f"{error.__class__.__name__}: {error}")
    return finish(notice_id)


def finish(notice_id: int) -> Outcome:
    """Finish the issue of a reserved notice and commit; on failure it stays reserved."""
    try:
        notice = db.session.get(Notice, notice_id)
        services_issue.finish_issue(notice)
        commit()
    except Exception as error:  # the number stays reserved; the sweeper tries again
        log.exception("finishing the issue of notice %s failed; it stays reserved", notice_id)
        rollback()
        notice = db.session.get(Notice, notice_id)
        message = _(
            "Number %(number)s is reserved for this notice, but its PDF could not be made yet (%(error)s); "
            "it will be finished automatically with the same number.",
            number=notice.number_text if notice else "?",
            error=f"{error.__class__.__name__}: {error}",
        )
        return Outcome(notice_id, False, message, is_reserved=True)
    return Outcome(notice_id, True)


def reserved_ids(reserved_before: datetime) -> list[int]:
    """Notices whose number was reserved before that moment and whose issue is not finished."""
    query = (
        sa.select(Notice.id)
        .where(Notice.status == "approved", Notice.number.is_not(None), Notice.issued_at < reserved_before)
        .order_by(Notice.id)
    )
    return list(db.session.scalars(query))


def finish_reserved(reserved_before: datetime) -> dict[str, list]:
    """Finish every notice left reserved (a worker died, the disk failed), each committed on its own."""
    finished, failed = [], []
    for notice_id in reserved_ids(reserved_before):
        outcome = finish(notice_id)
        if outcome.is_issued:
            finished.append(notice_id)
        else:
            failed.append({"notice_id": notice_id, "error": outcome.error})
    return {"finished": finished, "failed": failed}
