"""The dashboard's tables as a formatted ``.xlsx`` workbook: one sheet per table, Vietnamese headers.

Text is written through ``app.facilities.export.write_row``, so a name starting with
``=`` stays text and never becomes a formula.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from app.dashboard.tables import SheetTable
from app.facilities.export import write_row

HEADER_FILL = PatternFill("solid", fgColor="DCE6E4")
SHEET_NAME_MAX = 31


def _sheet_name(title: str, taken: set[str]) -> str:
    name = "".join(c for c in title if c not in "[]:*?/\\")[:SHEET_NAME_MAX] or "Sheet"
    base, n = name, 2
    while name in taken:
        suffix = f" ({n})"
        name, n = base[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def _is_figure(value) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)) or (
        isinstance(value, str) and (value.endswith("%") or value == "—")
    )


def _write_table(worksheet, table: SheetTable, note: str) -> None:
    worksheet.append([table.title])
    worksheet["A1"].font = Font(bold=True, size=13)
    worksheet.append([note])
    worksheet["A2"].font = Font(italic=True, color="5B6B76")
    worksheet.append(list(table.header))
    for cell in worksheet[3]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in table.rows:
        write_row(worksheet, list(row))
    for index, label in enumerate(table.header, start=1):
        longest = max([len(str(label))] + [len(str(r[index - 1] or "")) for r in table.rows])
        worksheet.column_dimensions[get_column_letter(index)].width = min(max(longest, 8) + 2, 50)
        for (cell,) in worksheet.iter_rows(min_row=4, min_col=index, max_col=index):
            if _is_figure(cell.value):
                cell.alignment = Alignment(horizontal="right")
    worksheet.freeze_panes = "A4"


def build_workbook(tables: Sequence[SheetTable], note: str) -> bytes:
    """A workbook with one formatted sheet per table (title, note, bold header row, frozen panes)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for table in tables:
        _write_table(workbook.create_sheet(_sheet_name(table.title, taken)), table, note)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
