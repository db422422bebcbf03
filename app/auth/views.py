"""Login, logout, the user's own account."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.auth import bp, services
from app.auth.access import any_user, public
from app.auth.forms import ChangePasswordForm, LoginForm, ProfileForm
from app.db import commit
from app.errors import DomainError


def _safe_next(target: str | None) -> str:
    """A path of this site to go to after login; anything else (browsers read ``/\\x`` as ``//x``) goes home."""
    if target and not any(c == "\\" or c.isspace() or ord(c) < 32 for c in target):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Log in with e-mail and password (throttled)."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data, request.remote_addr)
        except services.Throttled as exc:
            commit()
            flash(exc.message, "error")
            return render_template("auth/login.html", form=form), 429
        commit()
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        flash(_("Wrong e-mail or password, or the account is deactivated."), "error")
        status = 401
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@any_user
def logout():
    """Log out."""
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@any_user
def account():
    """The user's own name and language."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        try:
            services.update_profile(current_user, form.full_name.data or "", form.locale.data)
        except DomainError as exc:
            form.locale.errors.append(exc.message)
        else:
            commit()
            flash(_("Your account has been updated."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@any_user
def change_password():
    """Change one's own password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except DomainError as exc:
            getattr(form, exc.field or "password").errors.append(exc.message)
        else:
            commit()
            login_user(current_user._get_current_object())  # this session stays, others end
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("home.index"))
    return render_template("auth/password.html", form=form)
