"""Forms of the verification queue: field parsing and field-level checks only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

from app.portal.forms import local_datetime_field


def _reason_for_rejection(form: FlaskForm, field: TextAreaField) -> None:
    if form.verdict.data == "reject" and not (field.data or "").strip():
        raise ValidationError(_l("A reason is required to reject."))


class DeclarationDecisionForm(FlaskForm):
    """Verify or reject a declaration; a rejection needs a reason."""

    verdict = RadioField(
        _l("Decision"),
        choices=lambda: [SelectChoice("verify", _l("Verify")), SelectChoice("reject", _l("Reject"))],
        validators=[InputRequired()],
    )
    reason = TextAreaField(_l("Reason"), validators=[Length(max=2000)])

    def validate_reason(self, field: TextAreaField) -> None:
        """A rejection needs a reason."""
        _reason_for_rejection(self, field)


class WindowDecisionForm(FlaskForm):
    """Approve (with the actual end when known) or reject a window; a rejection needs a reason."""

    verdict = RadioField(
        _l("Decision"),
        choices=lambda: [SelectChoice("approve", _l("Approve")), SelectChoice("reject", _l("Reject"))],
        validators=[InputRequired()],
    )
    ends_at = local_datetime_field(_l("Actual end (local time, when known)"), required=False)
    reason = TextAreaField(_l("Reason"), validators=[Length(max=2000)])

    def validate_reason(self, field: TextAreaField) -> None:
        """A rejection needs a reason."""
        _reason_for_rejection(self, field)


class CloseWindowForm(FlaskForm):
    """Record the actual end of an approved window."""

    ends_at = local_datetime_field(_l("Actual end (local time)"))
    reason = TextAreaField(_l("Note"), validators=[Length(max=2000)])
