"""The administrator's management of users."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.auth import services, users_bp
from app.auth.access import allow
from app.auth.forms import ReasonForm, UserCreateForm, UserRoleForm
from app.auth.models import User
from app.auth.roles import ADMIN, ENTERPRISE, ROLE_LABELS, ROLES
from app.db import commit
from app.errors import DomainError
from app.extensions import db
from app.facilities.models import Enterprise


def _enterprise_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(sa.select(Enterprise.id, Enterprise.name).order_by(Enterprise.name))
    return [SelectChoice("0", "—")] + [SelectChoice(str(row.id), row.name) for row in rows]


def _enterprise_id(form) -> int | None:
    return form.enterprise_id.data or None if form.role.data == ENTERPRISE else None


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@users_bp.route("/", endpoint="list")
@allow(ADMIN)
def list_users():
    """Every user, filterable by role, status and text."""
    query = sa.select(User).order_by(User.email)
    role = request.args.get("role")
    if role in ROLES:
        query = query.where(User.role == role)
    status = request.args.get("status")
    if status in ("active", "inactive"):
        query = query.where(User.is_active_account.is_(status == "active"))
    text = (request.args.get("q") or "").strip()
    if text:
        query = query.where(sa.or_(User.email.ilike(f"%{text}%"), User.full_name.ilike(f"%{text}%")))
    page = db.paginate(query, per_page=50, error_out=False)
    return render_template("auth/users.html", page=page, roles=ROLE_LABELS)


@users_bp.route("/new", methods=["GET", "POST"])
@allow(ADMIN)
def create():
    """Create a user; the generated password is shown once."""
    form = UserCreateForm()
    form.enterprise_id.choices = _enterprise_choices()
    if form.validate_on_submit():
        try:
            user, password = services.create_user(
                form.email.data,
                form.role.data,
                full_name=form.full_name.data or "",
                enterprise_id=_enterprise_id(form),
                locale=form.locale.data,
            )
        except DomainError as exc:
            getattr(form, exc.field or "email").errors.append(exc.message)
        else:
            commit()
            flash(_("User %(email)s created.", email=user.email), "success")
            return render_template("auth/password_shown.html", user=user, password=password)
    return render_template("auth/user_form.html", form=form)


@users_bp.route("/<int:user_id>", methods=["GET", "POST"])
@allow(ADMIN)
def detail(user_id: int):
    """One user: change role, deactivate or reactivate, reset the password."""
    user = _user_or_404(user_id)
    role_form = UserRoleForm(prefix="role", obj=user)
    role_form.enterprise_id.choices = _enterprise_choices()
    if request.method == "GET":
        role_form.enterprise_id.data = user.enterprise_id or 0
    if role_form.validate_on_submit():
        try:
            services.change_role(user, role_form.role.data, _enterprise_id(role_form), role_form.reason.data)
        except DomainError as exc:
            getattr(role_form, exc.field or "role").errors.append(exc.message)
        else:
            commit()
            flash(_("The role has been changed."), "success")
            return redirect(url_for("users.detail", user_id=user.id))
    return render_template(
        "auth/user_detail.html", user=user, role_form=role_form, reason_form=ReasonForm(), roles=ROLE_LABELS
    )


@users_bp.route("/<int:user_id>/active", methods=["POST"])
@allow(ADMIN)
def set_active(user_id: int):
    """Deactivate or reactivate a user."""
    user = _user_or_404(user_id)
    form = ReasonForm()
    active = request.form.get("active") == "1"
    if form.validate_on_submit():
        if user.id == current_user.id and not active:
            flash(_("You cannot deactivate your own account."), "error")
        else:
            try:
                services.set_active(user, active, form.reason.data or "")
            except DomainError as exc:
                flash(exc.message, "error")
            else:
                commit()
                flash(_("The account is active.") if active else _("The account is deactivated."), "success")
    return redirect(url_for("users.detail", user_id=user.id))


@users_bp.route("/<int:user_id>/password", methods=["POST"])
@allow(ADMIN)
def reset_password(user_id: int):
    """Give the user a new random password, shown once."""
    user = _user_or_404(user_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    password = services.reset_password(user, form.reason.data or None)
    commit()
    return render_template("auth/password_shown.html", user=user, password=password)
