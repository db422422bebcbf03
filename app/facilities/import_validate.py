"""Validating a facility list import against what the database already holds.

Pure: no Flask, no database. ``validate_import`` takes the rows read from the files and a
``Snapshot`` (existing codes and attributes, as plain data) and returns the typed rows ready
to apply, or every problem found. Contradictions between a facility's attributes and the
checks of its sources (unknown kind, incinerator capacity and unit, extra parameters) are
those of app.compliance.evaluator.validate_facility, applied to the values the row would give
(the file's columns over the stored values).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from app.compliance.evaluator import validate_facility
from app.compliance.parameters import PARAMETERS_BY_KIND, canonical_code, sort_parameters
from app.facilities.import_columns import (
    BOOLEAN_COLUMNS,
    CODE_COLUMN,
    COLUMNS,
    NUMBER,
    SHEETS,
    STATION_KINDS,
    ParsedImport,
    Row,
    column,
    problem,
)
from app.facilities.import_values import read_value

FACILITY_DEFAULTS: dict[str, Any] = {
    **dict.fromkeys(BOOLEAN_COLUMNS, False),
    "industry_type": None,
    "production_capacity_t_year": None,
    "wastewater_flow_m3_day": 0,
    "extra_parameters": [],
    "operation_start_date": None,
    "obligation_deadline": None,
}
STATION_CODE = re.compile(r"^[!-~]+$")
NOUNS = {"facilities": "cơ sở", "sources": "nguồn thải", "stations": "trạm"}


@dataclass
class Snapshot:
    """What the database holds, as plain data (import keys)."""

    # facility code -> its attributes (Facility.attributes()).
    facilities: dict[str, dict[str, Any]] = field(default_factory=dict)
    # source code -> its attributes (EmissionSource.attributes()) and "facility_code".
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    # station code -> "kind", "facility_code", "source_code", "parameters".
    stations: dict[str, dict[str, Any]] = field(default_factory=dict)
    # every enterprise: "id", "name", "tax_code".
    enterprises: list[dict[str, Any]] = field(default_factory=list)
    # parameter codes an administrator added -> their kind.
    known_parameters: dict[str, str] = field(default_factory=dict)


@dataclass
class ValidRow:
    """A row ready to apply: its code (the stored spelling when it exists) and typed values."""

    file: str
    sheet: str
    row: int
    code: str
    is_new: bool
    values: dict[str, Any]
    # facilities only: {"id": existing enterprise id} or {"new": key in Validated.enterprises}.
    enterprise: dict[str, Any] | None = None


@dataclass
class Validated:
    """The outcome: rows by sheet, enterprises to create, and every problem."""

    rows: dict[str, list[ValidRow]] = field(default_factory=lambda: {sheet: [] for sheet in SHEETS})
    enterprises: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[dict[str, Any]] = field(default_factory=list)


class Codes:
    """Codes compared case-insensitively after trimming; the first spelling met is kept."""

    def __init__(self, codes: Iterable[str] = ()) -> None:
        self._by_key: dict[str, str] = {}
        for code in codes:
            self.add(code)

    def add(self, code: str) -> None:
        """Remember a code (a later spelling of a known code is ignored)."""
        self._by_key.setdefault(code.strip().casefold(), code)

    def find(self, code: str | None) -> str | None:
        """The remembered spelling of a code, or None."""
        return None if code is None else self._by_key.get(code.strip().casefold())


def _where(row: Row) -> str:
    return f"dòng {row.number} (tệp {row.file}, trang {row.sheet})"


class _Validation:
    """One validation run: the snapshot, the code indexes and the problems found."""

    def __init__(self, parsed: ParsedImport, snapshot: Snapshot) -> None:
        self.parsed = parsed
        self.snapshot = snapshot
        self.known = snapshot.known_parameters
        self.result = Validated()
        self.stored = {sheet: Codes(getattr(snapshot, sheet)) for sheet in SHEETS}
        self.in_file = {sheet: Codes() for sheet in SHEETS}
        self.typed: dict[int, dict[str, Any]] = {}
        self.clean: dict[int, bool] = {}

    def add(self, row: Row, key: str | None, message: str) -> None:
        """Record a problem of a row (and mark the row as not clean)."""
        self.clean[id(row)] = False
        self.result.problems.append(problem(row.file, row.sheet, row.number, key, message))

    def code_of(self, sheet: str, code: str | None) -> str | None:
        """The spelling of a code found in the database or in the file, or None."""
        return self.stored[sheet].find(code) or self.in_file[sheet].find(code)

    def read_cells(self, row: Row) -> dict[str, Any]:
        """The row's cells read by their column types; unreadable ones are problems."""
        typed: dict[str, Any] = {}
        self.clean[id(row)] = True
        for key, raw in row.values.items():
            spec = column(row.sheet, key)
            try:
                value = read_value(spec.kind, raw)
            except ValueError as exc:
                self.add(row, key, str(exc))
                continue
            if spec.max_length and isinstance(value, str) and len(value) > spec.max_length:
                self.add(row, key, f"Giá trị dài quá {spec.max_length} ký tự.")
                continue
            if spec.kind == NUMBER and value is not None:
                if value < 0:
                    self.add(row, key, f"Giá trị {value} âm: phải lớn hơn hoặc bằng 0.")
                    continue
                if spec.max_number is not None and value > spec.max_number:
                    self.add(row, key, f"Giá trị {value} quá lớn (tối đa {spec.max_number:g}).")
                    continue
            typed[key] = value
        return typed

    def collect_codes(self) -> None:
        """Read every row, check its code (given, not repeated) and remember the file's codes."""
        for sheet in SHEETS:
            key = CODE_COLUMN[sheet]
            first: dict[str, Row] = {}
            for row in self.parsed.rows[sheet]:
                typed = self.read_cells(row)
                self.typed[id(row)] = typed
                if key not in typed:
                    continue  # unreadable: already a problem
                code = typed[key]
                if not code:
                    self.add(row, key, f"Thiếu mã {NOUNS[sheet]}.")
                    continue
                folded = code.casefold()
                if folded in first:
                    self.add(
                        row,
                        key,
                        f"Mã {NOUNS[sheet]} “{code}” bị trùng: đã có ở {_where(first[folded])} và "
                        f"lặp lại ở {_where(row)}.",
                    )
                    continue
                first[folded] = row
                self.in_file[sheet].add(code)

    def valid_row(self, row: Row, values: dict[str, Any], **extra: Any) -> None:
        """Keep a row for applying."""
        values = dict(values)
        code = values.pop(CODE_COLUMN[row.sheet])
        stored = self.stored[row.sheet].find(code)
        self.result.rows[row.sheet].append(
            ValidRow(row.file, row.sheet, row.number, stored or code, stored is None, values, **extra)
        )


def _enterprise_key(name: str) -> str:
    return name.strip().casefold()


def _check_enterprises(check: _Validation, rows: list[Row]) -> dict[int, dict[str, Any]]:
    """Resolve each facility row's enterprise: by tax code when given, else by name."""
    by_tax = {str(e["tax_code"]).strip(): e for e in check.snapshot.enterprises if e.get("tax_code")}
    by_name: dict[str, list[dict[str, Any]]] = {}
    for enterprise in check.snapshot.enterprises:
        by_name.setdefault(_enterprise_key(enterprise["name"]), []).append(enterprise)
    new = check.result.enterprises
    found: dict[int, dict[str, Any]] = {}
    for row in rows:  # first pass: identities by tax code
        typed = check.typed[id(row)]
        tax, name = typed.get("enterprise_tax_code"), typed.get("enterprise_name")
        if tax and name:
            if tax in by_tax:
                found[id(row)] = {"id": by_tax[tax]["id"]}
            else:
                new.setdefault(f"tax:{tax}", {"name": name, "tax_code": tax})
                found[id(row)] = {"new": f"tax:{tax}"}
    for row in rows:  # second pass: identities by name
        typed = check.typed[id(row)]
        name = typed.get("enterprise_name")
        if id(row) in found or not name:
            continue
        matches = by_name.get(_enterprise_key(name), [])
        if len(matches) > 1:
            check.add(
                row,
                "enterprise_name",
                f"Có {len(matches)} doanh nghiệp cùng tên “{name}” trong hệ thống: hãy ghi mã số thuế "
                "(enterprise_tax_code) để chỉ rõ doanh nghiệp.",
            )
        elif matches:
            found[id(row)] = {"id": matches[0]["id"]}
        else:
            named = [k for k, e in new.items() if _enterprise_key(e["name"]) == _enterprise_key(name)]
            key = named[0] if len(named) == 1 else f"name:{_enterprise_key(name)}"
            new.setdefault(key, {"name": name, "tax_code": None})
            found[id(row)] = {"new": key}
    return found


def _check_facilities(check: _Validation) -> None:
    rows = check.parsed.rows["facilities"]
    enterprises = _check_enterprises(check, rows)
    for row in rows:
        values = check.typed[id(row)]
        for key in ("facility_name", "enterprise_name"):
            if key in values and not values[key]:
                check.add(row, key, f"Thiếu {column('facilities', key).label.lower()}.")
        qcvn = values.get("qcvn_column")
        if qcvn is not None:
            if qcvn.upper() not in ("A", "B"):
                check.add(row, "qcvn_column", f"Cột QCVN “{qcvn}” không hợp lệ: chỉ nhận A, B hoặc để trống.")
            values["qcvn_column"] = qcvn.upper()
        if not check.clean.get(id(row)) or not values.get("facility_code"):
            continue
        stored = check.stored["facilities"].find(values["facility_code"])
        effective = {**FACILITY_DEFAULTS, **(check.snapshot.facilities.get(stored) or {}), **values}
        for found in validate_facility(effective, [], check.known):
            check.add(row, found["field"], found["message"])
        if "extra_parameters" in values:
            known = list(check.known)
            codes = [canonical_code(code, known) or code for code in values["extra_parameters"]]
            values["extra_parameters"] = sort_parameters(codes, extra_known=known)
        if check.clean.get(id(row)):
            values.pop("enterprise_tax_code", None)
            values.pop("enterprise_name", None)
            check.valid_row(row, values, enterprise=enterprises.get(id(row)))


def _check_sources(check: _Validation) -> None:
    for row in check.parsed.rows["sources"]:
        values = check.typed[id(row)]
        facility = values.get("facility_code")
        if "facility_code" in values and not facility:
            check.add(row, "facility_code", "Thiếu mã cơ sở của nguồn thải.")
        elif facility:
            resolved = check.code_of("facilities", facility)
            if resolved is None:
                check.add(
                    row, "facility_code", f"Cơ sở “{facility}” không có trong tệp cũng như trong hệ thống."
                )
            values["facility_code"] = resolved
        if not check.clean.get(id(row)) or not values.get("source_code"):
            continue
        stored = check.stored["sources"].find(values["source_code"])
        effective = {**(check.snapshot.sources.get(stored) or {}), **values}
        for found in validate_facility({}, [effective], check.known):
            check.add(row, found["field"], found["message"])
        if "source_kind" in values:
            values["source_kind"] = values["source_kind"].strip().casefold()
        if check.clean.get(id(row)):
            check.valid_row(row, values)


def _parameter_problems(codes: list[str], kind: str, known: dict[str, str]) -> list[str]:
    allowed = {code.casefold() for code in PARAMETERS_BY_KIND[kind]}
    allowed |= {code.strip().casefold() for code, of_kind in known.items() if of_kind == kind}
    wrong = [code for code in codes if code.strip().casefold() not in allowed]
    if not wrong:
        return []
    listed = ", ".join(f"“{code}”" for code in wrong)
    return [
        f"Mã thông số {listed} không phải mã chuẩn của trạm loại {kind} "
        f"(mã hợp lệ: {';'.join(PARAMETERS_BY_KIND[kind])})."
    ]


def _check_station_links(check: _Validation, row: Row, values: dict[str, Any], kind: str | None) -> None:
    """The station's facility (blank only for ambient) and source (emission only, same facility)."""
    stored = check.snapshot.stations.get(check.stored["stations"].find(values.get("station_code")) or "", {})
    facility = values["facility_code"] if "facility_code" in values else stored.get("facility_code")
    if facility:
        resolved = check.code_of("facilities", facility)
        if resolved is None:
            check.add(row, "facility_code", f"Cơ sở “{facility}” không có trong tệp cũng như trong hệ thống.")
        else:
            facility = resolved
            if "facility_code" in values:
                values["facility_code"] = resolved
    elif kind and kind != "ambient":
        check.add(
            row, "facility_code", "Thiếu mã cơ sở: chỉ trạm không khí xung quanh (ambient) mới để trống."
        )
    source = values.get("source_code") if "source_code" in values else stored.get("source_code")
    if not source:
        return
    if kind and kind != "emission":
        check.add(row, "source_code", "Chỉ trạm khí thải (emission) mới gắn với một nguồn thải.")
        return
    resolved = check.code_of("sources", source)
    if resolved is None:
        check.add(row, "source_code", f"Nguồn thải “{source}” không có trong tệp cũng như trong hệ thống.")
        return
    if "source_code" in values:
        values["source_code"] = resolved
    owner = _source_facility(check, resolved)
    if facility and owner and owner.casefold() != facility.casefold():
        check.add(
            row, "source_code", f"Nguồn thải “{resolved}” thuộc cơ sở {owner}, không phải cơ sở {facility}."
        )


def _source_facility(check: _Validation, source: str) -> str | None:
    for row in check.parsed.rows["sources"]:
        typed = check.typed[id(row)]
        if (typed.get("source_code") or "").casefold() == source.casefold() and "facility_code" in typed:
            return typed["facility_code"]
    return (check.snapshot.sources.get(source) or {}).get("facility_code")


def _check_stations(check: _Validation) -> None:
    for row in check.parsed.rows["stations"]:
        values = check.typed[id(row)]
        code = values.get("station_code")
        if code and "_" in code:
            check.add(row, "station_code", f"Mã trạm “{code}” không được chứa dấu gạch dưới (_).")
        elif code and not STATION_CODE.match(code):
            # The code names the station's data files and is compared case-insensitively.
            check.add(
                row,
                "station_code",
                f"Mã trạm “{code}” chỉ được gồm chữ cái không dấu, chữ số và ký hiệu, không có khoảng trắng.",
            )
        kind = (values.get("kind") or "").strip().casefold() or None
        if "kind" in values:
            if kind not in STATION_KINDS:
                shown = f"“{values['kind']}” không hợp lệ" if kind else "chưa khai báo"
                check.add(row, "kind", f"Loại trạm {shown} (giá trị hợp lệ: {', '.join(STATION_KINDS)}).")
                kind = None
            values["kind"] = kind
        _check_station_links(check, row, values, kind)
        stored = check.snapshot.stations.get(check.stored["stations"].find(code) or "", {})
        parameters = values["parameters"] if "parameters" in values else stored.get("parameters") or []
        if kind:
            for message in _parameter_problems(parameters, kind, check.known):
                check.add(row, "parameters", message)
        if "parameters" in values:
            known = list(check.known)
            codes = [canonical_code(c, known) or c for c in values["parameters"]]
            values["parameters"] = sort_parameters(codes, extra_known=known)
        if check.clean.get(id(row)) and code:
            check.valid_row(row, values)


def _sort_key(parsed: ParsedImport) -> Any:
    files = {name: index for index, name in enumerate(parsed.files)}
    sheets = {sheet: index for index, sheet in enumerate(SHEETS)}

    def key(found: dict[str, Any]) -> tuple:
        columns = [c.key for c in COLUMNS.get(found["sheet"], ())]
        position = columns.index(found["column"]) if found["column"] in columns else len(columns)
        return (files.get(found["file"], 0), sheets.get(found["sheet"], 0), found["row"] or 0, position)

    return key


def validate_import(parsed: ParsedImport, snapshot: Snapshot) -> Validated:
    """Check every row of every sheet; return typed rows, or every problem (the files' first)."""
    check = _Validation(parsed, snapshot)
    check.collect_codes()
    _check_facilities(check)
    _check_sources(check)
    _check_stations(check)
    found = sorted(check.result.problems, key=_sort_key(parsed))
    check.result.problems = [*parsed.problems, *found]
    return check.result
