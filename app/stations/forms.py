"""Forms of stations, their certificates and a facility's monitoring choice: field parsing only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from app.facilities.forms import CodesField

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def kind_choices() -> list[SelectChoice]:
    """The kinds of station, labelled."""
    return [
        SelectChoice("", "—"),
        SelectChoice("wastewater", _l("Wastewater")),
        SelectChoice("emission", _l("Emissions")),
        SelectChoice("ambient", _l("Ambient air")),
    ]


class StationForm(FlaskForm):
    """A station: what it measures, where, its equipment and its declared moments."""

    code = StringField(_l("Station code"), validators=[Optional(), Length(max=40)])
    kind = SelectField(_l("Kind"), choices=kind_choices, validators=[DataRequired()])
    facility_code = StringField(_l("Facility code"), validators=[Optional(), Length(max=40)])
    source_code = StringField(_l("Emission source measured"), validators=[Optional(), Length(max=40)])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    parameters = CodesField(_l("Parameters (codes separated by ;)"))
    has_camera = BooleanField(_l("Camera"))
    has_sampler = BooleanField(_l("Automatic sampler"))
    datalogger_make = StringField(_l("Datalogger make"), validators=[Optional(), Length(max=120)])
    datalogger_ip = StringField(_l("Datalogger IP address"), validators=[Optional(), Length(max=64)])
    installed_at = DateField(_l("Installation date (declared and verified)"), validators=[Optional()])
    data_expected_from = DateTimeLocalField(
        _l("Data expected from (connection declared and verified)"),
        format=DATETIME_FORMATS,
        validators=[Optional()],
    )
    reason = TextAreaField(_l("Reason for the change"), validators=[Optional(), Length(max=1000)])


class CertificateForm(FlaskForm):
    """A calibration or inspection certificate."""

    kind = SelectField(
        _l("Certificate"),
        choices=lambda: [
            SelectChoice("calibration", _l("Calibration")),
            SelectChoice("inspection", _l("Inspection")),
        ],
    )
    number = StringField(_l("Number"), validators=[Optional(), Length(max=120)])
    issued_on = DateField(_l("Issued on"), validators=[Optional()])
    expires_on = DateField(_l("Expires on"), validators=[Optional()])


class RemoveForm(FlaskForm):
    """Removing something recorded by mistake needs a reason."""

    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])


class ChoiceForm(FlaskForm):
    """The facility's choice for an optional obligation: automatic or periodic monitoring."""

    kind = SelectField(
        _l("Obligation"),
        choices=lambda: [
            SelectChoice("wastewater", _l("Wastewater")),
            SelectChoice("emission", _l("Emissions")),
        ],
    )
    choice = SelectField(
        _l("Monitoring chosen"),
        choices=lambda: [
            SelectChoice("automatic", _l("Automatic, continuous")),
            SelectChoice("periodic", _l("Periodic")),
        ],
    )
    reason = StringField(_l("Reference or reason"), validators=[Optional(), Length(max=1000)])
