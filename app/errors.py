"""Domain errors and the HTTP error pages."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError


class DomainError(Exception):
    """A use case refused: the message is shown to the user as it is."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The object does not exist (or is not visible to this user)."""


class Forbidden(DomainError):
    """The user may not do this."""


ERROR_TEXT = {
    400: (_l("Bad request"), _l("The request could not be understood. Please go back and try again.")),
    403: (_l("Access denied"), _l("You do not have permission to open this page.")),
    404: (_l("Page not found"), _l("The page does not exist or you cannot see it.")),
    405: (_l("Method not allowed"), _l("This action cannot be done in this way.")),
    413: (_l("File too large"), _l("The file you sent is larger than the allowed limit.")),
    429: (_l("Too many attempts"), _l("Too many attempts. Please wait a few minutes and try again.")),
    500: (_l("Server error"), _l("Something went wrong on our side. The error has been logged.")),
}

CSRF_TEXT = (
    _l("Form expired"),
    _l(
        "The form's session has expired or the form did not come from this site, so nothing was changed. "
        "Go back, reload the page and send the form again."
    ),
)


def register_error_handlers(app: Flask) -> None:
    """Render the error pages in the user's language."""

    def handle(error):
        code = getattr(error, "code", 500) or 500
        if code not in ERROR_TEXT:
            code = 500
        if code == 500:
            from app.db import rollback

            rollback()
        title, text = ERROR_TEXT[code]
        if code == 413 and request.max_content_length:
            mb = max(1, request.max_content_length // (1024 * 1024))
            text = gettext(
                "What you sent is larger than the limit of %(mb)d MB for one request, so nothing was saved. "
                "Go back and send fewer or smaller files.",
                mb=mb,
            )
        if request.accept_mimetypes.best == "application/json":
            return {"error": str(title)}, code
        return render_template("errors/error.html", code=code, title=title, text=text), code

    def handle_csrf(error):
        """A form sent without its session's token (expired, forged or from another tab)."""
        title, text = CSRF_TEXT
        if request.accept_mimetypes.best == "application/json":
            return {"error": str(title)}, 400
        return render_template("errors/error.html", code=400, title=title, text=text), 400

    for code in ERROR_TEXT:
        app.register_error_handler(code, handle)
    app.register_error_handler(CSRFError, handle_csrf)
