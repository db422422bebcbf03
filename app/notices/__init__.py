"""Official notices: drafted from a ladder step, approved, issued with a register number, delivered."""

from flask import Blueprint

bp = Blueprint("notices", __name__, url_prefix="/notices")
# The public verification page of issued documents (no login): /v/<token>.
verify_bp = Blueprint("verify", __name__, url_prefix="/v")
