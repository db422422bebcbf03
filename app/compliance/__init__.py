"""Compliance: who is obliged to monitor automatically, under which clause."""

from flask import Blueprint

bp = Blueprint("compliance", __name__, url_prefix="/admin/rules")
