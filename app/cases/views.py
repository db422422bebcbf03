"""Case pages: the list, a case with its evidence and history, the ladder's administration."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from app.auth.access import allow
from app.auth.roles import ADMIN, INSPECTOR, STAFF
from app.cases import bp, services
from app.cases.forms import AssignForm, CloseCaseForm, NoteForm
from app.cases.ladder_services import as_steps, current_steps
from app.cases.models import BREACH_KINDS, Case
from app.compliance.services import today
from app.db import commit, rollback
from app.errors import DomainError
from app.extensions import db
from app.notices.labels import STATUS_LABELS, TYPE_LABELS

ACTORS = (ADMIN, INSPECTOR)
PER_PAGE = 50


def draft_link(case: Case, position: int) -> str:
    """The page that drafts a step of a case."""
    return url_for("notices.new", case=case.id, step=position)


def _filters() -> services.Filters:
    args = request.args
    step = args.get("step", "")
    status = args.get("status", "open")
    return services.Filters(
        kind=args.get("kind") if args.get("kind") in BREACH_KINDS else None,
        status=status if status in ("open", "closed") else None,
        step=int(step) if step.isdigit() else None,
        commune=args.get("commune") or None,
        flag=args.get("flag") if args.get("flag") in services.FLAGS else None,
    )


@bp.route("/", endpoint="list")
@allow(*STAFF)
def list_cases():
    """Cases with filters, where each stands on the ladder, and the notices' effectiveness."""
    filters = _filters()
    steps = current_steps()
    rows = services.list_cases(filters, today())
    page = max(1, request.args.get("page", 1, type=int) or 1)
    pages = max(1, -(-len(rows) // PER_PAGE))
    return render_template(
        "cases/list.html",
        rows=rows[(page - 1) * PER_PAGE : page * PER_PAGE],
        total=len(rows),
        page=min(page, pages),
        pages=pages,
        filters=filters,
        kinds=BREACH_KINDS,
        communes=services.communes(),
        steps=steps,
        steps_by_position={s.position: s for s in steps},
        by_step=services.counts_by_step(),
        effectiveness=services.notice_effectiveness(),
    )


def _case_or_404(case_id: int) -> Case:
    case = db.session.get(Case, case_id)
    if case is None:
        abort(404)
    return case


def _assign_form(case: Case, formdata: Any = None) -> AssignForm:
    form = AssignForm(formdata=formdata, prefix="assign", data={"inspector_id": case.inspector_id or 0})
    form.inspector_id.choices = [SelectChoice(0, _("Nobody"))] + [
        SelectChoice(u.id, u.display_name) for u in services.inspectors()
    ]
    return form


def _detail(case: Case, status: int = 200, **forms: Any):
    row = services.case_row(case, as_steps(current_steps()), today())
    position = row.proposal.position
    page = render_template(
        "cases/detail.html",
        case=case,
        row=row,
        steps={s.position: s for s in current_steps()},
        events=services.events(case),
        notices=services.case_notices(case),
        notice_types=TYPE_LABELS,
        notice_statuses=STATUS_LABELS,
        draft_url=draft_link(case, position) if position else None,
        close_form=forms.get("close") or CloseCaseForm(prefix="close", formdata=None),
        assign_form=forms.get("assign") or _assign_form(case),
        note_form=forms.get("note") or NoteForm(prefix="note", formdata=None),
    )
    return page, status


@bp.route("/<int:case_id>", endpoint="detail")
@allow(*STAFF)
def detail(case_id: int):
    """One case: the facility, the evidence, the timeline, the proposed next step and the notices."""
    return _detail(_case_or_404(case_id))


def _field_error(form: Any, exc: DomainError, default: str) -> None:
    target = getattr(form, exc.field or default, None) or getattr(form, default)
    target.errors = [*target.errors, exc.message]


def _act(case_id: int, name: str, form: Any, field: str, action, done: str):
    case = _case_or_404(case_id)
    if not form.validate_on_submit():
        return _detail(case, 400, **{name: form})
    try:
        action(case, form)
    except DomainError as exc:
        rollback()
        _field_error(form, exc, field)
        return _detail(_case_or_404(case_id), 400, **{name: form})
    commit()
    flash(done, "success")
    return redirect(url_for("cases.detail", case_id=case_id))


@bp.route("/<int:case_id>/close", methods=["POST"], endpoint="close")
@allow(*ACTORS)
def close(case_id: int):
    """Close an open case with a reason."""
    form = CloseCaseForm(prefix="close")
    return _act(
        case_id,
        "close",
        form,
        "reason",
        lambda case, f: services.close_case(case, f.reason.data),
        _("Case closed."),
    )


@bp.route("/<int:case_id>/assign", methods=["POST"], endpoint="assign")
@allow(*ACTORS)
def assign(case_id: int):
    """Assign the inspector following the case."""
    case = _case_or_404(case_id)
    form = _assign_form(case, request.form)
    return _act(
        case_id,
        "assign",
        form,
        "inspector_id",
        lambda c, f: services.assign_inspector(c, f.inspector_id.data or None),
        _("Inspector assigned."),
    )


@bp.route("/<int:case_id>/note", methods=["POST"], endpoint="note")
@allow(*ACTORS)
def note(case_id: int):
    """Add a note to the case's timeline."""
    form = NoteForm(prefix="note")
    return _act(
        case_id, "note", form, "text", lambda case, f: services.add_note(case, f.text.data), _("Note added.")
    )


from app.cases import ladder_views  # noqa: E402,F401  (the ladder's pages, on the same blueprint)
