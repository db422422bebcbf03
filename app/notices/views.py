"""Notice pages: list, draft editing, submission, approval, issue, PDF download."""

from app.notices import bp  # noqa: F401
