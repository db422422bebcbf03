"""The administrator's rule pages: regimes, clauses and their versions; edit, verify, copy."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from markupsafe import Markup

from app.auth.access import allow
from app.auth.roles import ADMIN
from app.compliance import bp, describe, rule_services
from app.compliance.forms import (
    STATUS_LABELS,
    CopyRegimeForm,
    HeaderForm,
    RuleJsonForm,
    VerifyForm,
    clause_data,
    clause_form,
    dynamic_fields,
)
from app.compliance.models import RuleVersion
from app.compliance.rule_checks import RuleDataError, parse_json
from app.db import commit
from app.errors import DomainError, NotFound

HELPERS = {
    "describe_rule": describe.describe_rule,
    "describe_condition": describe.describe_condition,
    "describe_trigger": describe.describe_trigger,
    "status_labels": STATUS_LABELS,
    "fields_of": dynamic_fields,
}


def _version_or_404(version_id: int) -> RuleVersion:
    try:
        return rule_services.get_version(version_id)
    except NotFound:
        abort(404)


def _refused(form: FlaskForm, exc: DomainError) -> list[str]:
    """Put a refusal on its field when it names one; return the problems to list otherwise."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, exc.message]
        return []
    return exc.problems if isinstance(exc, RuleDataError) else [exc.message]


def _page(template: str, problems: list[str], **context: Any) -> tuple[str, int]:
    """Render a form page; after a refused post, say that nothing was saved (400)."""
    if request.method != "POST":
        return render_template(template, problems=problems, **context), 200
    if not problems:
        flash(_("Nothing was saved: please correct the fields marked below."), "error")
    return render_template(template, problems=problems, **context), 400


def _done(change: rule_services.RuleChange, message: str) -> ResponseReturnValue:
    """Commit, say what was recorded and that obligations follow, back to the regime."""
    regime = change.version.regime
    commit()
    flash(message, "success")
    link = url_for("jobs.detail", run_id=change.run.id)
    flash(
        Markup('{} <a href="{}">{}</a>').format(
            _("The obligations of every facility are being re-evaluated."), link, _("Follow the job")
        ),
        "info",
    )
    return redirect(url_for("compliance.detail", regime=regime))


@bp.route("/", endpoint="list")
@allow(ADMIN)
def list_regimes() -> ResponseReturnValue:
    """Every regime: validity, deadline, in force today, clauses and how many to verify."""
    return render_template("compliance/list.html", regimes=rule_services.regime_summaries())


@bp.route("/<regime>", endpoint="detail")
@allow(ADMIN)
def detail(regime: str) -> ResponseReturnValue:
    """One regime: its clauses per kind in table order, each with its versions."""
    try:
        found = rule_services.regime_detail(regime)
    except NotFound:
        abort(404)
    return render_template("compliance/detail.html", regime=regime, **found, **HELPERS)


def _json_form(rule: dict[str, Any], formdata: Any = None) -> RuleJsonForm:
    text = json.dumps(rule, ensure_ascii=False, indent=2)
    return RuleJsonForm(formdata=formdata, prefix="json", data={"rule_json": text})


def _render_edit(
    version: RuleVersion, form: FlaskForm, json_form: FlaskForm, problems: list[str]
) -> tuple[str, int]:
    live = rule_services.is_live(version)
    context = {"version": version, "form": form, "json_form": json_form, "is_live": live, **HELPERS}
    return _page("compliance/edit.html", problems, **context)


@bp.route("/versions/<int:version_id>/edit", methods=["GET", "POST"], endpoint="edit")
@allow(ADMIN)
def edit(version_id: int) -> ResponseReturnValue:
    """Record a new version of a clause from its fields (numbers, sentences, parameters)."""
    version = _version_or_404(version_id)
    if version.kind == "regime":
        return _edit_header(version)
    rule = rule_services.editable_data(version)
    form = clause_form(rule, request.form if request.method == "POST" else None)
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            change = rule_services.record_version(
                version, clause_data(rule, form), form.reason.data, form.new_validity()
            )
        except DomainError as exc:
            problems = _refused(form, exc)
        else:
            return _done(
                change, _("A new version of clause %(clause)s has been recorded.", clause=version.clause)
            )
    return _render_edit(version, form, _json_form(rule), problems)


@bp.route("/versions/<int:version_id>/json", methods=["POST"], endpoint="edit_json")
@allow(ADMIN)
def edit_json(version_id: int) -> ResponseReturnValue:
    """Record a new version of a clause from the whole rule as JSON (checked strictly)."""
    version = _version_or_404(version_id)
    if version.kind == "regime":
        abort(404)
    rule = rule_services.editable_data(version)
    json_form = _json_form(rule, request.form)
    problems: list[str] = []
    if json_form.validate_on_submit():
        try:
            data = parse_json(json_form.rule_json.data)
            change = rule_services.record_version(
                version, data, json_form.reason.data, json_form.new_validity()
            )
        except DomainError as exc:
            problems = _refused(json_form, exc)
        else:
            return _done(
                change, _("A new version of clause %(clause)s has been recorded.", clause=version.clause)
            )
    return _render_edit(version, clause_form(rule), json_form, problems)


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _edit_header(version: RuleVersion) -> ResponseReturnValue:
    """Record a new version of a regime's header: name, deadline, validity."""
    data = rule_services.editable_data(version)
    current = {
        "name": data.get("name"),
        "deadline": _date(data.get("deadline")),
        "deadline_note": data.get("deadline_note", ""),
        "valid_from": version.valid_from,
        "valid_to": version.valid_to,
    }
    form = HeaderForm(formdata=request.form if request.method == "POST" else None, data=current)
    problems: list[str] = []
    if form.validate_on_submit():
        new = {
            **data,
            "name": form.name.data.strip(),
            "deadline": form.deadline.data.isoformat() if form.deadline.data else None,
            "deadline_note": (form.deadline_note.data or "").strip(),
        }
        span = (form.valid_from.data, form.valid_to.data)
        validity = None if span == (version.valid_from, version.valid_to) else span
        try:
            change = rule_services.record_version(version, new, form.reason.data, validity)
        except DomainError as exc:
            problems = _refused(form, exc)
        else:
            return _done(
                change, _("A new version of the regime %(code)s has been recorded.", code=version.regime)
            )
    return _page("compliance/edit_regime.html", problems, version=version, form=form)


@bp.route("/versions/<int:version_id>/verify", methods=["GET", "POST"], endpoint="verify")
@allow(ADMIN)
def verify(version_id: int) -> ResponseReturnValue:
    """Mark a version verified, naming the official text read (a new version, the old one kept)."""
    version = _version_or_404(version_id)
    form = VerifyForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            change = rule_services.verify_version(version, form.source.data, form.note.data)
        except DomainError as exc:
            problems = _refused(form, exc)
        else:
            return _done(change, _("Version #%(id)d is marked verified.", id=version.id))
    live = rule_services.is_live(version)
    return _page("compliance/verify.html", problems, version=version, form=form, is_live=live, **HELPERS)


@bp.route("/<regime>/copy", methods=["GET", "POST"], endpoint="copy")
@allow(ADMIN)
def copy(regime: str) -> ResponseReturnValue:
    """Create a new regime from a copy of this one's current clauses (all marked to verify)."""
    try:
        source = rule_services.regime_detail(regime)["header"]
    except NotFound:
        abort(404)
    form = CopyRegimeForm(data={"deadline_note": source.data.get("deadline_note", "")})
    problems: list[str] = []
    if form.validate_on_submit():
        new = rule_services.NewRegime(
            code=form.code.data.strip(),
            name=form.name.data,
            valid_from=form.valid_from.data,
            valid_to=form.valid_to.data,
            deadline=form.deadline.data,
            deadline_note=form.deadline_note.data or "",
        )
        try:
            change = rule_services.copy_regime(regime, new, form.reason.data, form.end_source.data)
        except DomainError as exc:
            problems = _refused(form, exc)
        else:
            return _done(change, _("The regime %(code)s has been created.", code=new.code))
    return _page("compliance/copy.html", problems, source=source, form=form)
