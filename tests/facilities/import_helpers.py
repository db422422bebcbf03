"""Building import files in tests: workbooks with openpyxl, CSV files as bytes."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import openpyxl

MB = 1024 * 1024


def table(*rows: dict[str, Any]) -> list[list[Any]]:
    """A header (the keys in order of first appearance) followed by the rows' values."""
    header: list[str] = []
    for row in rows:
        header.extend(key for key in row if key not in header)
    return [header, *[[row.get(key) for key in header] for row in rows]]


def xlsx_bytes(sheets: dict[str, list[list[Any]]]) -> bytes:
    """A workbook with one sheet per entry (name -> rows, the header first)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        worksheet = workbook.create_sheet(name)
        for row in rows:
            worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """Write a workbook file and return its path."""
    path.write_bytes(xlsx_bytes(sheets))
    return path


def csv_bytes(
    rows: list[list[Any]], delimiter: str = ",", bom: bool = False, encoding: str = "utf-8"
) -> bytes:
    """CSV text of the rows (RFC 4180 quoting where needed)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def facility(code: str = "F01", **values: Any) -> dict[str, Any]:
    """A facilities row with its required columns."""
    return {
        "facility_code": code,
        "facility_name": values.pop("facility_name", f"Nhà máy {code}"),
        "enterprise_name": values.pop("enterprise_name", "Công ty TNHH Thử Nghiệm"),
        **values,
    }


def source(
    code: str = "S01", facility_code: str = "F01", kind: str = "boiler", **values: Any
) -> dict[str, Any]:
    """A sources row with its required columns."""
    return {"source_code": code, "facility_code": facility_code, "source_kind": kind, **values}


def station(code: str = "ST01", facility_code: str | None = "F01", kind: str = "wastewater", **values: Any):
    """A stations row with its required columns."""
    return {"station_code": code, "facility_code": facility_code, "kind": kind, **values}
