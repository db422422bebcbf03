"""Sender accounts: the FTP accounts and HTTP upload tokens that stations send their files with.

An account belongs to one facility (every station of it) or to one station. Its
secret (the FTP password, or the secret half of an HTTP token
``<prefix>.<secret>``) is generated here, shown once to the administrator and
stored only as an Argon2id hash. The account's name is its FTP user name or the
token's public prefix; it also names the account's inbox folder
(``inbox/<name>/`` for FTP, ``inbox/http-<prefix>/`` for HTTP). Accounts are
never deleted: they are deactivated, which refuses them at once.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import string
import time
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from app.audit.services import record
from app.auth.passwords import hash_password, random_password, verify_password
from app.db import utcnow
from app.errors import DomainError, NotFound
from app.extensions import db
from app.facilities.models import Facility
from app.stations.models import Station
from app.telemetry.models import SenderAccount

KINDS = ("ftp", "http")
HTTP_FOLDER_PREFIX = "http-"
# FTP user names: lower-case letters, digits, '-' and '_'; safe as a folder name.
FTP_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{2,39}$")
TOKEN_PREFIX_LENGTH = 10
FTP_PASSWORD_LENGTH = 16
# last_used_at is written at most this often per account (a datalogger logs in every 5 minutes).
TOUCH_EVERY = timedelta(minutes=1)
# A verified secret is remembered this long (per process) so uploads do not pay Argon2 each time.
VERIFIED_TTL_SECONDS = 300.0

_verified: dict[tuple[str, str, str], float] = {}
_DUMMY_HASH: str | None = None


def folder_name(account: SenderAccount) -> str:
    """The account's folder under the inbox: its FTP name, or ``http-<prefix>``."""
    return account.name if account.kind == "ftp" else HTTP_FOLDER_PREFIX + account.name


def account_for_folder(folder: str) -> SenderAccount | None:
    """The account whose inbox folder this is (active or not), or None."""
    if folder.startswith(HTTP_FOLDER_PREFIX):
        kind, name = "http", folder[len(HTTP_FOLDER_PREFIX) :]
    else:
        kind, name = "ftp", folder
    return db.session.scalar(
        sa.select(SenderAccount).where(SenderAccount.kind == kind, SenderAccount.name == name)
    )


def scope_station_ids(account: SenderAccount) -> frozenset[int]:
    """The ids of the stations an account may send files for (its station, or its facility's)."""
    if account.station_id is not None:
        return frozenset({account.station_id})
    ids = db.session.scalars(sa.select(Station.id).where(Station.facility_id == account.facility_id))
    return frozenset(ids)


def label(account: SenderAccount) -> str:
    """How received files record their sender: ``ftp:<name>`` or ``http:<prefix>``."""
    return f"{account.kind}:{account.name}"


def scope_label(account: SenderAccount) -> str:
    """The account's scope in words: a station code or a facility code and name."""
    if account.station_id is not None:
        station = db.session.get(Station, account.station_id)
        return _("Station %(code)s", code=station.code if station else account.station_id)
    facility = db.session.get(Facility, account.facility_id)
    if facility is None:
        return str(account.facility_id)
    return _("Facility %(code)s (%(name)s)", code=facility.code, name=facility.name)


def _check_scope(facility_id: int | None, station_id: int | None) -> None:
    if (facility_id is None) == (station_id is None):
        raise DomainError(_("Choose either a facility or a station."), field="station_id")
    if station_id is not None and db.session.get(Station, station_id) is None:
        raise DomainError(_("This station does not exist."), field="station_id")
    if facility_id is not None and db.session.get(Facility, facility_id) is None:
        raise DomainError(_("This facility does not exist."), field="facility_id")


def _suggested_name(facility_id: int | None, station_id: int | None) -> str:
    if station_id is not None:
        base = db.session.get(Station, station_id).code
    else:
        base = db.session.get(Facility, facility_id).code
    base = re.sub(r"[^a-z0-9_-]+", "-", base.lower()).strip("-_") or "station"
    base = base[:32]
    if len(base) < 3:
        base = f"{base}-ftp"
    name, n = base, 1
    while _name_taken(name):
        n += 1
        name = f"{base}-{n}"
    return name


def _name_taken(name: str) -> bool:
    return db.session.scalar(sa.select(SenderAccount.id).where(SenderAccount.name == name)) is not None


def _new_prefix() -> str:
    alphabet = string.ascii_lowercase + string.digits
    while True:
        prefix = "".join(secrets.choice(alphabet) for _ in range(TOKEN_PREFIX_LENGTH))
        if not _name_taken(prefix):
            return prefix


def _new_secret(kind: str) -> str:
    return random_password(FTP_PASSWORD_LENGTH) if kind == "ftp" else secrets.token_urlsafe(32)


def _shown(account: SenderAccount, secret: str) -> str:
    """What the administrator hands over: the FTP password, or the whole HTTP token."""
    return secret if account.kind == "ftp" else f"{account.name}.{secret}"


def create_account(
    kind: str,
    *,
    facility_id: int | None = None,
    station_id: int | None = None,
    name: str | None = None,
    note: str = "",
) -> tuple[SenderAccount, str]:
    """Create an FTP account or an HTTP token; return it and its secret, to be shown once."""
    if kind not in KINDS:
        raise DomainError(_("Unknown kind of account."), field="kind")
    _check_scope(facility_id, station_id)
    if kind == "ftp":
        name = (name or "").strip().lower() or _suggested_name(facility_id, station_id)
        if not FTP_NAME_RE.match(name) or name.startswith(HTTP_FOLDER_PREFIX):
            raise DomainError(
                _(
                    "The user name must have 3 to 40 lower-case letters, digits, '-' or '_', "
                    "and cannot start with 'http-'."
                ),
                field="name",
            )
        if _name_taken(name):
            raise DomainError(_("This user name is already taken."), field="name")
    else:
        name = _new_prefix()
    secret = _new_secret(kind)
    account = SenderAccount(
        kind=kind,
        name=name,
        secret_hash=hash_password(secret),
        facility_id=facility_id,
        station_id=station_id,
        is_active=True,
        created_at=utcnow(),
        details={"note": note} if note else {},
    )
    db.session.add(account)
    db.session.flush()
    record(
        "sender_account.created",
        account,
        label=label(account),
        changes={"kind": [None, kind], "facility_id": [None, facility_id], "station_id": [None, station_id]},
    )
    return account, _shown(account, secret)


def get_account(account_id: int) -> SenderAccount:
    """The account of that id; NotFound otherwise."""
    account = db.session.get(SenderAccount, account_id)
    if account is None:
        raise NotFound(_("This account does not exist."))
    return account


def set_active(account: SenderAccount, active: bool, reason: str = "") -> None:
    """Deactivate (refused at once by the receivers) or reactivate an account."""
    if account.is_active == active:
        return
    account.is_active = active
    db.session.flush()
    record(
        "sender_account.reactivated" if active else "sender_account.deactivated",
        account,
        label=label(account),
        changes={"is_active": [not active, active]},
        reason=reason or None,
    )


def reset_secret(account: SenderAccount, reason: str = "") -> str:
    """Give the account a new secret (the old one stops working); return it, to be shown once."""
    secret = _new_secret(account.kind)
    account.secret_hash = hash_password(secret)
    db.session.flush()
    record("sender_account.secret_reset", account, label=label(account), reason=reason or None)
    return _shown(account, secret)


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(secrets.token_urlsafe(16))
    return _DUMMY_HASH


def _cache_key(account: SenderAccount, secret: str) -> tuple[str, str, str]:
    digest = hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()
    return (account.name, account.secret_hash, digest)


def _secret_matches(account: SenderAccount, secret: str) -> bool:
    key = _cache_key(account, secret)
    now = time.monotonic()
    if _verified.get(key, 0.0) > now:
        return True
    if not verify_password(account.secret_hash, secret):
        return False
    if len(_verified) > 10_000:
        _verified.clear()
    _verified[key] = now + VERIFIED_TTL_SECONDS
    return True


def authenticate(kind: str, name: str, secret: str, now: datetime | None = None) -> SenderAccount | None:
    """The active account of that kind and name whose secret this is (last use noted), or None."""
    account = db.session.scalar(
        sa.select(SenderAccount).where(SenderAccount.kind == kind, SenderAccount.name == name)
    )
    if account is None:
        verify_password(_dummy_hash(), secret)  # the same cost whether the name exists or not
        return None
    if not _secret_matches(account, secret) or not account.is_active:
        return None
    now = now or utcnow()
    if account.last_used_at is None or account.last_used_at <= now - TOUCH_EVERY:
        account.last_used_at = now
        db.session.flush()
    return account


def parse_token(token: str) -> tuple[str, str] | None:
    """The (prefix, secret) of an HTTP token ``<prefix>.<secret>``, or None when it is malformed."""
    prefix, dot, secret = token.strip().partition(".")
    if not dot or not prefix or not secret or len(prefix) > 80:
        return None
    return prefix, secret


def list_accounts(kind: str | None = None, status: str | None = None) -> sa.Select:
    """A query of accounts, newest first, optionally by kind and status (active/inactive)."""
    query = sa.select(SenderAccount).order_by(SenderAccount.created_at.desc(), SenderAccount.id.desc())
    if kind in KINDS:
        query = query.where(SenderAccount.kind == kind)
    if status in ("active", "inactive"):
        query = query.where(SenderAccount.is_active.is_(status == "active"))
    return query
