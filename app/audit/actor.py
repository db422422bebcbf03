"""Who is acting: the logged-in user, a CLI operator, or a job.

Services ask ``current_actor()`` when they write the audit trail, so they need
no user argument. A web request acts as its logged-in user; ``cli_actor()``
and ``acting_as()`` set the actor for commands and jobs.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from flask import has_request_context


@dataclass(frozen=True)
class Actor:
    """The acting party: a label for the trail and the user id when there is one."""

    label: str
    user_id: int | None = None


_actor: ContextVar[Actor | None] = ContextVar("quantrac_actor", default=None)


def current_actor() -> Actor:
    """The actor of the current request, command or job."""
    actor = _actor.get()
    if actor is not None:
        return actor
    if has_request_context():
        from flask_login import current_user

        if current_user.is_authenticated:
            return Actor(current_user.email, current_user.id)
        return Actor("anonymous")
    return Actor("system")


@contextmanager
def acting_as(label: str, user_id: int | None = None) -> Iterator[Actor]:
    """Act under the given label (and user) inside the block."""
    actor = Actor(label, user_id)
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


def cli_actor() -> contextmanager:
    """Act as ``cli:<operating-system user>``, as the CLI contract requires."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name in this environment
        user = "unknown"
    return acting_as(f"cli:{user}")
