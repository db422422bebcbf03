"""The downloadable ``.xlsx`` template of the facility list import.

Pure: no Flask, no database. Three sheets (``facilities``, ``sources``, ``stations``) whose
first row holds the Vietnamese labels (bold, frozen), each header cell carrying a comment
with the column's English key; and a ``Hướng dẫn`` sheet listing every column: label, key,
meaning and allowed values.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.facilities.import_columns import COLUMNS, SHEET_LABELS, SHEETS, Column

INSTRUCTIONS_SHEET = "Hướng dẫn"
HEADER_FILL = PatternFill("solid", fgColor="DDEBE9")
REQUIRED_FILL = PatternFill("solid", fgColor="F6D9A8")
GENERAL = (
    "Mẫu nhập danh sách cơ sở, nguồn thải và trạm quan trắc",
    "",
    "• Dòng 1 của mỗi trang là tiêu đề cột; dữ liệu bắt đầu từ dòng 2. Có thể dùng nhãn tiếng Việt "
    "hoặc khóa tiếng Anh (ghi trong chú thích của ô tiêu đề); không phân biệt hoa thường, dấu.",
    "• Cột tô màu cam là bắt buộc. Cột không biết sẽ bị bỏ qua và được báo lại.",
    "• Mỗi dòng được nhận biết theo mã: mã mới được tạo, mã đã có được cập nhật. Cột có trong tệp "
    "được ghi (ô trống mang nghĩa đã nêu), cột không có trong tệp giữ nguyên giá trị đã lưu; "
    "không dòng nào bị xóa.",
    "• Có bất kỳ lỗi nào thì không nhập gì cả; mọi lỗi được báo cùng lúc (tệp, trang, dòng, cột).",
    "• Số: dấu chấm thập phân (12.5), không dùng dấu phẩy, không tách hàng nghìn (1.000 bị từ chối).",
    "• Có/không: có/không, yes/no, true/false, 1/0, x hoặc để trống (để trống = không).",
    "• Ngày: YYYY-MM-DD; thời điểm: YYYY-MM-DD hh:mm (giờ Việt Nam).",
    "• Tệp CSV: mỗi trang một tệp, tên bắt đầu bằng facilities, sources hoặc stations; mã hóa UTF-8; "
    "phân cách bằng dấu phẩy hoặc dấu chấm phẩy.",
    "",
)
INSTRUCTION_HEADERS = ("Trang", "Nhãn cột", "Khóa (key)", "Bắt buộc", "Ý nghĩa", "Giá trị cho phép")


def _header_comment(column: Column) -> Comment:
    text = f"Khóa (key): {column.key}\n{column.meaning}"
    if column.allowed:
        text += f"\nGiá trị: {column.allowed}"
    comment = Comment(text, "quantrac")
    comment.width, comment.height = 320, 140
    return comment


def write_headers(worksheet: Worksheet, sheet: str) -> None:
    """The sheet's label row: bold, coloured (required columns apart), commented with the key, frozen."""
    for index, column in enumerate(COLUMNS[sheet], start=1):
        cell = worksheet.cell(row=1, column=index, value=column.label)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.comment = _header_comment(column)
        width = min(max(len(column.label), len(column.key), 12) + 4, 45)
        worksheet.column_dimensions[get_column_letter(index)].width = width
    worksheet.row_dimensions[1].height = 45
    worksheet.freeze_panes = "A2"


def _instructions(worksheet: Worksheet) -> None:
    for line in GENERAL:
        worksheet.append([line])
    worksheet["A1"].font = Font(bold=True, size=14)
    worksheet.append(list(INSTRUCTION_HEADERS))
    header_row = worksheet.max_row
    for cell in worksheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for sheet in SHEETS:
        for column in COLUMNS[sheet]:
            worksheet.append(
                [
                    f"{sheet} ({SHEET_LABELS[sheet]})",
                    column.label,
                    column.key,
                    "có" if column.required else "",
                    column.meaning,
                    column.allowed,
                ]
            )
    for letter, width in zip("ABCDEF", (24, 40, 32, 10, 70, 70), strict=True):
        worksheet.column_dimensions[letter].width = width
    for row in worksheet.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def build_template() -> bytes:
    """The template workbook as ``.xlsx`` bytes."""
    workbook = Workbook()
    first = workbook.active
    first.title = SHEETS[0]
    write_headers(first, SHEETS[0])
    for sheet in SHEETS[1:]:
        write_headers(workbook.create_sheet(sheet), sheet)
    _instructions(workbook.create_sheet(INSTRUCTIONS_SHEET))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
