"""Forms of the enterprise portal: field parsing and field-level checks only."""

from __future__ import annotations

import ipaddress
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, DateTimeLocalField, MultipleFileField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.compliance.parameters import canonical_code
from app.facilities.forms import CodesField

LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
EVIDENCE_HINT = _l("PDF, PNG or JPEG files; the type is checked from the content.")


def has_files(field: Any) -> bool:
    """True when at least one file was chosen."""
    return any(getattr(item, "filename", None) for item in field.data or [])


class FilesRequired:
    """At least one file must be chosen."""

    def __call__(self, form: FlaskForm, field: Any) -> None:
        if not has_files(field):
            raise ValidationError(_l("Attach at least one file as evidence."))


def local_datetime_field(label: Any, required: bool = True) -> DateTimeLocalField:
    """A local date-time typed as ``YYYY-MM-DDThh:mm`` or ``YYYY-MM-DD hh:mm``."""
    return DateTimeLocalField(
        label, format=LOCAL_FORMATS, validators=[DataRequired()] if required else [Optional()]
    )


class InstallationForm(FlaskForm):
    """A station's installation: date, equipment, parameters, evidence."""

    installed_on = DateField(_l("Installation date"), validators=[DataRequired()])
    parameters = CodesField(_l("Parameters measured (codes separated by ;)"), validators=[DataRequired()])
    has_camera = BooleanField(_l("Camera installed"))
    has_sampler = BooleanField(_l("Automatic sampler installed"))
    datalogger_make = StringField(
        _l("Datalogger make and model"), validators=[DataRequired(), Length(max=120)]
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    evidence = MultipleFileField(_l("Evidence"), validators=[FilesRequired()])

    def validate_parameters(self, field: CodesField) -> None:
        """Only known parameter codes."""
        unknown = [code for code in field.data or [] if canonical_code(code) is None]
        if unknown:
            # gettext, not _l: a lazy string is marked safe, so the typed codes would reach the page as markup.
            raise ValidationError(_("Unknown parameter codes: %(codes)s.", codes=", ".join(unknown)))


class ConnectionForm(FlaskForm):
    """A station's connection: since when it transmits, the datalogger's address, evidence."""

    connected_since = local_datetime_field(_l("Transmitting since (local time)"))
    datalogger_ip = StringField(_l("Datalogger IP address"), validators=[DataRequired(), Length(max=64)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    evidence = MultipleFileField(_l("Evidence"), validators=[FilesRequired()])

    def validate_datalogger_ip(self, field: StringField) -> None:
        """An IPv4 or IPv6 address."""
        try:
            ipaddress.ip_address((field.data or "").strip())
        except ValueError:
            raise ValidationError(_l("Not an IP address.")) from None


class WindowForm(FlaskForm):
    """An incident, a maintenance window or a suspension: start, (expected) end, reason, evidence."""

    starts_at = local_datetime_field(_l("Start (local time)"))
    expected_end_at = local_datetime_field(_l("Expected end (local time)"))
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])
    evidence = MultipleFileField(_l("Evidence"))

    def validate_expected_end_at(self, field: DateTimeLocalField) -> None:
        """The end comes after the start."""
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The end must be after the start."))
