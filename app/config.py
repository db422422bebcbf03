"""Configuration: documented defaults, then instance/config.py, then the environment.

Nothing here reads the environment at import time: ``load_config`` is called by
``create_app``. Every key is listed in the README's configuration table.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

DEFAULT_SECRET_KEY = "dev-only-change-me"


class Defaults:
    """Documented defaults: the embedded setup (SQLite, in-process jobs)."""

    # "development" or "production"; production refuses unsafe settings.
    QUANTRAC_ENV = "development"
    SECRET_KEY = DEFAULT_SECRET_KEY
    # None means SQLite in the instance folder (see load_config).
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    # None means jobs run in-process, in a background thread.
    REDIS_URL: str | None = None
    # Prefix of the RQ queue names (tests use their own to stay apart).
    QUEUE_PREFIX = "quantrac"
    # "thread": a background thread runs jobs after commit (embedded default);
    # "sync": jobs run inline right after commit (tests); "rq": Redis queues.
    JOBS_MODE: str | None = None
    # A job row still pending this long after it was created is enqueued again.
    JOBS_SWEEP_AFTER = timedelta(minutes=2)
    # Seconds between two passes of the in-process scheduler thread.
    JOBS_POLL_SECONDS = 5.0
    # Start the in-process worker thread with the web app (embedded setup only).
    JOBS_START_THREAD = True

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 25 * 1024 * 1024

    # How many reverse proxies in front of the app set X-Forwarded-For/-Proto (0: none,
    # the client address is the connection's). Login throttling counts per client address.
    TRUSTED_PROXIES = 0
    # Login throttling: failures per e-mail and per client address in the window.
    LOGIN_WINDOW = timedelta(minutes=15)
    LOGIN_MAX_FAILURES_PER_EMAIL = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 30
    # Argon2id cost; tests lower it to stay fast.
    PASSWORD_HASH_TIME_COST = 3
    PASSWORD_HASH_MEMORY_COST = 65536
    PASSWORD_MIN_LENGTH = 10

    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "quantrac@localhost"

    # Base URL for links in documents made by jobs; required in production.
    PUBLIC_BASE_URL: str | None = None
    PAGE_SIZE = 50

    # Data receipt: the receivers' inbox (None: <instance>/inbox), and the Ministry's FTP
    # password when it should not be stored as a setting (it then overrides the setting).
    TELEMETRY_INBOX: str | None = None
    TELEMETRY_FORWARD_PASSWORD: str | None = None


class Production:
    """What production turns on whatever else is configured."""

    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PREFERRED_URL_SCHEME = "https"


# Environment variable -> (config key, parser).
def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


ENVIRONMENT: dict[str, tuple[str, Any]] = {
    "QUANTRAC_ENV": ("QUANTRAC_ENV", str),
    "SECRET_KEY": ("SECRET_KEY", str),
    "DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "REDIS_URL": ("REDIS_URL", str),
    "QUEUE_PREFIX": ("QUEUE_PREFIX", str),
    "JOBS_MODE": ("JOBS_MODE", str),
    "MAIL_SERVER": ("MAIL_SERVER", str),
    "MAIL_PORT": ("MAIL_PORT", int),
    "MAIL_USE_TLS": ("MAIL_USE_TLS", _bool),
    "MAIL_USERNAME": ("MAIL_USERNAME", str),
    "MAIL_PASSWORD": ("MAIL_PASSWORD", str),
    "MAIL_DEFAULT_SENDER": ("MAIL_DEFAULT_SENDER", str),
    "PUBLIC_BASE_URL": ("PUBLIC_BASE_URL", str),
    "TRUSTED_PROXIES": ("TRUSTED_PROXIES", int),
    "TELEMETRY_INBOX": ("TELEMETRY_INBOX", str),
    "TELEMETRY_FORWARD_PASSWORD": ("TELEMETRY_FORWARD_PASSWORD", str),
}


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the app refuses to start."""


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for every PostgreSQL URL form."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """Config values given by environment variables (only those that are set)."""
    values: dict[str, Any] = {}
    for name, (key, parse) in ENVIRONMENT.items():
        raw = environ.get(name)
        if raw not in (None, ""):
            values[key] = parse(raw)
    return values


def finish(config: dict[str, Any], instance_path: str) -> None:
    """Fill derived values and refuse unsafe production settings."""
    url = config.get("SQLALCHEMY_DATABASE_URI")
    if not url:
        url = "sqlite:///" + os.path.join(instance_path, "quantrac.sqlite3")
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
    if not config.get("JOBS_MODE"):
        config["JOBS_MODE"] = "rq" if config.get("REDIS_URL") else "thread"
    if config["JOBS_MODE"] not in {"thread", "sync", "rq"}:
        raise ConfigError(f"JOBS_MODE must be thread, sync or rq, not {config['JOBS_MODE']!r}")
    if config["JOBS_MODE"] == "rq" and not config.get("REDIS_URL"):
        raise ConfigError("JOBS_MODE=rq needs REDIS_URL")
    if config.get("QUANTRAC_ENV") == "production":
        for key, value in vars(Production).items():
            if key.isupper():
                config[key] = value
        if config.get("SECRET_KEY") in (None, "", DEFAULT_SECRET_KEY):
            raise ConfigError("production needs its own SECRET_KEY")
        if len(config["SECRET_KEY"]) < 32:
            raise ConfigError("SECRET_KEY must be at least 32 characters in production")
        if config.get("DEBUG"):
            raise ConfigError("DEBUG must be off in production")
        if config.get("TESTING"):
            raise ConfigError("TESTING must be off in production")
        if not config.get("WTF_CSRF_ENABLED", True):
            raise ConfigError("CSRF protection (WTF_CSRF_ENABLED) must be on in production")
        if not config.get("PUBLIC_BASE_URL"):
            raise ConfigError("production needs PUBLIC_BASE_URL")
