"""Monthly summary reports (báo cáo): the month's figures, tables and charts as a Decree 30/2020 PDF."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")
