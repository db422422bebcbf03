"""The enterprise portal: an enterprise's own stations, its declarations and requests."""

from flask import Blueprint

bp = Blueprint("portal", __name__, url_prefix="/portal")
