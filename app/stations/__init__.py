"""Monitoring stations: what is installed where, what it measures, and its connection."""

from flask import Blueprint

bp = Blueprint("stations", __name__, url_prefix="/stations")
