"""Settings an administrator edits: the agency's names and signatories, and thresholds."""

from flask import Blueprint

bp = Blueprint("settings", __name__, url_prefix="/admin/settings")
