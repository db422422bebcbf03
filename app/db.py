"""Database foundations: the declarative base, time columns, and the one commit.

Boundaries (views, jobs, CLI) call ``commit()`` exactly once; services only
``flush()``. Jobs a service deferred are enqueued after the commit succeeds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import registry as sa_registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.TypeDecorator):
    """A timezone-aware UTC timestamp on every database (SQLite stores it naive)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware one is required")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Base of every model: constraint names that migrations can rely on."""

    registry = sa_registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


def utcnow() -> datetime:
    """The current moment, timezone-aware UTC."""
    return datetime.now(UTC)


AFTER_COMMIT_KEY = "quantrac_after_commit"


def after_commit(action: Callable[[], Any]) -> None:
    """Run ``action`` once the current transaction has committed (dropped on rollback).

    For effects outside the database that must follow the commit, never precede
    it: removing a received file from the inbox once its record is committed.
    """
    from app.extensions import db

    db.session.info.setdefault(AFTER_COMMIT_KEY, []).append(action)


def commit() -> None:
    """Commit the request's (or job's, or command's) session, then enqueue deferred jobs."""
    from app.extensions import db
    from app.jobs import dispatch

    session = db.session
    run_ids = list(session.info.pop(dispatch.PENDING_KEY, []))
    actions = list(session.info.pop(AFTER_COMMIT_KEY, []))
    try:
        session.commit()
    except Exception:
        discard_transaction(session)
        raise
    for action in actions:
        action()
    if run_ids:
        dispatch.enqueue_after_commit(run_ids)


def rollback() -> None:
    """Abandon the session's changes, the jobs it deferred and its after-commit actions."""
    from app.extensions import db
    from app.jobs import dispatch

    db.session.info.pop(dispatch.PENDING_KEY, None)
    db.session.info.pop(AFTER_COMMIT_KEY, None)
    discard_transaction(db.session)


def discard_transaction(session: Any) -> None:
    """Roll the session back; a connection lost meanwhile is dropped (its transaction ended with it).

    Code that talks to the driver directly (COPY) can meet a lost connection
    without SQLAlchemy noticing; the rollback then fails once, having
    invalidated the connection, and the second one leaves the session usable.
    """
    try:
        session.rollback()
    except sa.exc.DBAPIError as error:
        if not error.connection_invalidated:
            raise
        session.rollback()


def among_ids(column: Any, ids: list[int]) -> Any:
    """``column IN ids`` for a list of integer ids that may be thousands long.

    On PostgreSQL the ids travel as one array (``column = ANY(:ids)``): an IN list
    sends a placeholder per id, and the driver parses the text of such a query
    again whenever its length changes (milliseconds for the stations of a whole
    country). Elsewhere a plain IN list.
    """
    from sqlalchemy.dialects.postgresql import ARRAY

    from app.extensions import db

    if db.session.get_bind().dialect.name == "postgresql":
        return column == sa.any_(sa.bindparam(None, list(ids), type_=ARRAY(sa.Integer)))
    return column.in_(ids)
