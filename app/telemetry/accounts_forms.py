"""Forms of the sender accounts pages: field parsing and field-level checks only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

KIND_CHOICES = [
    SelectChoice("ftp", _l("FTP account (user name and password)")),
    SelectChoice("http", _l("HTTP upload token")),
]


class AccountCreateForm(FlaskForm):
    """A new FTP account or HTTP token for one station or one facility; the secret is generated."""

    kind = SelectField(_l("Kind"), choices=KIND_CHOICES)
    station_id = SelectField(_l("Station"), coerce=int, choices=[])
    facility_id = SelectField(_l("Facility (all its stations)"), coerce=int, choices=[])
    name = StringField(_l("FTP user name (optional)"), validators=[Optional(), Length(max=40)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])


class AccountActionForm(FlaskForm):
    """A reason for deactivating, reactivating or resetting an account."""

    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=1000)])
