"""The home page: one per role."""

from flask import redirect, render_template, url_for
from flask_login import current_user

from app.auth.access import any_user, public
from app.home import bp, services


@bp.route("/", endpoint="root")
@public
def root():
    """Send visitors to the login page and users to their home."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    return redirect(url_for("auth.login"))


@bp.route("/home", endpoint="index")
@any_user
def index():
    """The current user's home, by role."""
    return render_template(f"home/{current_user.role}.html", data=services.summary())
