"""Forms of the portal's notices: the answer (text and attachments)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import MultipleFileField, TextAreaField
from wtforms.validators import DataRequired


class AnswerForm(FlaskForm):
    """An answer to a notice: its text and, optionally, files."""

    # The length is checked by the service, with its Vietnamese message.
    text = TextAreaField(_l("Your answer"), validators=[DataRequired(_l("Write the answer's text."))])
    evidence = MultipleFileField(_l("Attachments"))


class AcknowledgeForm(FlaskForm):
    """The acknowledge-receipt button (CSRF only)."""
