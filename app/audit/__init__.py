"""Audit trail: an append-only record of who changed what, when and why."""

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")
