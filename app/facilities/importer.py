"""Importing the department's facility lists (facilities, emission sources, stations).

Pure: no Flask, no database. This module is the entry point of the import's pure part:
``read_import`` turns files into rows (import_read), ``validate_import`` checks them against
a snapshot of the database (import_validate), and ``result`` writes the outcome in the
shape of the CLI contract (import-format.md), which the web pages show as well.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.facilities.import_columns import COLUMNS, SHEET_LABELS, SHEETS, ParsedImport, Row, fold
from app.facilities.import_read import read_files
from app.facilities.import_validate import Snapshot, Validated, ValidRow, validate_import

__all__ = [
    "COLUMNS",
    "RESULT_KEYS",
    "SHEETS",
    "SHEET_LABELS",
    "ParsedImport",
    "Row",
    "Snapshot",
    "ValidRow",
    "Validated",
    "counts",
    "fold",
    "read_import",
    "result",
    "summary_lines",
    "validate_import",
]

RESULT_KEYS = ("ok", "dry_run", "created", "updated", "unchanged", "ignored_columns", "problems")


def read_import(files: Iterable[tuple[str, bytes]], max_bytes: int) -> ParsedImport:
    """Read the files of one import: (file name, content) pairs, each at most ``max_bytes``."""
    return read_files(files, max_bytes)


def counts() -> dict[str, int]:
    """A zero count per sheet."""
    return dict.fromkeys(SHEETS, 0)


def result(
    *,
    ok: bool,
    dry_run: bool,
    ignored_columns: list[dict[str, Any]],
    problems: list[dict[str, Any]],
    created: dict[str, int] | None = None,
    updated: dict[str, int] | None = None,
    unchanged: dict[str, int] | None = None,
) -> dict[str, Any]:
    """The outcome in the CLI contract's shape; a refused import has every count 0."""
    refused = not ok
    return {
        "ok": ok,
        "dry_run": dry_run,
        "created": counts() if refused or created is None else dict(created),
        "updated": counts() if refused or updated is None else dict(updated),
        "unchanged": counts() if refused or unchanged is None else dict(unchanged),
        "ignored_columns": [dict(c) for c in ignored_columns],
        "problems": [dict(p) for p in problems],
    }


def summary_lines(outcome: dict[str, Any]) -> list[str]:
    """A readable summary of an outcome, in Vietnamese (for the command line)."""
    lines = []
    if outcome["ok"]:
        head = "Dữ liệu hợp lệ (chạy thử, chưa ghi gì)." if outcome["dry_run"] else "Đã nhập xong."
        lines.append(head)
        for sheet in SHEETS:
            lines.append(
                f"  {sheet}: tạo mới {outcome['created'][sheet]}, cập nhật {outcome['updated'][sheet]}, "
                f"không đổi {outcome['unchanged'][sheet]}"
            )
    else:
        lines.append(f"Không nhập gì: có {len(outcome['problems'])} lỗi.")
        for found in outcome["problems"]:
            where = [found["file"]]
            if found.get("sheet"):
                where.append(found["sheet"])
            if found.get("row"):
                where.append(f"dòng {found['row']}")
            if found.get("column"):
                where.append(f"cột {found['column']}")
            lines.append(f"  [{', '.join(str(w) for w in where)}] {found['message']}")
    for ignored in outcome["ignored_columns"]:
        lines.append(
            f"  Bỏ qua cột không biết “{ignored['column']}” ({ignored['file']}, {ignored['sheet']})."
        )
    return lines
