"""Password hashing (Argon2id), the password policy and random passwords."""

from __future__ import annotations

import secrets
import string

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _


def _hasher() -> PasswordHasher:
    return PasswordHasher(
        time_cost=current_app.config["PASSWORD_HASH_TIME_COST"],
        memory_cost=current_app.config["PASSWORD_HASH_MEMORY_COST"],
    )


def hash_password(password: str) -> str:
    """An Argon2id hash of the password."""
    return _hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """True when the password matches the stored hash."""
    try:
        return _hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than configured."""
    return _hasher().check_needs_rehash(stored_hash)


def policy_problems(password: str, email: str = "") -> list[str]:
    """What is wrong with a new password (empty when it is acceptable)."""
    problems = []
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        problems.append(_("The password must have at least %(n)d characters.", n=minimum))
    if password.isdigit():
        problems.append(_("The password cannot be digits only."))
    if email and password.lower() in {email.lower(), email.split("@")[0].lower()}:
        problems.append(_("The password cannot be your e-mail address."))
    if len(set(password)) < 4:
        problems.append(_("The password is too simple."))
    return problems


def random_password(length: int = 14) -> str:
    """A random password that meets the policy (no look-alike characters)."""
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if not candidate.isdigit() and len(set(candidate)) >= 4:
            return candidate
