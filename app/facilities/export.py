"""Export of the facility list to ``.xlsx``, in the import's own columns (a round trip).

The sheets and labels are those of the import template, so an exported list can
be edited and imported back; the obligation columns added at the end are not
import columns and are ignored (and reported) on the way back in. Text that a
spreadsheet would read as a formula is written as plain text.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from app.facilities.import_columns import BOOL, COLUMNS, SHEETS
from app.facilities.models import Facility
from app.facilities.template import write_headers
from app.formatting import LOCAL_TZ

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
OBLIGATION_FILL = PatternFill("solid", fgColor="E4E9F2")
STATUS_TEXT = {
    "required": "Bắt buộc",
    "optional": "Tự chọn (tự động hoặc định kỳ)",
    "not_required": "Không bắt buộc",
}
KIND_TEXT = {"wastewater": "Nước thải", "emission": "Khí thải"}

ATTRIBUTE_OF = {
    "facilities": {"facility_code": "code", "facility_name": "name"},
    "sources": {"source_code": "code"},
    "stations": {"station_code": "code"},
}


def _value(obj: Any, sheet: str, key: str, kind: str) -> Any:
    if key == "enterprise_name":
        return obj.enterprise.name
    if key == "enterprise_tax_code":
        return obj.enterprise.tax_code
    if key == "facility_code" and sheet != "facilities":
        return obj.facility.code if obj.facility else None
    if key == "source_code" and sheet == "stations":
        return obj.source.code if obj.source else None
    value = getattr(obj, ATTRIBUTE_OF[sheet].get(key, key), None)
    if kind == BOOL:
        return "có" if value else None
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime):
        return value.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
    return value


def write_row(worksheet, values: list[Any]) -> None:
    """Append a row; text a spreadsheet would read as a formula stays text, dates get a date format."""
    worksheet.append(values)
    for cell in worksheet[worksheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
            cell.data_type = "s"  # text, never a formula
            cell.quotePrefix = True  # and it stays text when edited in the spreadsheet
        elif isinstance(cell.value, date):
            cell.number_format = "yyyy-mm-dd"


def _obligation_headers(worksheet, regime_name: str) -> list[str]:
    keys = []
    start = len(COLUMNS["facilities"]) + 1
    for kind in ("wastewater", "emission"):
        for suffix, key in (("nghĩa vụ", "status"), ("điều khoản", "clauses"), ("thời hạn", "deadline")):
            column = start + len(keys)
            cell = worksheet.cell(row=1, column=column, value=f"{KIND_TEXT[kind]} – {suffix} ({regime_name})")
            cell.font = Font(bold=True, italic=True)
            cell.fill = OBLIGATION_FILL
            worksheet.column_dimensions[get_column_letter(column)].width = 24
            keys.append(f"{kind}.{key}")
    return keys


def _obligation_values(facility: Facility, regime: str, keys: list[str]) -> list[Any]:
    by_kind = {o.kind: o for o in facility.obligations if o.regime == regime}
    values = []
    for key in keys:
        kind, field = key.split(".")
        obligation = by_kind.get(kind)
        if obligation is None:
            values.append(None)
        elif field == "status":
            values.append(STATUS_TEXT[obligation.status])
        elif field == "clauses":
            values.append(", ".join(obligation.clauses) or None)
        else:
            values.append(obligation.deadline)
    return values


def build_export(facilities: list[Facility], regime: str, regime_name: str) -> bytes:
    """The facilities, their sources and stations as an ``.xlsx`` in the import's columns."""
    workbook = Workbook()
    sheets = {SHEETS[0]: workbook.active}
    sheets[SHEETS[0]].title = SHEETS[0]
    for sheet in SHEETS[1:]:
        sheets[sheet] = workbook.create_sheet(sheet)
    for sheet, worksheet in sheets.items():
        write_headers(worksheet, sheet)
    obligation_keys = _obligation_headers(sheets["facilities"], regime_name)
    for facility in facilities:
        row = [_value(facility, "facilities", c.key, c.kind) for c in COLUMNS["facilities"]]
        write_row(sheets["facilities"], row + _obligation_values(facility, regime, obligation_keys))
        for source in facility.sources:
            write_row(
                sheets["sources"], [_value(source, "sources", c.key, c.kind) for c in COLUMNS["sources"]]
            )
        for station in getattr(facility, "stations", []):
            write_row(
                sheets["stations"], [_value(station, "stations", c.key, c.kind) for c in COLUMNS["stations"]]
            )
    for worksheet in sheets.values():
        worksheet.auto_filter.ref = worksheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
