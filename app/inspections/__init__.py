"""Inspections: risk-ranked planning, the inspection record and its minutes (biên bản kiểm tra)."""

from flask import Blueprint

bp = Blueprint("inspections", __name__, url_prefix="/inspections")
