"""Cases: breaches found by the daily compliance sweep, followed up along the escalation ladder."""

from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/cases")
