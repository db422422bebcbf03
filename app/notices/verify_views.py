"""The public verification page of an issued document: its facts and a file check."""

from app.notices import verify_bp  # noqa: F401
