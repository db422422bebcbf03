"""The ladder as data: its current steps, and editing a step by superseding its row (audited).

A step row is never changed in place: an edit sets ``superseded_at`` on the current
row and inserts its successor, so every notice keeps pointing at the wording and the
days it was drafted from. ``current_steps`` and ``current_step`` are the one
query of the rows in force (``superseded_at IS NULL``), for cases and notices.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from app.audit.actor import current_actor
from app.audit.services import record
from app.cases.ladder import Step
from app.cases.models import LADDER_DOCUMENT_TYPES, LadderStep
from app.db import utcnow
from app.errors import DomainError, NotFound
from app.extensions import db

EDITABLE = (
    "document_type",
    "name",
    "summary_template",
    "body_template",
    "request_template",
    "answer_days",
    "wait_days",
)
TEMPLATE_FIELDS = (
    "breach_subject",
    "breach_sentence",
    "facility",
    "enterprise",
    "agency",
    "legal_basis",
    "deadline",
    "previous_number",
    "previous_date",
    "facts",
)


def current_steps() -> list[LadderStep]:
    """The ladder's current rows (not superseded), ordered by position."""
    return list(
        db.session.scalars(
            sa.select(LadderStep).where(LadderStep.superseded_at.is_(None)).order_by(LadderStep.position)
        )
    )


def as_steps(rows: list[LadderStep]) -> list[Step]:
    """The rows as the pure ladder arithmetic reads them."""
    return [Step(row.position, row.answer_days, row.wait_days) for row in rows]


def current_step(position: int) -> LadderStep:
    """The current row of a position (NotFound when the ladder has none)."""
    row = db.session.scalar(
        sa.select(LadderStep).where(LadderStep.position == position, LadderStep.superseded_at.is_(None))
    )
    if row is None:
        raise NotFound(_("The ladder has no step %(n)d.", n=position))
    return row


def history(position: int) -> list[LadderStep]:
    """Every version of a position, newest first."""
    return list(
        db.session.scalars(
            sa.select(LadderStep).where(LadderStep.position == position).order_by(LadderStep.id.desc())
        )
    )


def _check_template(field: str, text: str) -> None:
    values = {name: "" for name in TEMPLATE_FIELDS}
    try:
        text.format(**values)
    except KeyError as exc:
        raise DomainError(
            _(
                "Unknown field {%(name)s} in the template; allowed: %(allowed)s.",
                name=exc.args[0],
                allowed=", ".join("{" + n + "}" for n in TEMPLATE_FIELDS),
            ),
            field=field,
        ) from None
    except (ValueError, IndexError):
        raise DomainError(_("Unbalanced braces in the template."), field=field) from None


def _check(values: dict[str, Any]) -> None:
    if values["document_type"] not in LADDER_DOCUMENT_TYPES:
        raise DomainError(_("Unknown document type."), field="document_type")
    if not (values["name"] or "").strip():
        raise DomainError(_("A name is required."), field="name")
    for field in ("summary_template", "body_template", "request_template"):
        _check_template(field, values[field] or "")
    for field in ("answer_days", "wait_days"):
        days = values[field]
        if days is not None and days < 1:
            raise DomainError(_("Days must be at least 1 (or left blank)."), field=field)


def supersede_step(position: int, values: dict[str, Any], reason: str) -> LadderStep:
    """Record a new version of a ladder step; the current row is superseded, never edited (audited)."""
    current = current_step(position)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("A reason is required."), field="reason")
    merged = {field: values.get(field, getattr(current, field)) for field in EDITABLE}
    merged["name"] = (merged["name"] or "").strip()
    _check(merged)
    changes = {f: [getattr(current, f), merged[f]] for f in EDITABLE if getattr(current, f) != merged[f]}
    if not changes:
        raise DomainError(_("Nothing was changed."), field="name")
    now = utcnow()
    taken = db.session.execute(
        sa.update(LadderStep)
        .where(LadderStep.id == current.id, LadderStep.superseded_at.is_(None))
        .values(superseded_at=now)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        raise DomainError(_("This step was changed by someone else meanwhile; reload it."), field="reason")
    db.session.refresh(current)
    successor = LadderStep(
        position=position,
        valid_from=now,
        recorded_by_id=current_actor().user_id,
        reason=reason,
        **merged,
    )
    db.session.add(successor)
    db.session.flush()
    record(
        "ladder_step.superseded",
        successor,
        changes={"superseded_id": [current.id, successor.id], **changes},
        reason=reason,
    )
    return successor
