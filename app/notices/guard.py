"""The ORM guard: no flush may change the content of an issued or reserved notice, nor delete one.

Listens to ``before_flush`` on every session (the app's and the tests' own). A
notice counts as issued or reserved by its status and number as loaded from the
database, so the flush that reserves a number (an approved notice gets it) and
the one that finishes the issue (the PDF's hash and path, approved → issued)
pass, and any later one that touches a content column (``CONTENT_COLUMNS``) or
the status is refused. The database triggers of the schema refuse the same again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.notices.models import CONTENT_COLUMNS, FINISHED_COLUMNS, Notice

GUARDED = (*CONTENT_COLUMNS, "status")
RESERVED_GUARDED = tuple(c for c in CONTENT_COLUMNS if c not in FINISHED_COLUMNS)


class IssuedNoticeChanged(RuntimeError):
    """A flush tried to change or delete an issued notice."""


def _loaded(notice: Notice, name: str) -> Any:
    history = inspect(notice).attrs[name].history
    if history.deleted:
        return history.deleted[0]
    if history.unchanged:
        return history.unchanged[0]
    return None


def _loaded_state(notice: Notice) -> str | None:
    """ "issued", "reserved" (approved with a number) or None, as loaded from the database."""
    status = _loaded(notice, "status")
    if status == "issued":
        return "issued"
    if status == "approved" and _loaded(notice, "number") is not None:
        return "reserved"
    return None


def changed_columns(notice: Notice, columns: tuple[str, ...] = GUARDED) -> list[str]:
    """The guarded columns this notice's pending changes would alter."""
    state = inspect(notice)
    return [name for name in columns if state.attrs[name].history.has_changes()]


def _refused(notice: Notice, state: str) -> list[str]:
    if state == "issued":
        return changed_columns(notice)
    changed = changed_columns(notice, RESERVED_GUARDED)
    if notice.status not in ("approved", "issued"):
        changed.append("status")
    return changed


def check_session(session: Session, flush_context: Any = None, instances: Any = None) -> None:
    """Refuse the flush when an issued or reserved notice would change or be deleted."""
    for obj in session.dirty:
        state = _loaded_state(obj) if isinstance(obj, Notice) else None
        if state:
            changed = _refused(obj, state)
            if changed:
                raise IssuedNoticeChanged(
                    f"notice {obj.id} is {state}; refused changes to {', '.join(changed)}"
                )
    for obj in session.deleted:
        state = _loaded_state(obj) if isinstance(obj, Notice) else None
        if state:
            raise IssuedNoticeChanged(f"notice {obj.id} is {state}; it is never deleted")


def install() -> None:
    """Listen on every session (idempotent)."""
    if not event.contains(Session, "before_flush", check_session):
        event.listen(Session, "before_flush", check_session)
