"""Forms of reports: field parsing and field-level checks only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import DataRequired


class ReportForm(FlaskForm):
    """Ask for the summary report of a closed month (``YYYY-MM``)."""

    month = SelectField(_l("Month"), validators=[DataRequired(_l("Choose a month."))])
