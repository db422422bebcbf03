"""Use case of the facility list import: validate everything, then create or update rows.

All or nothing: every row of every sheet is checked against the database first; with any
problem nothing is written. Rows are matched on their code; columns present in the file
are set, absent ones left as stored; nothing is deleted. Every change is audited and the
obligations of the facilities touched are evaluated again. The caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import sqlalchemy as sa

from app.audit.services import record
from app.compliance.services import reevaluate_facilities
from app.extensions import db
from app.facilities.import_columns import SHEETS, ParsedImport
from app.facilities.importer import Snapshot, Validated, ValidRow, counts, result, validate_import
from app.facilities.models import EmissionSource, Enterprise, Facility
from app.stations.models import Station

# Import keys whose model attribute has another name (the audit uses the model's names).
FIELDS = {
    "facilities": {"facility_name": "name"},
    "sources": {"facility_code": "facility"},
    "stations": {"facility_code": "facility", "source_code": "source"},
}
ACTIONS = {"facilities": "facility", "sources": "source", "stations": "station"}
THOUSANDTH = Decimal("0.001")


@dataclass
class Planned:
    """What applying one row does: create, update (with the changes) or nothing."""

    row: ValidRow
    action: str
    changes: dict[str, list[Any]] = field(default_factory=dict)
    obj: Any = None


def load_snapshot(known_parameters: dict[str, str] | None = None) -> Snapshot:
    """The database's facilities, sources, stations and enterprises as plain data."""
    facilities = db.session.scalars(sa.select(Facility)).all()
    sources = db.session.scalars(sa.select(EmissionSource)).all()
    stations = db.session.scalars(sa.select(Station)).all()
    return Snapshot(
        facilities={f.code: f.attributes() for f in facilities},
        sources={s.code: {**s.attributes(), "facility_code": s.facility.code} for s in sources},
        stations={
            s.code: {
                "kind": s.kind,
                "facility_code": s.facility.code if s.facility else None,
                "source_code": s.source.code if s.source else None,
                "parameters": list(s.parameters or []),
            }
            for s in stations
        },
        enterprises=[
            {"id": e.id, "name": e.name, "tax_code": e.tax_code}
            for e in db.session.scalars(sa.select(Enterprise))
        ],
        known_parameters=dict(known_parameters or {}),
    )


def _stored_value(value: Any) -> Any:
    """A value as the database keeps it (numbers to the thousandth)."""
    if isinstance(value, Decimal):
        return value.quantize(THOUSANDTH, rounding=ROUND_HALF_UP)
    return value


def _targets(row: ValidRow) -> dict[str, Any]:
    """The row's values by model attribute (relations as codes, resolved when applying)."""
    targets = {}
    for key, value in row.values.items():
        if row.sheet == "facilities" and key == "industry_type" and value:
            value = value.lower()
        if row.sheet == "facilities" and key == "wastewater_flow_m3_day" and value is None:
            value = Decimal(0)
        targets[FIELDS[row.sheet].get(key, key)] = _stored_value(value)
    return targets


def _current(obj: Any, attr: str) -> Any:
    if attr in ("facility", "source"):
        related = getattr(obj, attr)
        return related.code if related is not None else None
    return getattr(obj, attr)


def _enterprise_label(enterprise: Enterprise | dict[str, Any]) -> str:
    name = enterprise.name if isinstance(enterprise, Enterprise) else enterprise["name"]
    tax = enterprise.tax_code if isinstance(enterprise, Enterprise) else enterprise["tax_code"]
    return f"{name} ({tax})" if tax else name


def _find(sheet: str, code: str) -> Any:
    if sheet == "facilities":
        return db.session.scalar(sa.select(Facility).where(Facility.code == code))
    if sheet == "sources":
        return db.session.scalar(sa.select(EmissionSource).where(EmissionSource.code == code))
    return db.session.scalar(sa.select(Station).where(Station.code_key == code.lower()))


def _plan_row(row: ValidRow, validated: Validated) -> Planned:
    targets = _targets(row)
    obj = None if row.is_new else _find(row.sheet, row.code)
    changes: dict[str, list[Any]] = {}
    for attr, new in targets.items():
        old = _current(obj, attr) if obj is not None else None
        if obj is None:
            if new not in (None, False, []):
                changes[attr] = [None, new]
        elif old != new:
            changes[attr] = [old, new]
    if row.enterprise is not None:
        if "id" in row.enterprise:
            target = db.session.get(Enterprise, row.enterprise["id"])
        else:
            target = validated.enterprises[row.enterprise["new"]]
        old_id = obj.enterprise_id if obj is not None else None
        if old_id is None or "new" in row.enterprise or old_id != row.enterprise.get("id"):
            changes["enterprise"] = [obj and _enterprise_label(obj.enterprise), _enterprise_label(target)]
    action = "created" if obj is None else ("updated" if changes else "unchanged")
    return Planned(row, action, changes, obj)


def plan_import(validated: Validated) -> dict[str, list[Planned]]:
    """What applying the validated rows would do, sheet by sheet (nothing is written)."""
    return {sheet: [_plan_row(row, validated) for row in validated.rows[sheet]] for sheet in SHEETS}


def _counted(plan: dict[str, list[Planned]]) -> dict[str, dict[str, int]]:
    found = {action: counts() for action in ("created", "updated", "unchanged")}
    for sheet, planned in plan.items():
        for item in planned:
            found[item.action][sheet] += 1
    return found


def _enterprises(plan: dict[str, list[Planned]], validated: Validated, reason: str) -> dict[str, int]:
    """Create the new enterprises the facility rows need; return every enterprise id by key."""
    ids: dict[str, int] = {}
    for item in plan["facilities"]:
        ref = item.row.enterprise or {}
        if "new" in ref and ref["new"] not in ids:
            data = validated.enterprises[ref["new"]]
            enterprise = Enterprise(name=data["name"], tax_code=data["tax_code"])
            db.session.add(enterprise)
            db.session.flush()
            record(
                "enterprise.created",
                enterprise,
                changes={"name": [None, enterprise.name], "tax_code": [None, enterprise.tax_code]},
                reason=reason,
            )
            ids[ref["new"]] = enterprise.id
    return ids


def _apply_facilities(plan: list[Planned], enterprise_ids: dict[str, int]) -> dict[str, Facility]:
    by_code: dict[str, Facility] = {}
    for item in plan:
        facility = item.obj
        if item.action == "unchanged":
            by_code[item.row.code] = facility
            continue
        values = _targets(item.row)
        ref = item.row.enterprise or {}
        enterprise_id = ref["id"] if "id" in ref else enterprise_ids[ref["new"]]
        if facility is None:
            facility = Facility(code=item.row.code, enterprise_id=enterprise_id, **values)
            db.session.add(facility)
        else:
            for attr, value in values.items():
                setattr(facility, attr, value)
            if facility.enterprise_id != enterprise_id:
                facility.enterprise = db.session.get(Enterprise, enterprise_id)
        item.obj = facility
        by_code[item.row.code] = facility
    db.session.flush()
    return by_code


def _facility(code: str | None, created: dict[str, Facility]) -> Facility | None:
    if code is None:
        return None
    return created.get(code) or db.session.scalar(sa.select(Facility).where(Facility.code == code))


def _apply_sources(plan: list[Planned], facilities: dict[str, Facility]) -> set[Facility]:
    touched: set[Facility] = set()
    for item in plan:
        if item.action == "unchanged":
            continue
        values = _targets(item.row)
        source = item.obj
        if "facility" in values:
            values["facility"] = _facility(values["facility"], facilities)
        if source is None:
            source = EmissionSource(code=item.row.code, **values)
            db.session.add(source)
        else:
            touched.add(source.facility)
            for attr, value in values.items():
                setattr(source, attr, value)
        touched.add(source.facility)
        item.obj = source
    db.session.flush()
    return touched


def _apply_stations(plan: list[Planned], facilities: dict[str, Facility]) -> None:
    for item in plan:
        if item.action == "unchanged":
            continue
        values = _targets(item.row)
        if "facility" in values:
            values["facility"] = _facility(values["facility"], facilities)
        if values.get("source") is not None:
            values["source"] = db.session.scalar(
                sa.select(EmissionSource).where(EmissionSource.code == values["source"])
            )
        station = item.obj
        if station is None:
            station = Station(code=item.row.code, code_key=item.row.code.lower(), **values)
            db.session.add(station)
        else:
            for attr, value in values.items():
                setattr(station, attr, value)
        item.obj = station
    db.session.flush()


def _audit(plan: dict[str, list[Planned]], reason: str) -> None:
    for sheet in SHEETS:
        for item in plan[sheet]:
            if item.action == "created":
                record(f"{ACTIONS[sheet]}.created", item.obj, changes=item.changes, reason=reason)
            elif item.action == "updated":
                record(f"{ACTIONS[sheet]}.imported", item.obj, changes=item.changes, reason=reason)


def _write(plan: dict[str, list[Planned]], validated: Validated, reason: str) -> None:
    enterprise_ids = _enterprises(plan, validated, reason)
    facilities = _apply_facilities(plan["facilities"], enterprise_ids)
    touched = {item.obj for item in plan["facilities"] if item.action != "unchanged"}
    touched |= _apply_sources(plan["sources"], facilities)
    _apply_stations(plan["stations"], facilities)
    _audit(plan, reason)
    for facility in touched:
        db.session.expire(facility, ["sources"])
    reevaluate_facilities(sorted(touched, key=lambda f: f.code))


def _run(
    parsed: ParsedImport, dry_run: bool, known_parameters: dict[str, str] | None
) -> tuple[dict[str, Any], dict[str, list[Planned]] | None]:
    validated = validate_import(parsed, load_snapshot(known_parameters))
    if validated.problems:
        refused = result(
            ok=False, dry_run=dry_run, ignored_columns=parsed.ignored_columns, problems=validated.problems
        )
        return refused, None
    plan = plan_import(validated)
    if not dry_run:
        _write(plan, validated, "Nhập danh sách từ tệp: " + ", ".join(parsed.files))
    outcome = result(
        ok=True, dry_run=dry_run, ignored_columns=parsed.ignored_columns, problems=[], **_counted(plan)
    )
    return outcome, plan


def apply_import(
    parsed: ParsedImport, dry_run: bool, known_parameters: dict[str, str] | None = None
) -> dict[str, Any]:
    """Validate everything, then (unless ``dry_run``) create and update rows; the CLI's JSON shape."""
    outcome, _plan = _run(parsed, dry_run, known_parameters)
    return outcome


def preview_import(parsed: ParsedImport, known_parameters: dict[str, str] | None = None) -> dict[str, Any]:
    """A dry run, plus ``rows``: per sheet, each row's code, action and field changes."""
    outcome, plan = _run(parsed, True, known_parameters)
    outcome["rows"] = {sheet: [] for sheet in SHEETS}
    for sheet, planned in (plan or {}).items():
        outcome["rows"][sheet] = [
            {
                "file": item.row.file,
                "row": item.row.row,
                "code": item.row.code,
                "action": item.action,
                "changes": item.changes,
            }
            for item in planned
        ]
    return outcome
