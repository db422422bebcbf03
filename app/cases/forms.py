"""Forms of cases and the ladder: field parsing and field-level checks only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.cases.models import LADDER_DOCUMENT_TYPES


class CloseCaseForm(FlaskForm):
    """Close an open case; the reason is required and kept."""

    reason = TextAreaField(
        _l("Reason for closing"),
        validators=[DataRequired(_l("A reason is required.")), Length(max=2000)],
    )


class AssignForm(FlaskForm):
    """Assign the inspector following a case (0: nobody)."""

    inspector_id = SelectField(_l("Inspector"), coerce=int, validate_choice=False)


class NoteForm(FlaskForm):
    """Add a note to a case's timeline."""

    text = TextAreaField(_l("Note"), validators=[DataRequired(_l("The note is empty.")), Length(max=4000)])


def _days_field(label) -> IntegerField:
    return IntegerField(
        label,
        validators=[Optional(), NumberRange(min=1, max=365, message=_l("Between 1 and 365 days, or blank."))],
    )


class LadderStepForm(FlaskForm):
    """A new version of a ladder step: type, name, wording templates, days; with the reason."""

    document_type = SelectField(
        _l("Document type"), choices=lambda: [SelectChoice(t, t) for t in LADDER_DOCUMENT_TYPES]
    )
    name = StringField(_l("Name"), validators=[DataRequired(_l("A name is required.")), Length(max=200)])
    summary_template = TextAreaField(_l("Summary (V/v ...)"), validators=[DataRequired(), Length(max=2000)])
    body_template = TextAreaField(
        _l("Body"), validators=[DataRequired(), Length(max=10000)], render_kw={"rows": 12}
    )
    request_template = TextAreaField(
        _l("What is requested"), validators=[Length(max=4000)], render_kw={"rows": 5}
    )
    answer_days = _days_field(_l("Answer within (days)"))
    wait_days = _days_field(_l("Next step proposed after (days)"))
    reason = TextAreaField(
        _l("Reason for the change"),
        validators=[DataRequired(_l("A reason is required.")), Length(max=2000)],
    )
