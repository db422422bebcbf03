"""Forms of inspections: field parsing and field-level checks only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, ValidationError

REQUIRED = _l("This field is required.")
DATE_ERROR = _l("Enter a date.")


def parse_people(text: str | None) -> list[dict[str, str]]:
    """One person a line, ``Full name - title`` (the title may be left out)."""
    people = []
    for line in (text or "").splitlines():
        name, _sep, title = line.partition(" - ")
        name, title = " ".join(name.split()), " ".join(title.split())
        if name:
            people.append({"name": name, "title": title})
    return people


def people_text(people: list[dict[str, str]] | None) -> str:
    """The people back as the textarea shows them."""
    return "\n".join(p["name"] + (f" - {p['title']}" if p.get("title") else "") for p in people or [])


def _date(label) -> DateField:
    return DateField(label, validators=[DataRequired(DATE_ERROR)])


class ScheduleForm(FlaskForm):
    """The inspection: legal basis, team, date, place and the period checked."""

    decision_number = StringField(_l("Decision number"), validators=[DataRequired(REQUIRED), Length(max=120)])
    decision_date = _date(_l("Decision date"))
    inspected_on = _date(_l("Inspection date"))
    place = StringField(_l("Place"), validators=[DataRequired(REQUIRED), Length(max=500)])
    team = TextAreaField(
        _l("Inspection team (one a line: full name - title; the leader first)"), render_kw={"rows": 4}
    )
    period_from = _date(_l("Period checked: from"))
    period_to = _date(_l("Period checked: to"))

    def validate_team(self, field) -> None:
        """At least the leader of the team."""
        if not parse_people(field.data):
            raise ValidationError(_l("Name at least the leader of the team."))

    def values(self) -> dict:
        """The typed values for the services."""
        return {
            "decision_number": self.decision_number.data.strip(),
            "decision_date": self.decision_date.data,
            "inspected_on": self.inspected_on.data,
            "place": self.place.data.strip(),
            "team": parse_people(self.team.data),
            "period_from": self.period_from.data,
            "period_to": self.period_to.data,
        }


class RecordForm(ScheduleForm):
    """The whole record while planned: the schedule, representatives, findings, opinion, copies."""

    representatives = TextAreaField(
        _l("Representatives of the facility (one a line: full name - title)"), render_kw={"rows": 3}
    )
    findings = TextAreaField(
        _l("Findings (paragraphs separated by a blank line)"),
        validators=[Length(max=20000)],
        render_kw={"rows": 8},
    )
    opinion = TextAreaField(
        _l("Opinion of the facility"), validators=[Length(max=10000)], render_kw={"rows": 4}
    )
    copies = IntegerField(
        _l("Number of copies"),
        default=2,
        validators=[NumberRange(min=1, max=20, message=_l("Between 1 and 20."))],
    )

    def values(self) -> dict:
        """The typed values for the services."""
        return {
            **super().values(),
            "representatives": parse_people(self.representatives.data),
            "findings": (self.findings.data or "").strip(),
            "opinion": (self.opinion.data or "").strip(),
            "copies": self.copies.data,
        }


class RequestForm(FlaskForm):
    """A request of the minutes and its deadline."""

    text = TextAreaField(
        _l("What is requested of the facility"), validators=[DataRequired(REQUIRED), Length(max=2000)]
    )
    due_on = _date(_l("Deadline"))


class CancelForm(FlaskForm):
    """Cancel a planned inspection; the reason is kept."""

    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(_l("A reason is required.")), Length(max=2000)]
    )


class ConfirmForm(FlaskForm):
    """A button that changes state (CSRF only)."""
