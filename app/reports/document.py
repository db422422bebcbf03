"""The monthly summary report as a Decree 30/2020 document (``BÁO CÁO``): the dashboard's figures, tables and charts.

Built from a :class:`app.dashboard.services.Dashboard`, the dashboard's own tables
(``app.dashboard.tables``) and charts (``app.dashboard.charts``), so the report prints
exactly what the page shows. Call under the Vietnamese locale (the job forces it).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from markupsafe import Markup

from app.dashboard import charts, tables
from app.dashboard.labels import month_text, rate_text, share_text
from app.dashboard.services import Dashboard, NoticeFigures
from app.documents import body as blocks
from app.documents.layout import DocumentType, symbol_of
from app.documents.render import Document

SUMMARY = "Tình hình thực hiện quan trắc tự động, liên tục và truyền số liệu tháng {month}"
COPIES_TO = ("Bộ Nông nghiệp và Môi trường (Cục Kiểm soát ô nhiễm môi trường)", "Ban Giám đốc Sở")


def _table(table: tables.SheetTable, nowrap: tuple[int, ...] = ()) -> blocks.Table:
    return blocks.Table(header=table.header, rows=table.rows, caption=table.title, nowrap=nowrap)


def _opening(d: Dashboard) -> list[Any]:
    t = d.totals
    target = rate_text(d.target)
    return [
        blocks.heading("1. Cơ sở thuộc diện quan trắc tự động, liên tục"),
        (
            f"Tháng {month_text(d.month)}, toàn tỉnh có {t['obliged']} cơ sở thuộc diện phải quan trắc "
            f"tự động, liên tục. Đến cuối tháng, {t['installed']} cơ sở đã lắp đặt đủ trạm, "
            f"{t['connected']} cơ sở đã kết nối và {t['receiving']} cơ sở đang truyền số liệu."
        ),
        (
            f"Tỷ lệ số liệu hợp lệ của tháng (chỉ tiêu {target}, tính theo trạm có tỷ lệ thấp nhất của "
            f"mỗi cơ sở): {t['meets_raw']} cơ sở đạt theo số liệu thô "
            f"({share_text(t['meets_raw'], t['obliged'])}) và {t['meets_excused']} cơ sở đạt khi trừ "
            f"thời gian bảo trì, sự cố, tạm dừng đã được chấp thuận "
            f"({share_text(t['meets_excused'], t['obliged'])})."
        ),
        _table(tables.summary_table(d)),
    ]


def notices_sentence(n: NoticeFigures) -> str:
    """The month's notices in words ("no notice" said plainly rather than as zeros)."""
    if not n.issued:
        return "Trong tháng, Sở không ban hành văn bản đôn đốc, xử lý nào."
    return (
        f"Trong tháng, Sở đã ban hành {n.issued} văn bản đôn đốc, xử lý; {n.answered} văn bản đã "
        f"được cơ sở trả lời, {n.overdue} văn bản đã quá hạn trả lời mà chưa có phản hồi."
    )


def recipient(body: str) -> str:
    """A body named in capitals in the header (``UBND THÀNH PHỐ CẦN THƠ``) as a "Nơi nhận" line.

    The header writes it in capitals; the distribution list writes it as a name:
    ``UBND thành phố Cần Thơ``, a place name capitalised word by word. A name not
    written all in capitals is kept as it is.
    """
    text = " ".join(body.split())
    if not text or text != text.upper():
        return text
    for prefix, kept in (("UBND ", "UBND "), ("ỦY BAN NHÂN DÂN ", "Ủy ban nhân dân ")):
        if text.startswith(prefix):
            rest = text[len(prefix) :]
            for level in ("THÀNH PHỐ ", "TỈNH "):
                if rest.startswith(level):
                    return kept + level.lower() + rest[len(level) :].title()
            return kept + rest.title()
    return text[:1] + text[1:].lower()


def _as_of_report(table: tables.SheetTable) -> tables.SheetTable:
    """A table of the state when the report is made (not at the month's end), titled so."""
    return tables.SheetTable(table.key, f"{table.title}, tại ngày lập báo cáo", table.header, table.rows)


def _cases(d: Dashboard) -> list[Any]:
    return [
        blocks.heading("4. Xử lý vi phạm"),
        notices_sentence(d.notices),
        _table(_as_of_report(tables.cases_table(d))),
        _table(tables.notices_table(d)),
        _table(tables.effectiveness_table(d)),
    ]


def _months(d: Dashboard) -> list[Any]:
    """The 12 months' table, of the months with snapshots only; those without are named in a sentence."""
    table = tables.months_table(d)
    missing = [m for m, c in d.series if c is None]
    if not missing:
        return [_table(table)]
    rows = [row for row, (_m, c) in zip(table.rows, d.series, strict=True) if c is not None]
    span = (
        month_text(missing[0]) if len(missing) == 1 else f"{month_text(missing[0])}–{month_text(missing[-1])}"
    )
    note = f"Chưa có số liệu tổng hợp của {'tháng' if len(missing) == 1 else 'các tháng'} {span}."
    if len(missing) > 1 and len(missing) != (d.months.index(missing[-1]) - d.months.index(missing[0]) + 1):
        note = f"Chưa có số liệu tổng hợp của các tháng {', '.join(month_text(m) for m in missing)}."
    return [note, _table(tables.SheetTable(table.key, table.title, table.header, rows))]


def body_markup(d: Dashboard) -> Markup:
    """The report's body: the figures in words, then the tables and charts of the dashboard."""
    parts: list[Any] = _opening(d)
    parts += [
        blocks.heading("2. Diễn biến 12 tháng"),
        blocks.chart(
            charts.months_chart(d), "Tỷ lệ cơ sở đạt chỉ tiêu theo tháng (đã trừ thời gian miễn trừ)"
        ),
        *_months(d),
        blocks.heading("3. Theo địa bàn và theo ngành"),
        blocks.chart(charts.communes_chart(d), "Tỷ lệ cơ sở đạt chỉ tiêu theo xã, phường"),
        _table(tables.group_table(d, "commune")),
        *([_table(tables.group_table(d, "district"))] if any(name for name, _c in d.by_district) else []),
        _table(tables.group_table(d, "industry")),
    ]
    parts += _cases(d)
    parts += [
        blocks.heading("5. Cơ sở chưa tuân thủ trong thời gian dài nhất"),
        _table(tables.longest_table(d), nowrap=(0, 4)) if d.longest else "Không có cơ sở nào chưa tuân thủ.",
    ]
    return blocks.body_html(parts)


def build_document(
    d: Dashboard,
    agency: Mapping[str, Any],
    register_pattern: str,
    *,
    number: int | None,
    issued_on: date | None,
) -> Document:
    """The report of the dashboard's month as a document (its number and date as given)."""
    return Document(
        type=DocumentType.REPORT,
        symbol=symbol_of(register_pattern, agency["abbreviation"], agency["division_abbreviation"]),
        summary=SUMMARY.format(month=month_text(d.month)),
        body=body_markup(d),
        agency=agency,
        number=number,
        issued_on=issued_on,
        copies_to=(f"{recipient(agency['superior_body'])} (để báo cáo)", *COPIES_TO),
    )
