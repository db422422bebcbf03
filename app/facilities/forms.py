"""Forms of facilities and emission sources: field parsing and field-level checks only."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, Field, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import TextInput

from app.compliance.rules_emission import SOURCE_KINDS

AMBIGUOUS = re.compile(r"^\d{1,3}(\.\d{3})+$")
NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


class NumberField(Field):
    """A number as Vietnamese users type it: ``620,5`` or ``620.5``; ``1.000`` is refused as ambiguous."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, minimum: float | None = 0, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.minimum = minimum

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return format(self.data.normalize(), "f").replace(".", ",")

    def process_formdata(self, valuelist: list[str]) -> None:
        text = (valuelist[0] if valuelist else "").strip().replace(" ", "")
        if not text:
            self.data = None
            return
        if AMBIGUOUS.match(text):
            self.data = None
            raise ValueError(_l("Ambiguous number: write 1000 or 1,5 without thousands separators."))
        if "," in text and "." not in text and text.count(",") == 1:
            text = text.replace(",", ".")
        if not NUMBER.match(text):
            self.data = None
            raise ValueError(_l("Not a number."))
        try:
            self.data = Decimal(text)
        except InvalidOperation:
            self.data = None
            raise ValueError(_l("Not a number.")) from None
        if self.minimum is not None and self.data < self.minimum:
            raise ValueError(_l("The number cannot be negative."))


class CodesField(StringField):
    """Parameter codes separated by ``;``."""

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return ";".join(self.data or [])

    def process_formdata(self, valuelist: list[str]) -> None:
        text = valuelist[0] if valuelist else ""
        self.data = [part.strip() for part in text.split(";") if part.strip()]


class FacilityForm(FlaskForm):
    """A facility with every attribute the rules read."""

    code = StringField(_l("Facility code"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Facility name"), validators=[DataRequired(), Length(max=300)])
    enterprise_name = StringField(_l("Enterprise name"), validators=[DataRequired(), Length(max=300)])
    enterprise_tax_code = StringField(_l("Enterprise tax code"), validators=[Optional(), Length(max=20)])
    commune = StringField(_l("Commune or ward"), validators=[Optional(), Length(max=120)])
    district = StringField(_l("Former district"), validators=[Optional(), Length(max=120)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=500)])
    industrial_park = StringField(_l("Industrial park"), validators=[Optional(), Length(max=200)])
    industry_type = StringField(_l("Industry code"), validators=[Optional(), Length(max=60)])
    contact_email = StringField(_l("Contact e-mail"), validators=[Optional(), Length(max=254)])
    production_capacity_t_year = NumberField(_l("Production capacity (t/year)"))
    wastewater_flow_m3_day = NumberField(_l("Design wastewater flow (m³/day)"))
    pollution_risk_type = BooleanField(_l("Type at risk of causing pollution"))
    central_wwtp = BooleanField(_l("Central wastewater plant of an industrial park or zone"))
    central_wwtp_cluster = BooleanField(_l("Central wastewater plant of an industrial cluster"))
    in_industrial_park = BooleanField(_l("Located in an industrial park, zone or cluster"))
    exempt_from_connection = BooleanField(_l("Exempted from connecting to the central plant"))
    connected_to_central_wwtp = BooleanField(_l("Discharges into a central wastewater plant"))
    hazardous_waste_treatment = BooleanField(_l("Treats hazardous waste"))
    solid_waste_treatment_provincial = BooleanField(_l("Treats the province's solid waste"))
    imported_scrap = BooleanField(_l("Imports scrap as production material"))
    eia_required = BooleanField(_l("Of the scale that needs an EIA"))
    repeat_wastewater_violator = BooleanField(_l("Repeat offender on wastewater limits"))
    ppc_designated = BooleanField(_l("Named by the provincial People's Committee"))
    aquaculture = BooleanField(_l("Aquaculture"))
    extra_parameters = CodesField(_l("Extra parameters (codes separated by ;)"))
    operation_start_date = DateField(_l("Operation start date"), validators=[Optional()])
    obligation_deadline = DateField(_l("Deadline set by a decision"), validators=[Optional()])
    qcvn_column = SelectField(
        _l("QCVN column"),
        choices=lambda: [SelectChoice("", "—"), SelectChoice("A", "A"), SelectChoice("B", "B")],
        validators=[Optional()],
    )
    kq = NumberField("Kq")
    kf = NumberField("Kf")
    kp = NumberField("Kp")
    kv = NumberField("Kv")
    reason = TextAreaField(_l("Reason for the change"), validators=[Optional(), Length(max=1000)])


class SourceForm(FlaskForm):
    """An emission source (stack or process)."""

    code = StringField(_l("Source code"), validators=[DataRequired(), Length(max=40)])
    source_kind = SelectField(
        _l("Source kind"), choices=lambda: [SelectChoice(kind, kind) for kind in SOURCE_KINDS]
    )
    fuel = StringField(_l("Fuel"), validators=[Optional(), Length(max=120)])
    capacity = NumberField(_l("Capacity"))
    capacity_unit = StringField(
        _l("Capacity unit (t/h or kg/h for incinerators)"), validators=[Optional(), Length(max=20)]
    )
    flow_m3_h = NumberField(_l("Gas flow (m³/h)"))


class DeleteForm(FlaskForm):
    """A deletion, with its reason."""

    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])
