"""Reading the files of a facility list import: ``.xlsx`` workbooks and ``.csv`` files.

Pure: no Flask, no database; bytes in, a ``ParsedImport`` out. A workbook holds the sheets
``facilities``, ``sources`` and ``stations`` (named by key or Vietnamese label); a CSV file
holds one sheet, named by the start of the file name. The header is row 1; headers match
columns by key or label (import_columns.fold). Cells are kept as read: their types are checked
by import_validate. A file that cannot be read is reported as a problem of the whole file.
"""

from __future__ import annotations

import csv
import io
import os
import warnings
import zipfile
from collections.abc import Iterable
from typing import Any

from app.facilities.import_columns import (
    COLUMNS,
    SHEET_LABELS,
    SHEETS,
    ParsedImport,
    Row,
    column_by_header,
    fold,
    problem,
    sheet_by_name,
)
from app.facilities.import_values import is_blank

# Protections against files far larger than a facility list.
MAX_ROWS = 50_000
UNZIPPED_FACTOR = 30
ZIP_MAGIC = b"PK\x03\x04"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_files(files: Iterable[tuple[str, bytes]], max_bytes: int) -> ParsedImport:
    """Read every file (name, content); problems of unreadable files are collected, not raised."""
    parsed = ParsedImport()
    for name, content in files:
        name = os.path.basename(name) or name
        parsed.files.append(name)
        extension = os.path.splitext(name)[1].casefold()
        if len(content) > max_bytes:
            limit = max_bytes / (1024 * 1024)
            sheet = csv_sheet(name) if extension == ".csv" else None
            parsed.problems.append(
                problem(name, sheet, None, None, f"Tệp {name} lớn hơn giới hạn cho phép ({limit:g} MB).")
            )
            continue
        if extension == ".xlsx":
            _read_workbook(parsed, name, content, max_bytes)
        elif extension == ".csv":
            _read_csv(parsed, name, content)
        else:
            parsed.problems.append(
                problem(
                    name,
                    None,
                    None,
                    None,
                    f"Tệp {name} không phải là bảng tính: chỉ nhận tệp Excel .xlsx hoặc tệp .csv"
                    + (" (định dạng .xls cũ: hãy lưu lại dưới dạng .xlsx)." if extension == ".xls" else "."),
                )
            )
    return parsed


def _refuse_workbook(parsed: ParsedImport, name: str, content: bytes, max_bytes: int) -> bool:
    """Refuse a file that is not a zip, a broken zip, or one that unpacks far too large."""
    message = None
    if not content.startswith(ZIP_MAGIC):
        message = f"Tệp {name} không phải là bảng tính Excel .xlsx (có thể là tệp .xls cũ hoặc tệp khác)."
    else:
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
                if unpacked > max(max_bytes, 1024 * 1024) * UNZIPPED_FACTOR:
                    message = (
                        f"Tệp {name} quá lớn khi giải nén: không phải là một danh sách cơ sở thông thường."
                    )
                elif archive.testzip() is not None:
                    message = f"Tệp {name} bị hỏng: không mở được tệp .xlsx này."
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, RuntimeError):
            message = f"Tệp {name} bị hỏng: không mở được tệp .xlsx này."
    if message is None:
        return False
    parsed.problems.append(problem(name, None, None, None, message))
    return True


def _read_workbook(parsed: ParsedImport, name: str, content: bytes, max_bytes: int) -> None:
    if _refuse_workbook(parsed, name, content, max_bytes):
        return
    import openpyxl

    try:
        with warnings.catch_warnings():
            # Excel features openpyxl does not read (validations, styles) do not matter here.
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a malformed workbook
        parsed.problems.append(
            problem(name, None, None, None, f"Tệp {name} bị hỏng hoặc không phải là bảng tính Excel .xlsx.")
        )
        return
    try:
        seen: dict[str, str] = {}
        for worksheet in workbook.worksheets:
            sheet = sheet_by_name(worksheet.title)
            if sheet is None:
                continue
            if sheet in seen:
                parsed.problems.append(
                    problem(
                        name,
                        sheet,
                        None,
                        None,
                        f"Tệp {name} có hai trang cùng là {sheet}: “{seen[sheet]}” và “{worksheet.title}”.",
                    )
                )
                continue
            seen[sheet] = worksheet.title
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                _read_rows(parsed, name, sheet, worksheet.iter_rows(min_row=1, values_only=True))
        if not seen:
            expected = ", ".join(f"{sheet} ({SHEET_LABELS[sheet]})" for sheet in SHEETS)
            parsed.problems.append(
                problem(name, None, None, None, f"Tệp {name} không có trang nào trong số: {expected}.")
            )
    except Exception:  # a sheet's XML can be broken even when the workbook opened
        parsed.problems.append(
            problem(name, None, None, None, f"Tệp {name} bị hỏng: không đọc được nội dung.")
        )
    finally:
        workbook.close()


def csv_sheet(name: str) -> str | None:
    """The sheet a CSV file holds, from the start of its name (facilities*, sources*, stations*)."""
    folded = fold(os.path.basename(name))
    return next((sheet for sheet in SHEETS if folded.startswith(sheet)), None)


def detect_delimiter(text: str) -> str:
    """``;`` when the header line has more semicolons than commas (outside quotes), else ``,``."""
    counts = {",": 0, ";": 0}
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "\r\n":
            break
        elif not quoted and char in counts:
            counts[char] += 1
    return ";" if counts[";"] > counts[","] else ","


def decode_csv(name: str, content: bytes) -> str:
    """The text of a CSV file: UTF-8 with or without BOM; anything else raises ValueError."""
    refusal = (
        f"Tệp {name} không được mã hóa UTF-8: hãy lưu lại với kiểu “CSV UTF-8 (Comma delimited)” rồi thử lại."
    )
    if content.startswith(UTF16_BOMS):
        raise ValueError(refusal)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(refusal) from exc
    if "\x00" in text:
        raise ValueError(f"Tệp {name} không phải là tệp văn bản CSV.")
    return text


def _read_csv(parsed: ParsedImport, name: str, content: bytes) -> None:
    sheet = csv_sheet(name)
    if sheet is None:
        parsed.problems.append(
            problem(
                name,
                None,
                None,
                None,
                f"Không biết tệp {name} chứa danh sách nào: tên tệp CSV phải bắt đầu bằng "
                "facilities, sources hoặc stations (ví dụ facilities.csv).",
            )
        )
        return
    try:
        text = decode_csv(name, content)
    except ValueError as exc:
        parsed.problems.append(problem(name, sheet, None, None, str(exc)))
        return
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(text), strict=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
    except csv.Error as exc:
        parsed.problems.append(
            problem(
                name,
                sheet,
                len(records) + 1,
                None,
                f"Dòng {len(records) + 1} của tệp {name} sai cú pháp CSV (dấu ngoặc kép không khớp?): {exc}.",
            )
        )
        return
    _read_rows(parsed, name, sheet, records)


def _header(
    parsed: ParsedImport, name: str, sheet: str, cells: tuple[Any, ...] | list[Any]
) -> dict[int, str] | None:
    """Map column positions to keys; None when the header is unusable (problems recorded)."""
    by_header = column_by_header(sheet)
    positions: dict[int, str] = {}
    first_at: dict[str, Any] = {}
    usable = True
    for index, cell in enumerate(cells):
        if is_blank(cell):
            continue
        found = by_header.get(fold(cell))
        if found is None:
            parsed.ignored_columns.append({"file": name, "sheet": sheet, "column": str(cell).strip()})
            continue
        if found.key in first_at:
            parsed.problems.append(
                problem(
                    name,
                    sheet,
                    1,
                    found.key,
                    f"Cột {found.key} ({found.label}) xuất hiện hai lần: “{first_at[found.key]}” và "
                    f"“{str(cell).strip()}”.",
                )
            )
            usable = False
            continue
        first_at[found.key] = str(cell).strip()
        positions[index] = found.key
    for column in COLUMNS[sheet]:
        if column.required and column.key not in first_at:
            parsed.problems.append(
                problem(
                    name,
                    sheet,
                    None,
                    column.key,
                    f"Trang {sheet} của tệp {name} thiếu cột bắt buộc {column.key} ({column.label}).",
                )
            )
            usable = False
    return positions if usable else None


def _read_rows(parsed: ParsedImport, name: str, sheet: str, rows: Iterable[Any]) -> None:
    positions: dict[int, str] | None = None
    header_blank = False
    for number, cells in enumerate(rows, start=1):
        blank = all(is_blank(cell) for cell in cells)
        if number == 1:
            header_blank = blank
            if not blank:
                positions = _header(parsed, name, sheet, cells)
                if positions is None:
                    return
            continue
        if blank:
            continue
        if header_blank or positions is None:
            parsed.problems.append(
                problem(
                    name, sheet, 1, None, f"Trang {sheet} của tệp {name}: dòng 1 phải là dòng tiêu đề cột."
                )
            )
            return
        if number > MAX_ROWS + 1:
            parsed.problems.append(
                problem(name, sheet, None, None, f"Trang {sheet} của tệp {name} có hơn {MAX_ROWS} dòng.")
            )
            return
        values = {key: (cells[index] if index < len(cells) else None) for index, key in positions.items()}
        parsed.rows[sheet].append(Row(name, sheet, number, values))
