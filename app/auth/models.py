"""Users and login attempts."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.roles import ENTERPRISE, ROLES
from app.db import utcnow
from app.extensions import db

_ROLE_LIST = ", ".join(f"'{r}'" for r in ROLES)


class User(UserMixin, db.Model):
    """A person who logs in; an enterprise user belongs to exactly one enterprise."""

    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(f"role IN ({_ROLE_LIST})", name="role"),
        sa.CheckConstraint(f"(role = '{ENTERPRISE}') = (enterprise_id IS NOT NULL)", name="enterprise_link"),
        sa.CheckConstraint("locale IN ('vi', 'en')", name="locale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(200), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(300))
    role: Mapped[str] = mapped_column(sa.String(20))
    enterprise_id: Mapped[int | None] = mapped_column(sa.ForeignKey("enterprises.id"), index=True)
    locale: Mapped[str] = mapped_column(sa.String(5), default="vi")
    is_active_account: Mapped[bool] = mapped_column(default=True)
    # Bumped on password change or deactivation: older sessions stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]

    enterprise = relationship("Enterprise", lazy="joined")

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        """Flask-Login: a deactivated account cannot log in."""
        return self.is_active_account

    def get_id(self) -> str:
        """Flask-Login: the id and session version, so old sessions end on a password change."""
        return f"{self.id}:{self.session_version}"

    @property
    def display_name(self) -> str:
        """The name to show, falling back to the e-mail."""
        return self.full_name or self.email


class LoginAttempt(db.Model):
    """One login attempt, for throttling and for the administrator's review."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        sa.Index("ix_login_attempts_email_at", "email", "at"),
        sa.Index("ix_login_attempts_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    address: Mapped[str] = mapped_column(sa.String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    succeeded: Mapped[bool] = mapped_column(default=False)
