"""Forms of rule administration: field parsing and field-level checks only.

The clause form is built per rule (``clause_form``): one number field per numeric value of the
rule's conditions, one sentence field per outcome, one parameter list per trigger.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.compliance.describe import describe_condition, describe_trigger, numeric_fields, with_numbers
from app.compliance.parameters import PARAMETERS_BY_KIND, canonical_code

CORRECTION, NEW_VERSION = "correction", "new_version"
STATUS_LABELS = {
    "required": _l("required"),
    "optional": _l("optional (automatic or periodic monitoring)"),
    "not_required": _l("not required"),
}
_NUMBER = re.compile(r"^\d+([.,]\d+)?$")
_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")
_SEPARATORS = re.compile(r"[\s;,]+")


def parse_number(text: str) -> int | float:
    """A threshold as typed ('450', '0,5' or '0.5'); '1.000' is refused as ambiguous."""
    text = (text or "").strip()
    if _GROUPED.match(text):
        raise ValueError(_("Write the number without a thousands separator (1000, not 1.000)."))
    if not _NUMBER.match(text):
        raise ValueError(_("This is not a valid number."))
    number = float(text.replace(",", "."))
    return int(number) if number.is_integer() else number


def show_number(value: float | int) -> str:
    """A threshold as shown in its field: no thousands separator, a decimal comma."""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value)).replace(".", ",")


def parse_codes(text: str, kind: str) -> list[str]:
    """Parameter codes separated by ';', ',' or spaces, canonically spelt, in the order typed."""
    codes = [code for code in _SEPARATORS.split(text or "") if code]
    allowed = PARAMETERS_BY_KIND[kind]
    unknown = [code for code in codes if canonical_code(code) not in allowed]
    if unknown:
        raise ValueError(
            _(
                "Unknown codes: %(codes)s (known: %(known)s).",
                codes=", ".join(unknown),
                known=", ".join(allowed),
            )
        )
    if not codes:
        raise ValueError(_("List at least one parameter."))
    return list(dict.fromkeys(canonical_code(code) for code in codes))


class VersionForm(FlaskForm):
    """What every change of a clause asks: correction or new legal version, and why."""

    mode = RadioField(
        _l("Kind of change"),
        choices=[
            SelectChoice(CORRECTION, _l("Correction of this version (same legal validity)")),
            SelectChoice(NEW_VERSION, _l("New legal version (a validity of its own, e.g. a new decree)")),
        ],
        default=CORRECTION,
    )
    valid_from = DateField(_l("New version valid from"), validators=[Optional()])
    valid_to = DateField(_l("New version valid until (inclusive, blank = open)"), validators=[Optional()])
    reason = TextAreaField(_l("Reason for the change"), validators=[DataRequired(), Length(max=2000)])

    def validate_valid_from(self, field: DateField) -> None:
        """A new legal version needs its start."""
        if self.mode.data == NEW_VERSION and field.data is None:
            raise ValidationError(_("A new legal version needs the date it applies from."))

    def validate_valid_to(self, field: DateField) -> None:
        """The end of validity is not before its start."""
        if field.data and self.valid_from.data and field.data < self.valid_from.data:
            raise ValidationError(_("The end of validity is before its start."))

    def new_validity(self) -> tuple[Any, Any] | None:
        """The validity of a new legal version, or None for a correction."""
        return (self.valid_from.data, self.valid_to.data) if self.mode.data == NEW_VERSION else None


class ClauseForm(VersionForm):
    """A clause's label, citation and summary; the numbers, sentences and parameters are added per rule."""

    label = StringField(_l("Label"), validators=[DataRequired(), Length(max=300)])
    citation = TextAreaField(_l("Legal citation"), validators=[DataRequired(), Length(max=2000)])
    summary = TextAreaField(
        _l("What the clause checks (listed when no clause applies)"), validators=[DataRequired()]
    )


def _parsed(parse: Callable[..., Any], *args: Any) -> Callable[[FlaskForm, StringField], None]:
    def check(form: FlaskForm, field: StringField) -> None:
        try:
            field.parsed = parse(field.data, *args)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    return check


def clause_form(rule: dict[str, Any], formdata: Any = None) -> ClauseForm:
    """The edit form of one clause, its fields filled from the rule unless a form was posted."""

    class Form(ClauseForm):
        pass

    places = {
        "condition": _("Condition"),
        "exemption": _("Exemption %(n)d"),
        "outcome": _("Status band %(n)d"),
        "trigger": _("Source %(n)d"),
    }
    data: dict[str, Any] = {k: rule.get(k) for k in ("label", "citation", "summary")}

    def add(name: str, field: Any, value: Any) -> None:
        setattr(Form, name, field)
        data[name] = value

    for index, number in enumerate(numeric_fields(rule)):
        label = f"{places[number.place] % {'n': number.index}}: {number.label} … {number.unit}".strip()
        add(f"number_{index}", StringField(label, [_parsed(parse_number)]), show_number(number.value))
    for index, outcome in enumerate(rule.get("outcomes") or []):
        when = describe_condition(outcome["when"]) if "when" in outcome else _("every other case")
        status = STATUS_LABELS.get(outcome.get("status"), outcome.get("status"))
        label = _("Sentence when %(when)s — status: %(status)s", when=when, status=status)
        add(f"sentence_{index}", TextAreaField(label, [DataRequired()]), outcome.get("explanation", ""))
    if rule["kind"] == "wastewater":
        field = StringField(_l("Parameters"), [_parsed(parse_codes, "wastewater")])
        add("parameters_0", field, "; ".join(rule.get("parameters") or []))
    for index, trigger in enumerate(rule.get("triggers") or []):
        label = _("Parameters of %(sources)s", sources=describe_trigger(trigger))
        field = StringField(label, [_parsed(parse_codes, "emission")])
        add(f"parameters_{index}", field, "; ".join(trigger.get("parameters") or []))
    return Form(formdata=formdata, data=data)


def dynamic_fields(form: FlaskForm, prefix: str) -> list[Any]:
    """The fields added per rule whose names start with the prefix, in order."""
    found = [field for field in form if field.name.startswith(prefix)]
    return sorted(found, key=lambda field: int(field.name.rsplit("_", 1)[1]))


class RuleJsonForm(VersionForm):
    """The whole rule as JSON, for what the fields cannot say."""

    rule_json = TextAreaField(_l("The rule as JSON"), validators=[DataRequired()])


class HeaderForm(FlaskForm):
    """A regime's name, deadline and validity (recorded as a new version of its header)."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    deadline = DateField(_l("Deadline"), validators=[Optional()])
    deadline_note = TextAreaField(_l("Deadline sentence ({deadline} is replaced by the date)"))
    valid_from = DateField(_l("In force from"), validators=[Optional()])
    valid_to = DateField(_l("In force until (inclusive, blank = open)"), validators=[Optional()])
    reason = TextAreaField(_l("Reason for the change"), validators=[DataRequired(), Length(max=2000)])


class VerifyForm(FlaskForm):
    """The official text read to verify a version."""

    source = TextAreaField(
        _l("Official text read (number, date, article)"), validators=[DataRequired(), Length(max=1000)]
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class CopyRegimeForm(FlaskForm):
    """A new regime made from a copy of another's current clauses."""

    code = StringField(_l("Code of the new regime"), validators=[DataRequired(), Length(max=60)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    valid_from = DateField(_l("In force from"), validators=[DataRequired()])
    valid_to = DateField(_l("In force until (inclusive, blank = open)"), validators=[Optional()])
    deadline = DateField(_l("Deadline (blank = the same as the copied regime)"), validators=[Optional()])
    deadline_note = TextAreaField(_l("Deadline sentence ({deadline} is replaced by the date)"))
    end_source = BooleanField(_l("End the copied regime the day before the new one starts"))
    reason = TextAreaField(_l("Reason for the change"), validators=[DataRequired(), Length(max=2000)])


def clause_data(rule: dict[str, Any], form: ClauseForm) -> dict[str, Any]:
    """The rule with the values of a validated clause form written in."""
    numbers = dynamic_fields(form, "number_")
    data = with_numbers(rule, {n.path: f.parsed for n, f in zip(numeric_fields(rule), numbers, strict=True)})
    for key in ("label", "citation", "summary"):
        data[key] = getattr(form, key).data.strip()
    for outcome, field in zip(data["outcomes"], dynamic_fields(form, "sentence_"), strict=True):
        outcome["explanation"] = field.data.strip()
    parameters = dynamic_fields(form, "parameters_")
    if rule["kind"] == "wastewater":
        data["parameters"] = parameters[0].parsed
    else:
        for trigger, field in zip(data["triggers"], parameters, strict=True):
            trigger["parameters"] = field.parsed
    return data
