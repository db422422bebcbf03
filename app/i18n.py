"""Language and time zone of each request, and the security headers of every response."""

from __future__ import annotations

from flask import Response, current_app, has_request_context, request
from flask_login import current_user


def select_locale() -> str:
    """The user's language; Vietnamese by default (an ``?lang=`` on the login page too)."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    asked = request.args.get("lang") or request.cookies.get("lang")
    if asked in languages:
        return asked
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """Every user sees Việt Nam's time."""
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def security_headers(response: Response) -> Response:
    """Content-Security-Policy without inline code, frame denial, no sniffing; HTTPS only in production."""
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if current_app.config.get("QUANTRAC_ENV") == "production":
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.endpoint != "static":
        # Pages, exports, charts and progress JSON are private: no shared or browser cache keeps them.
        response.headers.setdefault("Cache-Control", "no-store")
    return response
