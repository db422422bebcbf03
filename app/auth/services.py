"""Use cases of accounts: log in, change passwords, manage users."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from app.audit.services import record
from app.auth.models import LoginAttempt, User
from app.auth.passwords import (
    hash_password,
    needs_rehash,
    policy_problems,
    random_password,
    verify_password,
)
from app.auth.roles import ADMIN, ENTERPRISE, ROLES
from app.db import utcnow
from app.errors import DomainError
from app.extensions import db


class Throttled(DomainError):
    """Too many failed logins for this e-mail or address."""


def normalise_email(email: str) -> str:
    """E-mails are compared trimmed and lower-case."""
    return (email or "").strip().lower()


def find_user(email: str) -> User | None:
    """The user with this e-mail, if any."""
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def _recent_failures(column, value: str) -> int:
    since = utcnow() - current_app.config["LOGIN_WINDOW"]
    return db.session.scalar(
        sa.select(sa.func.count(LoginAttempt.id)).where(
            column == value, LoginAttempt.at >= since, LoginAttempt.succeeded.is_(False)
        )
    )


def authenticate(email: str, password: str, address: str) -> User | None:
    """The user when the credentials are right; records the attempt; raises Throttled."""
    email = normalise_email(email)
    address = (address or "unknown")[:64]
    config = current_app.config
    if (
        _recent_failures(LoginAttempt.email, email) >= config["LOGIN_MAX_FAILURES_PER_EMAIL"]
        or _recent_failures(LoginAttempt.address, address) >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    ):
        db.session.add(LoginAttempt(email=email, address=address, succeeded=False))
        raise Throttled(_("Too many failed attempts. Please wait 15 minutes and try again."))
    user = find_user(email)
    ok = user is not None and verify_password(user.password_hash, password)
    if user is None:
        verify_password(_dummy_hash(), password)  # same work whether or not the e-mail exists
    db.session.add(LoginAttempt(email=email, address=address, succeeded=bool(ok and user.is_active)))
    if not ok or not user.is_active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


_DUMMY: dict[str, str] = {}


def _dummy_hash() -> str:
    if "hash" not in _DUMMY:
        _DUMMY["hash"] = hash_password(random_password())
    return _DUMMY["hash"]


def _check_policy(password: str, email: str) -> None:
    problems = policy_problems(password, email)
    if problems:
        raise DomainError(" ".join(problems), field="password")


def change_password(user: User, current: str, new: str) -> None:
    """The user changes their own password; other sessions end."""
    if not verify_password(user.password_hash, current):
        raise DomainError(_("The current password is wrong."), field="current_password")
    _check_policy(new, user.email)
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    user.session_version += 1
    record("user.password_changed", user)


def create_user(
    email: str,
    role: str,
    *,
    full_name: str = "",
    enterprise_id: int | None = None,
    password: str | None = None,
    locale: str = "vi",
) -> tuple[User, str]:
    """Create a user; returns it with its password (generated when none is given)."""
    email = normalise_email(email)
    if not email or "@" not in email or " " in email:
        raise DomainError(_("A valid e-mail address is required."), field="email")
    if role not in ROLES:
        raise DomainError(_("Unknown role: %(role)s.", role=role), field="role")
    if (role == ENTERPRISE) != (enterprise_id is not None):
        raise DomainError(
            _("An enterprise user must be linked to exactly one enterprise; other roles to none."),
            field="enterprise_id",
        )
    if find_user(email) is not None:
        raise DomainError(_("A user with this e-mail already exists."), field="email")
    password = password or random_password()
    _check_policy(password, email)
    user = User(
        email=email,
        full_name=full_name.strip(),
        role=role,
        enterprise_id=enterprise_id,
        password_hash=hash_password(password),
        locale=locale,
        password_changed_at=utcnow(),
    )
    db.session.add(user)
    db.session.flush()
    record(
        "user.created",
        user,
        changes={"role": [None, role], "enterprise_id": [None, enterprise_id]},
    )
    return user, password


def _ensure_admin_remains(user: User, reason_field: str) -> None:
    if user.role != ADMIN or not user.is_active_account:
        return
    others = db.session.scalar(
        sa.select(sa.func.count(User.id)).where(
            User.role == ADMIN, User.is_active_account.is_(True), User.id != user.id
        )
    )
    if not others:
        raise DomainError(_("The last active administrator cannot be removed."), field=reason_field)


def set_active(user: User, active: bool, reason: str) -> None:
    """Deactivate (ending its sessions) or reactivate a user, with a reason."""
    if user.is_active_account == active:
        return
    if not active:
        _ensure_admin_remains(user, "reason")
        user.session_version += 1
    user.is_active_account = active
    record(
        "user.activated" if active else "user.deactivated",
        user,
        reason=reason,
        changes={"is_active": [not active, active]},
    )


def reset_password(user: User, reason: str | None = None) -> str:
    """Give a user a new random password (shown once to the administrator)."""
    password = random_password()
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.session_version += 1
    record("user.password_reset", user, reason=reason)
    return password


def change_role(user: User, role: str, enterprise_id: int | None, reason: str) -> None:
    """Change a user's role (and enterprise link), keeping the invariants."""
    if role not in ROLES:
        raise DomainError(_("Unknown role: %(role)s.", role=role), field="role")
    if (role == ENTERPRISE) != (enterprise_id is not None):
        raise DomainError(
            _("An enterprise user must be linked to exactly one enterprise; other roles to none."),
            field="enterprise_id",
        )
    if user.role == ADMIN and role != ADMIN:
        _ensure_admin_remains(user, "role")
    changes = {}
    if user.role != role:
        changes["role"] = [user.role, role]
    if user.enterprise_id != enterprise_id:
        changes["enterprise_id"] = [user.enterprise_id, enterprise_id]
    if not changes:
        return
    user.role = role
    user.enterprise_id = enterprise_id
    user.session_version += 1
    record("user.role_changed", user, changes=changes, reason=reason)


def update_profile(user: User, full_name: str, locale: str) -> None:
    """A user's own name and interface language."""
    if locale not in current_app.config["LANGUAGES"]:
        raise DomainError(_("Unknown language."), field="locale")
    changes = {}
    if user.full_name != full_name.strip():
        changes["full_name"] = [user.full_name, full_name.strip()]
        user.full_name = full_name.strip()
    if user.locale != locale:
        changes["locale"] = [user.locale, locale]
        user.locale = locale
    if changes:
        record("user.profile_changed", user, changes=changes)


def purge_login_attempts(days: int = 90) -> int:
    """Delete login attempts older than the retention."""
    from datetime import timedelta

    cutoff = utcnow() - timedelta(days=days)
    result = db.session.execute(sa.delete(LoginAttempt).where(LoginAttempt.at < cutoff))
    return result.rowcount or 0
