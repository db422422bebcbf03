"""The ORM guard: no flush may change the content of an issued notice, nor delete one.

Listens to ``before_flush`` on every session (the app's and the tests' own). A
notice counts as issued by its status as loaded from the database, so the flush
that issues a notice (approved → issued) passes, and any later one that touches
a content column (``CONTENT_COLUMNS``) or the status is refused. The database
triggers of the schema refuse the same again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.notices.models import CONTENT_COLUMNS, Notice

GUARDED = (*CONTENT_COLUMNS, "status")


class IssuedNoticeChanged(RuntimeError):
    """A flush tried to change or delete an issued notice."""


def _loaded_status(notice: Notice) -> str | None:
    history = inspect(notice).attrs.status.history
    if history.deleted:
        return history.deleted[0]
    if history.unchanged:
        return history.unchanged[0]
    return None


def changed_columns(notice: Notice) -> list[str]:
    """The guarded columns this notice's pending changes would alter."""
    state = inspect(notice)
    return [name for name in GUARDED if state.attrs[name].history.has_changes()]


def check_session(session: Session, flush_context: Any = None, instances: Any = None) -> None:
    """Refuse the flush when an issued notice would change or be deleted."""
    for obj in session.dirty:
        if isinstance(obj, Notice) and _loaded_status(obj) == "issued":
            changed = changed_columns(obj)
            if changed:
                raise IssuedNoticeChanged(
                    f"notice {obj.id} is issued; refused changes to {', '.join(changed)}"
                )
    for obj in session.deleted:
        if isinstance(obj, Notice) and _loaded_status(obj) == "issued":
            raise IssuedNoticeChanged(f"notice {obj.id} is issued; it is never deleted")


def install() -> None:
    """Listen on every session (idempotent)."""
    if not event.contains(Session, "before_flush", check_session):
        event.listen(Session, "before_flush", check_session)
