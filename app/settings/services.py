"""Reading and changing settings."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.audit.actor import current_actor
from app.audit.services import record
from app.extensions import db
from app.settings.models import SettingValue
from app.settings.registry import BY_KEY, SETTINGS


def get(key: str) -> Any:
    """The value of a setting (its default when never set)."""
    setting = BY_KEY[key]
    stored = db.session.get(SettingValue, key)
    return setting.default if stored is None else stored.value


def all_values() -> dict[str, Any]:
    """Every setting's current value."""
    stored = {row.key: row.value for row in db.session.scalars(sa.select(SettingValue))}
    return {s.key: stored.get(s.key, s.default) for s in SETTINGS}


def agency() -> dict[str, Any]:
    """The agency block used by documents: ``province``, ``name``, ``signatory_name`` ..."""
    return {key.split(".", 1)[1]: value for key, value in all_values().items() if key.startswith("agency.")}


def update(values: dict[str, Any], reason: str | None = None) -> dict[str, list[Any]]:
    """Store new values (already typed); audit what changed; return the changes."""
    current = all_values()
    changes: dict[str, list[Any]] = {}
    for key, value in values.items():
        if key not in BY_KEY:
            raise KeyError(key)
        if current[key] == value:
            continue
        secret = BY_KEY[key].kind == "secret"
        changes[key] = ["***", "***"] if secret else [current[key], value]
        row = db.session.get(SettingValue, key)
        if row is None:
            row = SettingValue(key=key)
            db.session.add(row)
        row.value = value
        row.updated_by_id = current_actor().user_id
    if changes:
        db.session.flush()
        record("settings.changed", object_type="settings", label="settings", changes=changes, reason=reason)
    return changes


def register_number(register: str, number: int) -> str:
    """A document number in its register's form, e.g. ``05/SNNMT-CCBVMT``."""
    values = all_values()
    pattern = values[f"register.{register}"]
    return pattern.format(
        n=f"{number:02d}",
        agency=values["agency.abbreviation"],
        division=values["agency.division_abbreviation"],
    )
