"""Forms of a facility's permit limits: field parsing only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.facilities.forms import NumberField


class PermitLimitForm(FlaskForm):
    """A limit written in the facility's environmental permit (choices: the parameters it may cover)."""

    parameter = SelectField(_l("Parameter"), choices=[], validators=[DataRequired()])
    low = NumberField(_l("Lower bound (pH)"), minimum=None)
    high = NumberField(_l("Upper bound"), minimum=None)
    permit_reference = StringField(
        _l("Permit (number and date)"), validators=[DataRequired(), Length(max=200)]
    )
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=1000)])


class RemoveLimitForm(FlaskForm):
    """The removal of a permit limit recorded by mistake, with its reason."""

    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])
