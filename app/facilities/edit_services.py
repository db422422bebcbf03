"""Use cases of inspectors editing facilities and their emission sources by hand."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.audit.services import diff, record
from app.compliance.evaluator import validate_facility
from app.compliance.parameters import canonical_code
from app.compliance.services import store_obligations
from app.errors import DomainError
from app.extensions import db
from app.facilities.models import BOOLEAN_ATTRIBUTES, EmissionSource, Enterprise, Facility

FACILITY_FIELDS = (
    "name",
    "commune",
    "district",
    "address",
    "industrial_park",
    "industry_type",
    "contact_email",
    "production_capacity_t_year",
    *BOOLEAN_ATTRIBUTES,
    "wastewater_flow_m3_day",
    "extra_parameters",
    "operation_start_date",
    "obligation_deadline",
    "qcvn_column",
    "kq",
    "kf",
    "kp",
    "kv",
)
SOURCE_FIELDS = ("source_kind", "fuel", "capacity", "capacity_unit", "flow_m3_h")


def find_or_create_enterprise(name: str, tax_code: str | None) -> Enterprise:
    """The enterprise by tax code when given, else by name (trimmed, case-insensitive); created if new."""
    name = (name or "").strip()
    tax_code = (tax_code or "").strip() or None
    if not name:
        raise DomainError("Tên doanh nghiệp là bắt buộc.", field="enterprise_name")
    if tax_code:
        found = db.session.scalar(sa.select(Enterprise).where(Enterprise.tax_code == tax_code))
    else:
        found = db.session.scalar(
            sa.select(Enterprise).where(sa.func.lower(sa.func.trim(Enterprise.name)) == name.lower())
        )
    if found is not None:
        return found
    enterprise = Enterprise(name=name, tax_code=tax_code)
    db.session.add(enterprise)
    db.session.flush()
    record("enterprise.created", enterprise, changes={"name": [None, name], "tax_code": [None, tax_code]})
    return enterprise


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(values)
    for key in (
        "commune",
        "district",
        "address",
        "industrial_park",
        "industry_type",
        "contact_email",
        "qcvn_column",
    ):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip() or None
    if cleaned.get("industry_type"):
        cleaned["industry_type"] = cleaned["industry_type"].lower()
    if "extra_parameters" in cleaned:
        codes = []
        for code in cleaned["extra_parameters"] or []:
            canonical = canonical_code(code) or code.strip()
            if canonical and canonical not in codes:
                codes.append(canonical)
        cleaned["extra_parameters"] = codes
    if cleaned.get("wastewater_flow_m3_day") is None and "wastewater_flow_m3_day" in cleaned:
        cleaned["wastewater_flow_m3_day"] = 0
    return cleaned


def _check(facility: Facility | None, values: dict[str, Any]) -> None:
    merged = facility.attributes() if facility is not None else {}
    merged.update(values)
    for key in ("production_capacity_t_year", "wastewater_flow_m3_day"):
        merged[key] = None if merged.get(key) is None else float(merged[key])
    sources = [s.attributes() for s in facility.sources] if facility is not None else []
    problems = validate_facility(merged, sources)
    if problems:
        raise DomainError(" ".join(p["message"] for p in problems), field=problems[0]["field"])


def create_facility(code: str, enterprise: Enterprise, values: dict[str, Any]) -> Facility:
    """Register a facility; obligations are evaluated at once."""
    code = (code or "").strip()
    if not code:
        raise DomainError("Mã cơ sở là bắt buộc.", field="code")
    if db.session.scalar(sa.select(Facility.id).where(Facility.code == code)):
        raise DomainError(f"Mã cơ sở {code} đã tồn tại.", field="code")
    values = _clean(values)
    _check(None, values)
    facility = Facility(code=code, enterprise_id=enterprise.id, **values)
    db.session.add(facility)
    db.session.flush()
    record(
        "facility.created",
        facility,
        changes={k: [None, v] for k, v in values.items() if v not in (None, False, [])},
    )
    store_obligations(facility)
    return facility


def update_facility(
    facility: Facility, enterprise: Enterprise, values: dict[str, Any], reason: str | None
) -> dict:
    """Change a facility's data (audited with the reason); obligations follow."""
    values = _clean(values)
    _check(facility, values)
    changes = diff(facility, values)
    if facility.enterprise_id != enterprise.id:
        changes["enterprise"] = [facility.enterprise.name, enterprise.name]
        facility.enterprise_id = enterprise.id
        facility.enterprise = enterprise
    if changes:
        db.session.flush()
        record("facility.updated", facility, changes=changes, reason=reason)
        store_obligations(facility)
    return changes


def save_source(
    facility: Facility, code: str, values: dict[str, Any], source: EmissionSource | None = None
) -> EmissionSource:
    """Add or change an emission source of a facility (checked like an import row)."""
    code = (code or "").strip()
    if not code:
        raise DomainError("Mã nguồn thải là bắt buộc.", field="code")
    clash = db.session.scalar(sa.select(EmissionSource).where(EmissionSource.code == code))
    if clash is not None and clash is not source:
        raise DomainError(f"Mã nguồn thải {code} đã tồn tại.", field="code")
    candidate = {"source_code": code, **{k: values.get(k) for k in SOURCE_FIELDS}}
    for key in ("capacity", "flow_m3_h"):
        candidate[key] = None if candidate[key] is None else float(candidate[key])
    problems = validate_facility(facility.attributes(), [candidate])
    if problems:
        raise DomainError(" ".join(p["message"] for p in problems), field=problems[0]["field"])
    if source is None:
        source = EmissionSource(code=code, facility=facility, **{k: values.get(k) for k in SOURCE_FIELDS})
        db.session.add(source)
        db.session.flush()
        record("source.created", source, changes={k: [None, values.get(k)] for k in SOURCE_FIELDS})
    else:
        changes = diff(source, {"code": code, **{k: values.get(k) for k in SOURCE_FIELDS}})
        if changes:
            record("source.updated", source, changes=changes)
    db.session.flush()
    db.session.refresh(facility, ["sources"])
    store_obligations(facility)
    return source


def delete_source(source: EmissionSource, reason: str | None) -> None:
    """Remove an emission source that was registered by mistake (audited)."""
    facility = source.facility
    from app.stations.models import Station

    if db.session.scalar(sa.select(Station.id).where(Station.source_id == source.id)):
        raise DomainError(f"Nguồn thải {source.code} đang được một trạm quan trắc theo dõi; không thể xóa.")
    record("source.deleted", source, changes={"code": [source.code, None]}, reason=reason)
    db.session.delete(source)
    db.session.flush()
    db.session.refresh(facility, ["sources"])
    store_obligations(facility)
