"""Telemetry: receipt of the stations' data files and the figures of what arrived."""

from flask import Blueprint

bp = Blueprint("telemetry", __name__, url_prefix="/telemetry")
