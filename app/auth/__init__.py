"""Accounts, roles, login and the access policy every route declares."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
users_bp = Blueprint("users", __name__, url_prefix="/admin/users")
