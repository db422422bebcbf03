"""Cases: breaches found by the daily compliance sweep, followed up along the escalation ladder."""

from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/cases")


@bp.app_template_global()
def breach_label(kind: str) -> str:
    """The name of a breach kind (the kind itself when unknown)."""
    from app.cases.labels import BREACH_LABELS

    return str(BREACH_LABELS.get(kind, kind))
