"""The access policy: every route declares who may open it, and the app enforces it.

Each view function carries a policy set by one of the decorators below. A
``before_request`` hook enforces it for every request, so a route cannot be
opened by the wrong role even if its author forgot a check — and a route with
no declared policy is refused outright (tests/auth/test_route_access.py also
fails for it). Enterprise users additionally see only their own enterprise's
objects: views call ``scope_to_enterprise`` on queries and
``ensure_enterprise`` on objects they load.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user

from app.auth.roles import ENTERPRISE, ROLES

log = logging.getLogger(__name__)

ATTRIBUTE = "access_policy"


@dataclass(frozen=True)
class Policy:
    """Who may open a route: anyone (public), or logged-in users of these roles."""

    public: bool
    roles: frozenset[str]


PUBLIC = Policy(True, frozenset())


def _mark(policy: Policy) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        setattr(view, ATTRIBUTE, policy)
        return view

    return decorate


def public(view: Callable[..., Any]) -> Callable[..., Any]:
    """Anyone may open this route, logged in or not."""
    return _mark(PUBLIC)(view)


def allow(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Logged-in users of these roles may open this route."""
    unknown = set(roles) - set(ROLES)
    if not roles or unknown:
        raise ValueError(f"allow() needs known roles, got {roles!r}")
    return _mark(Policy(False, frozenset(roles)))


def any_user(view: Callable[..., Any]) -> Callable[..., Any]:
    """Every logged-in user may open this route."""
    return _mark(Policy(False, frozenset(ROLES)))(view)


# Endpoints of Flask itself, which no blueprint decorates.
BUILTIN_POLICIES = {"static": PUBLIC}


def policy_of(app: Flask, endpoint: str | None) -> Policy | None:
    """The declared policy of an endpoint (None when it declares none)."""
    if endpoint is None:
        return None
    if endpoint in BUILTIN_POLICIES:
        return BUILTIN_POLICIES[endpoint]
    view = app.view_functions.get(endpoint)
    return getattr(view, ATTRIBUTE, None) if view else None


def enforce() -> Any:
    """``before_request``: refuse what the route's policy does not allow."""
    if request.endpoint is None:
        return None  # 404/405 follow
    policy = policy_of(current_app, request.endpoint)
    if policy is None:
        log.error("route %s declares no access policy; refused", request.endpoint)
        abort(403)
    if policy.public:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if current_user.role not in policy.roles:
        abort(403)
    return None


def is_enterprise_user() -> bool:
    """True for a logged-in enterprise user (who sees only its own enterprise)."""
    return current_user.is_authenticated and current_user.role == ENTERPRISE


def scope_to_enterprise(query: sa.Select, enterprise_column: Any) -> sa.Select:
    """Limit a query to the current enterprise user's own enterprise (staff see all)."""
    if is_enterprise_user():
        return query.where(enterprise_column == current_user.enterprise_id)
    return query


def ensure_enterprise(enterprise_id: int | None) -> None:
    """404 when an enterprise user asks for an object of another enterprise."""
    if is_enterprise_user() and enterprise_id != current_user.enterprise_id:
        abort(404)


def visible_roles(roles: Iterable[str]) -> bool:
    """True when the current user has one of the roles (for navigation)."""
    return current_user.is_authenticated and current_user.role in set(roles)
