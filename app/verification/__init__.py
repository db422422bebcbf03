"""Verification: inspectors decide on what enterprises declare and request."""

from flask import Blueprint

bp = Blueprint("verification", __name__, url_prefix="/verification")


@bp.app_context_processor
def pending_verifications() -> dict:
    """``verification_pending()`` for the navigation: how many items await a decision."""

    def count() -> int:
        from app.verification.services import pending_count

        return pending_count()

    return {"verification_pending": count}
