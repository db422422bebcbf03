"""The facility list import's sheets and columns: keys, Vietnamese labels, types, meanings.

Pure: no Flask, no database. The same table drives the reader (header matching), the
validator (types, required columns), the downloadable template and its instructions sheet.
A header matches a column by its English key or its Vietnamese label, ignoring case,
surrounding spaces and diacritics (``fold``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from app.compliance.rules_emission import INCINERATOR_UNITS, SOURCE_KINDS

# As app.stations.models.STATION_KINDS (a test keeps them equal; this module imports no model).
STATION_KINDS: tuple[str, ...] = ("wastewater", "emission", "ambient")
SHEETS: tuple[str, ...] = ("facilities", "sources", "stations")
SHEET_LABELS: dict[str, str] = {
    "facilities": "Cơ sở",
    "sources": "Nguồn thải",
    "stations": "Trạm quan trắc",
}

# Column types, read by import_values.
TEXT, CODE, BOOL, NUMBER, DATE, DATETIME, CODES = (
    "text",
    "code",
    "bool",
    "number",
    "date",
    "datetime",
    "codes",
)


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its key, Vietnamese label, type and what it means."""

    key: str
    label: str
    kind: str
    meaning: str
    allowed: str = ""
    # The column must be in the sheet's header.
    required: bool = False
    # Longest text accepted (the database column's size).
    max_length: int | None = None
    # Largest absolute number accepted (the database column's precision).
    max_number: float | None = None


_YES_NO = "có/không, yes/no, true/false, 1/0, x/để trống; để trống = không"
_NUMBER = "số, dấu chấm thập phân (ví dụ 12.5); không dùng dấu phẩy, không tách hàng nghìn"
_DATE = "ngày dạng YYYY-MM-DD (ví dụ 2024-12-31) hoặc ô ngày của Excel"
_DATETIME = "YYYY-MM-DD hh:mm hoặc YYYY-MM-DDThh:mm, giờ Việt Nam (ví dụ 2025-03-01 08:00)"
_CODES = "các mã thông số chuẩn, cách nhau bằng dấu chấm phẩy (ví dụ COD;TSS;NH4)"
_BIG = 99_999_999_999.0
_SMALL = 999.0

_BOOLEAN_LABELS: dict[str, tuple[str, str]] = {
    "pollution_risk_type": (
        "Loại hình có nguy cơ gây ô nhiễm",
        "loại hình sản xuất thuộc danh mục có nguy cơ gây ô nhiễm môi trường",
    ),
    "central_wwtp": (
        "Là trạm XLNT tập trung của khu công nghiệp",
        "cơ sở là hệ thống xử lý nước thải tập trung của khu sản xuất, kinh doanh, dịch vụ tập trung",
    ),
    "central_wwtp_cluster": (
        "Là trạm XLNT tập trung của cụm công nghiệp",
        "cơ sở là hệ thống xử lý nước thải tập trung của cụm công nghiệp",
    ),
    "in_industrial_park": (
        "Nằm trong khu/cụm công nghiệp",
        "cơ sở nằm trong khu sản xuất, kinh doanh, dịch vụ tập trung hoặc cụm công nghiệp",
    ),
    "exempt_from_connection": (
        "Được miễn trừ đấu nối",
        "nằm trong khu/cụm nhưng được miễn trừ đấu nối vào hệ thống xử lý tập trung (xả thải trực tiếp)",
    ),
    "connected_to_central_wwtp": (
        "Đấu nối vào hệ thống XLNT tập trung",
        "cơ sở xả nước thải vào hệ thống xử lý nước thải tập trung, không xả ra môi trường",
    ),
    "hazardous_waste_treatment": ("Xử lý chất thải nguy hại", "cơ sở xử lý chất thải nguy hại"),
    "solid_waste_treatment_provincial": (
        "Xử lý chất thải rắn sinh hoạt tập trung cấp tỉnh",
        "cơ sở xử lý chất thải rắn sinh hoạt tập trung cấp tỉnh",
    ),
    "imported_scrap": (
        "Nhập khẩu phế liệu làm nguyên liệu",
        "cơ sở nhập khẩu phế liệu từ nước ngoài làm nguyên liệu sản xuất",
    ),
    "eia_required": (
        "Thuộc đối tượng phải lập ĐTM",
        "quy mô thuộc đối tượng phải lập báo cáo đánh giá tác động môi trường",
    ),
    "repeat_wastewater_violator": (
        "Tái phạm xả nước thải vượt quy chuẩn",
        "đã bị xử phạt về xả nước thải vượt quy chuẩn và tái phạm",
    ),
    "ppc_designated": ("Do UBND tỉnh chỉ định", "được Ủy ban nhân dân cấp tỉnh chỉ định"),
    "aquaculture": ("Nuôi trồng thủy sản", "cơ sở nuôi trồng thủy sản"),
}

FACILITY_COLUMNS: tuple[Column, ...] = (
    Column("facility_code", "Mã cơ sở", CODE, "mã riêng của cơ sở", "bắt buộc, không trùng", True, 40),
    Column("facility_name", "Tên cơ sở", TEXT, "tên cơ sở", "bắt buộc", True, 300),
    Column("enterprise_name", "Tên doanh nghiệp", TEXT, "doanh nghiệp sở hữu cơ sở", "bắt buộc", True, 300),
    Column(
        "enterprise_tax_code",
        "Mã số thuế",
        TEXT,
        "mã số thuế của doanh nghiệp; khi có, doanh nghiệp được nhận biết theo mã số thuế, "
        "nếu không thì theo tên",
        "không bắt buộc",
        max_length=20,
    ),
    Column(
        "commune", "Xã/phường", TEXT, "xã, phường hoặc đặc khu hiện nay", "không bắt buộc", max_length=120
    ),
    Column(
        "district",
        "Huyện cũ",
        TEXT,
        "quận/huyện cũ (trước 01/07/2025), chỉ để tra cứu lịch sử",
        "không bắt buộc",
        max_length=120,
    ),
    Column("address", "Địa chỉ", TEXT, "địa chỉ cơ sở", "không bắt buộc", max_length=500),
    Column("contact_email", "Email liên hệ", TEXT, "thư điện tử liên hệ", "không bắt buộc", max_length=254),
    Column(
        "industry_type",
        "Loại hình sản xuất",
        TEXT,
        "mã loại hình sản xuất mà quy định xét tới",
        "ví dụ paper, textile_dyeing, seafood, thermal_power, cement, steel, chemicals",
        max_length=60,
    ),
    Column(
        "production_capacity_t_year",
        "Công suất sản xuất (tấn/năm)",
        NUMBER,
        "công suất sản xuất; để trống = chưa biết",
        _NUMBER,
        max_number=_BIG,
    ),
    *(Column(key, label, BOOL, meaning, _YES_NO) for key, (label, meaning) in _BOOLEAN_LABELS.items()),
    Column(
        "wastewater_flow_m3_day",
        "Lưu lượng nước thải (m3/ngày)",
        NUMBER,
        "lưu lượng xả thải thiết kế, không kể nước làm mát",
        _NUMBER + "; >= 0; để trống = 0",
        max_number=_BIG,
    ),
    Column(
        "extra_parameters",
        "Thông số bổ sung",
        CODES,
        "thông số mà quyết định phê duyệt ĐTM hoặc giấy phép môi trường yêu cầu thêm",
        _CODES + "; mã thông số nước thải hoặc khí thải",
    ),
    Column("operation_start_date", "Ngày bắt đầu vận hành", DATE, "ngày cơ sở đi vào vận hành", _DATE),
    Column(
        "obligation_deadline",
        "Thời hạn ấn định riêng",
        DATE,
        "thời hạn do quyết định xử phạt hoặc UBND tỉnh ấn định; thay cho thời hạn chung",
        _DATE,
    ),
    Column("qcvn_column", "Cột QCVN", TEXT, "cột A hoặc B của quy chuẩn; để trống = B", "A, B hoặc để trống"),
    Column("kq", "Hệ số Kq", NUMBER, "hệ số Kq (QCVN 40); để trống = 1", _NUMBER, max_number=_SMALL),
    Column(
        "kf", "Hệ số Kf", NUMBER, "hệ số Kf (QCVN 40); để trống = theo lưu lượng", _NUMBER, max_number=_SMALL
    ),
    Column(
        "kp", "Hệ số Kp", NUMBER, "hệ số Kp (QCVN 19); để trống = theo lưu lượng", _NUMBER, max_number=_SMALL
    ),
    Column("kv", "Hệ số Kv", NUMBER, "hệ số Kv (QCVN 19); để trống = 1", _NUMBER, max_number=_SMALL),
)

SOURCE_COLUMNS: tuple[Column, ...] = (
    Column(
        "source_code", "Mã nguồn thải", CODE, "mã riêng của nguồn thải", "bắt buộc, không trùng", True, 40
    ),
    Column(
        "facility_code",
        "Mã cơ sở",
        CODE,
        "cơ sở có nguồn thải",
        "bắt buộc; có trong tệp hoặc trong hệ thống",
        True,
        40,
    ),
    Column("source_kind", "Loại nguồn thải", TEXT, "loại nguồn thải", ", ".join(SOURCE_KINDS), True),
    Column(
        "fuel",
        "Nhiên liệu",
        TEXT,
        "nhiên liệu sử dụng (khí thiên nhiên: natural_gas)",
        "chữ tự do",
        max_length=120,
    ),
    Column(
        "capacity",
        "Công suất",
        NUMBER,
        "công suất của nguồn thải; bắt buộc với lò đốt chất thải",
        _NUMBER,
        max_number=_BIG,
    ),
    Column(
        "capacity_unit",
        "Đơn vị công suất",
        TEXT,
        "đơn vị của công suất",
        "với lò đốt chất thải: " + " hoặc ".join(INCINERATOR_UNITS),
        max_length=20,
    ),
    Column(
        "flow_m3_h",
        "Lưu lượng khí thải (m3/giờ)",
        NUMBER,
        "lưu lượng khí thải",
        _NUMBER + "; >= 0",
        max_number=_BIG,
    ),
)

STATION_COLUMNS: tuple[Column, ...] = (
    Column(
        "station_code",
        "Mã trạm",
        CODE,
        "mã trạm, dùng trong tên tệp dữ liệu",
        "bắt buộc, không trùng (không phân biệt hoa thường), không có dấu _",
        True,
        40,
    ),
    Column(
        "facility_code",
        "Mã cơ sở",
        CODE,
        "cơ sở có trạm",
        "có trong tệp hoặc trong hệ thống; chỉ để trống với trạm không khí xung quanh (ambient)",
        True,
        40,
    ),
    Column("kind", "Loại trạm", TEXT, "loại trạm", ", ".join(STATION_KINDS), True),
    Column("parameters", "Thông số quan trắc", CODES, "các thông số trạm đo", _CODES + "; đúng loại trạm"),
    Column(
        "source_code",
        "Mã nguồn thải",
        CODE,
        "nguồn thải mà trạm khí thải đo",
        "không bắt buộc; chỉ với trạm khí thải (emission)",
        max_length=40,
    ),
    Column("installed_at", "Ngày lắp đặt", DATE, "có giá trị = đã khai báo và xác minh lắp đặt", _DATE),
    Column(
        "data_expected_from",
        "Truyền dữ liệu từ",
        DATETIME,
        "có giá trị = đã khai báo và xác minh kết nối; dữ liệu phải có từ thời điểm này",
        _DATETIME,
    ),
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    "facilities": FACILITY_COLUMNS,
    "sources": SOURCE_COLUMNS,
    "stations": STATION_COLUMNS,
}
CODE_COLUMN: dict[str, str] = {
    "facilities": "facility_code",
    "sources": "source_code",
    "stations": "station_code",
}
# As app.facilities.models.BOOLEAN_ATTRIBUTES, in the same order (a test keeps them equal).
BOOLEAN_COLUMNS: tuple[str, ...] = tuple(_BOOLEAN_LABELS)


def fold(text: Any) -> str:
    """Return a header or sheet name as compared: no diacritics, đ as d, case-folded, trimmed."""
    value = "" if text is None else str(text)
    value = value.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.strip().casefold()


def column_by_header(sheet: str) -> dict[str, Column]:
    """Map every accepted header of a sheet (folded key and label) to its column."""
    found: dict[str, Column] = {}
    for column in COLUMNS[sheet]:
        found[fold(column.key)] = column
        found[fold(column.label)] = column
    return found


def sheet_by_name(name: Any) -> str | None:
    """The sheet a sheet name (English key or Vietnamese label) designates, or None."""
    folded = fold(name)
    for sheet in SHEETS:
        if folded in (sheet, fold(SHEET_LABELS[sheet])):
            return sheet
    return None


def column(sheet: str, key: str) -> Column:
    """The column of a sheet by its key."""
    return next(c for c in COLUMNS[sheet] if c.key == key)


@dataclass
class Row:
    """One data row as read: raw cell values of the columns present, by key."""

    file: str
    sheet: str
    number: int
    values: dict[str, Any]


@dataclass
class ParsedImport:
    """Everything read from the files: rows by sheet, ignored columns, problems of the files."""

    files: list[str] = field(default_factory=list)
    rows: dict[str, list[Row]] = field(default_factory=lambda: {sheet: [] for sheet in SHEETS})
    ignored_columns: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)


def problem(
    file: str, sheet: str | None, row: int | None, column: str | None, message: str
) -> dict[str, Any]:
    """A problem in the contract's shape."""
    return {"file": file, "sheet": sheet, "row": row, "column": column, "message": message}
