"""Forms of the accounts domain: field parsing and field-level checks only."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from app.auth.roles import ROLE_LABELS, ROLES


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = StringField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me logged in on this computer"))


class ChangePasswordForm(FlaskForm):
    """The current password and the new one, twice."""

    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(_l("New password"), validators=[DataRequired()])
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )


class ProfileForm(FlaskForm):
    """A user's own name and language."""

    full_name = StringField(_l("Full name"), validators=[Length(max=200)])
    locale = SelectField(_l("Language"), choices=lambda: LANGUAGE_CHOICES)


LANGUAGE_CHOICES = [SelectChoice("vi", "Tiếng Việt"), SelectChoice("en", "English")]


def _role_choices():
    return [SelectChoice(role, ROLE_LABELS[role]) for role in ROLES]


class UserCreateForm(FlaskForm):
    """A new user: the password is generated and shown once."""

    email = StringField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    full_name = StringField(_l("Full name"), validators=[Length(max=200)])
    role = SelectField(_l("Role"), choices=_role_choices)
    enterprise_id = SelectField(_l("Enterprise (enterprise users only)"), coerce=int, choices=[])
    locale = SelectField(_l("Language"), choices=lambda: LANGUAGE_CHOICES)


class UserRoleForm(FlaskForm):
    """A change of role, with the reason."""

    role = SelectField(_l("Role"), choices=_role_choices)
    enterprise_id = SelectField(_l("Enterprise (enterprise users only)"), coerce=int, choices=[])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])


class ReasonForm(FlaskForm):
    """A reason for an administrative action."""

    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=1000)])
