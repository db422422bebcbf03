"""Reading import files: CSV encodings and delimiters, headers, sheets, cell values, refusals."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from app.facilities import import_columns
from app.facilities.import_columns import COLUMNS, SHEETS, fold
from app.facilities.import_values import (
    read_bool,
    read_codes,
    read_date,
    read_datetime,
    read_number,
    read_text,
)
from app.facilities.importer import read_import
from app.facilities.models import BOOLEAN_ATTRIBUTES
from app.formatting import LOCAL_TZ
from app.stations.models import STATION_KINDS

from .import_helpers import MB, csv_bytes, facility, table, xlsx_bytes


def read(*files: tuple[str, bytes], max_bytes: int = 10 * MB):
    return read_import(list(files), max_bytes)


def whole_file_messages(parsed) -> list[str]:
    assert all(p["row"] is None and p["column"] is None for p in parsed.problems), parsed.problems
    return [p["message"] for p in parsed.problems]


# --- the column table -------------------------------------------------------------


def test_column_table_matches_the_models() -> None:
    assert import_columns.BOOLEAN_COLUMNS == BOOLEAN_ATTRIBUTES
    assert import_columns.STATION_KINDS == STATION_KINDS


@pytest.mark.parametrize("sheet", SHEETS)
def test_every_header_folds_to_one_column(sheet: str) -> None:
    folded = [fold(c.key) for c in COLUMNS[sheet]] + [fold(c.label) for c in COLUMNS[sheet]]
    assert len(folded) == len(set(folded))


def test_the_labels_doc_lists_every_column() -> None:
    doc = Path(__file__).resolve().parents[2] / "docs" / "import-format-labels.md"
    rows = [
        line.split("|")[1:4] for line in doc.read_text(encoding="utf-8").splitlines() if line.startswith("| ")
    ]
    listed = [(sheet.strip(), key.strip(" `"), label.strip()) for sheet, key, label in rows[1:]]
    assert listed == [(sheet, c.key, c.label) for sheet in SHEETS for c in COLUMNS[sheet]]


def test_fold_drops_diacritics_case_and_surrounding_spaces() -> None:
    assert fold("  Địa chỉ ") == "dia chi"
    assert fold("MÃ CƠ SỞ") == fold("ma co so") == "ma co so"
    assert fold("Đường") == "duong"


# --- CSV ----------------------------------------------------------------------------


def test_csv_with_bom_and_comma() -> None:
    parsed = read(("facilities.csv", csv_bytes(table(facility("F01")), bom=True)))
    assert parsed.problems == [] and parsed.ignored_columns == []
    [row] = parsed.rows["facilities"]
    assert row.number == 2 and row.values["facility_code"] == "F01"


def test_csv_without_bom_and_semicolon_detected_from_the_header() -> None:
    rows = table(facility("F01", address="12, đường 3/2"), facility("F02", wastewater_flow_m3_day="12.5"))
    parsed = read(("facilities-2025.csv", csv_bytes(rows, delimiter=";")))
    assert parsed.problems == []
    first, second = parsed.rows["facilities"]
    assert first.values["address"] == "12, đường 3/2"
    assert second.values["wastewater_flow_m3_day"] == "12.5"


def test_csv_quoting_as_rfc_4180() -> None:
    text = (
        "facility_code,facility_name,enterprise_name,address\r\n"
        'F01,"Nhà máy ""Sông Hậu""","Công ty A, chi nhánh 2","Dòng 1\r\nDòng 2"\r\n'
        "\r\n"
        "F02,Nhà máy B,Công ty B,\r\n"
    ).encode()
    parsed = read(("facilities.csv", text))
    assert parsed.problems == []
    first, second = parsed.rows["facilities"]
    assert first.values["facility_name"] == 'Nhà máy "Sông Hậu"'
    assert first.values["enterprise_name"] == "Công ty A, chi nhánh 2"
    assert first.values["address"] == "Dòng 1\r\nDòng 2"
    # Rows as a spreadsheet shows them: the quoted line break stays in its cell; the blank row counts.
    assert (first.number, second.number) == (2, 4)


def test_csv_broken_quoting_is_refused_with_its_row() -> None:
    text = 'facility_code,facility_name,enterprise_name\r\nF01,"Nhà máy "A",Công ty\r\n'.encode()
    parsed = read(("facilities.csv", text))
    [found] = parsed.problems
    assert found["row"] == 2 and found["sheet"] == "facilities" and "ngoặc kép" in found["message"]


@pytest.mark.parametrize("encoding", ["cp1258", "latin-1", "utf-16"])
def test_csv_not_utf8_is_refused_naming_the_file(encoding: str) -> None:
    rows = table(facility("F01", facility_name="Nhà máy Tân An", enterprise_name="Công ty Bê Tông"))
    parsed = read(("facilities.csv", csv_bytes(rows, encoding=encoding)))
    [message] = whole_file_messages(parsed)
    assert "facilities.csv" in message and "UTF-8" in message
    assert parsed.problems[0]["sheet"] == "facilities"
    assert parsed.rows["facilities"] == []


def test_csv_of_an_unknown_list_is_refused() -> None:
    parsed = read(("danh-sach.csv", csv_bytes(table(facility()))))
    [message] = whole_file_messages(parsed)
    assert "danh-sach.csv" in message and "facilities" in message


def test_several_csv_files_one_per_sheet() -> None:
    parsed = read(
        ("Facilities.csv", csv_bytes(table(facility("F01")))),
        (
            "sources_2025.csv",
            csv_bytes(table({"source_code": "S1", "facility_code": "F01", "source_kind": "boiler"})),
        ),
        (
            "stations.csv",
            csv_bytes(table({"station_code": "T1", "facility_code": "F01", "kind": "wastewater"})),
        ),
    )
    assert parsed.problems == []
    assert {sheet: len(rows) for sheet, rows in parsed.rows.items()} == {
        "facilities": 1,
        "sources": 1,
        "stations": 1,
    }
    assert parsed.files == ["Facilities.csv", "sources_2025.csv", "stations.csv"]


# --- headers ------------------------------------------------------------------------


def test_headers_by_vietnamese_label_without_diacritics_and_in_another_case() -> None:
    rows = [
        [
            "  MA CO SO ",
            "tên cơ sở",
            "TEN DOANH NGHIEP",
            "Dia chi",
            "Ghi chú",
            "luu luong nuoc thai (M3/NGAY)",
        ],
        ["F01", "Nhà máy A", "Công ty A", "Số 1", "không đọc", "600"],
    ]
    parsed = read(("facilities.csv", csv_bytes(rows)))
    assert parsed.problems == []
    [row] = parsed.rows["facilities"]
    assert row.values == {
        "facility_code": "F01",
        "facility_name": "Nhà máy A",
        "enterprise_name": "Công ty A",
        "address": "Số 1",
        "wastewater_flow_m3_day": "600",
    }
    assert parsed.ignored_columns == [{"file": "facilities.csv", "sheet": "facilities", "column": "Ghi chú"}]


def test_missing_required_columns_are_named() -> None:
    rows = [["facility_code", "address"], ["F01", "Số 1"]]
    parsed = read(("facilities.csv", csv_bytes(rows)))
    assert {p["column"] for p in parsed.problems} == {"facility_name", "enterprise_name"}
    for found in parsed.problems:
        assert found["row"] is None and found["sheet"] == "facilities"
        assert found["column"] in found["message"] and "thiếu cột" in found["message"]
    assert parsed.rows["facilities"] == []


def test_a_column_given_twice_is_refused() -> None:
    rows = [["facility_code", "Mã cơ sở", "facility_name", "enterprise_name"], ["F01", "F01", "A", "B"]]
    parsed = read(("facilities.csv", csv_bytes(rows)))
    [found] = parsed.problems
    assert (found["row"], found["column"]) == (1, "facility_code")


# --- workbooks ----------------------------------------------------------------------


def test_workbook_sheets_by_key_or_label_and_spreadsheet_row_numbers() -> None:
    content = xlsx_bytes(
        {
            "Cơ sở": [*table(facility("F01")), [None, None, None], list(facility("F02").values())],
            "NGUON THAI": table({"source_code": "S1", "facility_code": "F01", "source_kind": "boiler"}),
            "Ghi chép": [["anything"]],
        }
    )
    parsed = read(("list.xlsx", content))
    assert parsed.problems == []
    assert [row.number for row in parsed.rows["facilities"]] == [2, 4]
    assert [row.sheet for row in parsed.rows["sources"]] == ["sources"]
    assert parsed.rows["stations"] == []


def test_workbook_numbers_and_dates_as_cells() -> None:
    content = xlsx_bytes(
        {
            "facilities": [
                [
                    "facility_code",
                    "facility_name",
                    "enterprise_name",
                    "wastewater_flow_m3_day",
                    "operation_start_date",
                ],
                ["F01", "A", "B", 1000.5, datetime(2024, 3, 1)],
            ]
        }
    )
    [row] = read(("list.xlsx", content)).rows["facilities"]
    assert read_number(row.values["wastewater_flow_m3_day"]) == Decimal("1000.5")
    assert read_date(row.values["operation_start_date"]) == date(2024, 3, 1)


def test_workbook_without_any_known_sheet() -> None:
    parsed = read(("list.xlsx", xlsx_bytes({"Sheet1": table(facility())})))
    [message] = whole_file_messages(parsed)
    assert "facilities" in message and "stations" in message


def test_not_a_spreadsheet_is_refused() -> None:
    parsed = read(("list.xlsx", b"facility_code,facility_name\nF01,A\n"))
    [message] = whole_file_messages(parsed)
    assert "list.xlsx" in message and "không phải là bảng tính" in message


@pytest.mark.parametrize("name", ["list.pdf", "list.xls", "list"])
def test_other_file_types_are_refused(name: str) -> None:
    [message] = whole_file_messages(read((name, b"%PDF-1.4 ...")))
    assert name in message and ".xlsx" in message


def test_broken_zip_is_refused() -> None:
    content = xlsx_bytes({"facilities": table(facility())})
    parsed = read(("list.xlsx", content[: len(content) // 2]))
    [message] = whole_file_messages(parsed)
    assert "bị hỏng" in message


def test_zip_that_is_not_a_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    [message] = whole_file_messages(read(("list.xlsx", buffer.getvalue())))
    assert "list.xlsx" in message and "bị hỏng" in message


def test_file_over_the_size_limit_is_refused() -> None:
    content = csv_bytes(table(*(facility(f"F{i:04d}") for i in range(200))))
    parsed = read(("facilities.csv", content), max_bytes=1000)
    [message] = whole_file_messages(parsed)
    assert "giới hạn" in message and parsed.rows["facilities"] == []
    assert parsed.problems[0]["sheet"] == "facilities"


# --- cell values --------------------------------------------------------------------


@pytest.mark.parametrize("value", ["yes", "YES", "true", "True", "1", "x", "X", "có", "CÓ", " Có ", True, 1])
def test_true_values(value) -> None:
    assert read_bool(value) is True


@pytest.mark.parametrize(
    "value", ["no", "No", "false", "FALSE", "0", "không", "KHÔNG", "", "  ", None, False, 0]
)
def test_false_values(value) -> None:
    assert read_bool(value) is False


@pytest.mark.parametrize("value", ["y", "n", "2", "có thể", "oui"])
def test_other_boolean_words_are_refused(value) -> None:
    with pytest.raises(ValueError, match="có/không"):
        read_bool(value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", Decimal(12)),
        ("+2.5", Decimal("2.5")),
        ("-3", Decimal(-3)),
        ("0.12", Decimal("0.12")),
        ("1000.5", Decimal("1000.5")),
        ("1000", Decimal(1000)),
    ],
)
def test_numbers(text: str, expected: Decimal) -> None:
    assert read_number(text) == expected


@pytest.mark.parametrize("text", ["1.000", "12.500", "1.250.000", "0.125"])
def test_thousands_or_decimal_point_is_refused_as_ambiguous(text: str) -> None:
    with pytest.raises(ValueError, match="không rõ nghĩa"):
        read_number(text)


@pytest.mark.parametrize("text", ["1,5", "1,000", "1.000,5", ",5"])
def test_a_comma_in_a_number_is_an_error(text: str) -> None:
    with pytest.raises(ValueError, match="dấu phẩy"):
        read_number(text)


@pytest.mark.parametrize("text", ["1 000", "12 m3", ".5", "5.", "١٢", "1e3", "abc"])
def test_other_number_forms_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="không phải là số"):
        read_number(text)


def test_numeric_cells_are_taken_as_they_are() -> None:
    assert read_number(1000) == Decimal(1000)
    assert read_number(1000.25) == Decimal("1000.25")
    assert read_number(None) is None and read_number(" ") is None


def test_dates() -> None:
    assert read_date("2024-12-31") == date(2024, 12, 31)
    assert read_date(datetime(2024, 12, 31)) == date(2024, 12, 31)
    for wrong in ("31/12/2024", "2024-02-30", "2024-1-5", "2024-12-31 08:00"):
        with pytest.raises(ValueError):
            read_date(wrong)
    with pytest.raises(ValueError, match="giờ"):
        read_date(datetime(2024, 12, 31, 8, 30))


def test_date_times_are_local_time() -> None:
    expected = datetime(2025, 3, 1, 8, 0, tzinfo=LOCAL_TZ)
    assert read_datetime("2025-03-01 08:00") == expected
    assert read_datetime("2025-03-01T08:00") == expected
    assert read_datetime(datetime(2025, 3, 1, 8, 0)) == expected
    assert read_datetime("2025-03-01 08:00").utcoffset().total_seconds() == 7 * 3600
    for wrong in ("2025-03-01", "2025-03-01 8:00", "01/03/2025 08:00", "2025-03-01 25:00"):
        with pytest.raises(ValueError):
            read_datetime(wrong)


def test_code_lists_and_text() -> None:
    assert read_codes(" COD; tss ;;NH4 ") == ["COD", "tss", "NH4"]
    assert read_codes(None) == [] and read_codes("") == []
    assert read_text(6300000001.0) == "6300000001"
    assert read_text("  a  ") == "a" and read_text("   ") is None
    assert read_text("Nha\u0300 ma\u0301y") == "Nhà máy"
