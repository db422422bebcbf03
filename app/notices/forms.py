"""Forms of the notice pages: field parsing and field-level checks only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from app.cases.labels import BREACH_LABELS
from app.cases.models import BREACH_KINDS


def lines(text: str | None) -> list[str]:
    """One item per non-empty line."""
    return [line.strip() for line in (text or "").replace("\r\n", "\n").split("\n") if line.strip()]


class EditForm(FlaskForm):
    """A draft's text: summary, addressee, body paragraphs, requests, "Nơi nhận", signer."""

    summary = TextAreaField(_l("Summary"), validators=[InputRequired(), Length(max=500)])
    addressee = TextAreaField(_l("Addressee (Kính gửi), one per line"), validators=[Length(max=1000)])
    body = TextAreaField(_l("Body"), validators=[InputRequired(), Length(max=20000)])
    requests = TextAreaField(_l("Requests, one per line"), validators=[Length(max=5000)])
    copies_to = TextAreaField(_l("Copies to (Nơi nhận), one per line"), validators=[Length(max=2000)])
    signer_authority = StringField(_l("Signing authority"), validators=[Optional(), Length(max=200)])
    signer_title = StringField(_l("Signer's title"), validators=[InputRequired(), Length(max=200)])
    signer_name = StringField(_l("Signer's full name"), validators=[InputRequired(), Length(max=200)])

    def values(self) -> dict:
        """The form's values as the service takes them."""
        return {
            "summary": " ".join(self.summary.data.split()),
            "addressee": "\n".join(lines(self.addressee.data)),
            "body": (self.body.data or "").replace("\r\n", "\n").strip(),
            "requests": lines(self.requests.data),
            "copies_to": lines(self.copies_to.data),
            "signer_authority": (self.signer_authority.data or "").strip(),
            "signer_title": self.signer_title.data.strip(),
            "signer_name": self.signer_name.data.strip(),
        }


class ReasonForm(FlaskForm):
    """A reason (returning or cancelling a notice)."""

    reason = TextAreaField(_l("Reason"), validators=[InputRequired(), Length(max=2000)])


class ActionForm(FlaskForm):
    """A button that changes state (CSRF only)."""


class CheckFileForm(FlaskForm):
    """A file to compare with the stored SHA-256 of an issued document."""

    file = FileField(_l("File to check"), validators=[FileRequired()])


def kind_choices() -> list[SelectChoice]:
    """Breach kinds for the bulk filter ("" = all)."""
    return [SelectChoice("", "—"), *[SelectChoice(kind, BREACH_LABELS[kind]) for kind in BREACH_KINDS]]


def step_choices() -> list[SelectChoice]:
    """Ladder positions for the bulk filter."""
    return [SelectChoice(str(n), str(n)) for n in range(1, 5)]


class BulkFilterForm(FlaskForm):
    """Which cases to draft a step for."""

    class Meta:
        csrf = False

    kind = SelectField(_l("Breach"), choices=kind_choices, validators=[Optional()])
    step = SelectField(_l("Proposed step"), choices=step_choices, default="1")
