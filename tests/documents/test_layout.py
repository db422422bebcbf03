"""Decree 30/2020 layout rules: dates, numbers, type names, Kính gửi, Nơi nhận, line breaking."""

import unicodedata
from datetime import date, timedelta

import pytest

from app.documents import layout
from app.documents.layout import DocumentType as T
from app.documents.measure import FILES, balanced_lines, text_width
from app.settings.registry import BY_KEY

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 5), "Cần Thơ, ngày 05 tháng 01 năm 2026"),
        (date(2026, 2, 9), "Cần Thơ, ngày 09 tháng 02 năm 2026"),
        (date(2026, 3, 1), "Cần Thơ, ngày 01 tháng 3 năm 2026"),
        (date(2026, 9, 10), "Cần Thơ, ngày 10 tháng 9 năm 2026"),
        (date(2025, 12, 31), "Cần Thơ, ngày 31 tháng 12 năm 2025"),
    ],
)
def test_date_line_has_leading_zeros_for_days_below_10_and_months_1_2(day, expected):
    assert layout.date_line("Cần Thơ", day) == expected


def test_date_line_over_a_whole_year():
    day = date(2028, 1, 1)
    while day.year == 2028:
        line = layout.date_line("Hậu Giang", day)
        _, _, rest = line.partition(", ngày ")
        d, _, rest = rest.partition(" tháng ")
        m, _, y = rest.partition(" năm ")
        assert int(d) == day.day and len(d) == 2
        assert int(m) == day.month and len(m) == (2 if day.month <= 2 or day.month >= 10 else 1)
        assert y == "2028"
        day += timedelta(days=1)


def test_draft_date_line_leaves_the_figures_blank():
    line = layout.date_line("Cần Thơ", None)
    assert line.startswith("Cần Thơ, ngày")
    assert not any(c.isdigit() for c in line)


@pytest.mark.parametrize(
    ("kind", "number", "expected"),
    [
        (T.OFFICIAL_LETTER, 5, "Số: 05/SNNMT-CCBVMT"),
        (T.NOTICE, 5, "Số: 05/TB-SNNMT"),
        (T.INVITATION, 12, "Số: 12/GM-SNNMT"),
        (T.SUBMISSION, 1, "Số: 01/TTr-CCBVMT"),
        (T.MINUTES, 9, "Số: 09/BB-CCBVMT"),
        (T.REPORT, 123, "Số: 123/BC-SNNMT"),
        (T.PLAN, 3, "Số: 03/KH-SNNMT"),
        (T.DECISION, 40, "Số: 40/QĐ-SNNMT"),
    ],
)
def test_number_line_per_type(kind, number, expected):
    assert layout.number_line(number, layout.default_symbol(kind, "SNNMT", "CCBVMT")) == expected


def test_default_symbols_match_the_register_settings():
    for kind in (T.OFFICIAL_LETTER, T.INVITATION, T.NOTICE, T.SUBMISSION, T.MINUTES, T.REPORT):
        pattern = BY_KEY[f"register.{layout.register_of(kind)}"].default
        assert layout.symbol_of(pattern, "SNNMT", "CCBVMT") == layout.default_symbol(kind, "SNNMT", "CCBVMT")
    with pytest.raises(ValueError):
        layout.symbol_of("TB-{agency}/{n}", "SNNMT", "CCBVMT")


def test_draft_number_is_blank_and_numbers_start_at_one():
    line = layout.number_line(None, "TB-SNNMT")
    assert line.startswith("Số: ") and line.endswith("/TB-SNNMT")
    assert not any(c.isdigit() for c in line)
    with pytest.raises(ValueError):
        layout.number_text(0, "TB-SNNMT")


def test_registers_and_type_names():
    assert [layout.register_of(k) for k in T] == ["CV", "GM", "TB", "TTr", "BB", "BC", "KH", "QĐ"]
    assert layout.type_name(T.OFFICIAL_LETTER) is None
    names = [layout.type_name(k) for k in T if k is not T.OFFICIAL_LETTER]
    assert names == ["GIẤY MỜI", "THÔNG BÁO", "TỜ TRÌNH", "BIÊN BẢN", "BÁO CÁO", "KẾ HOẠCH", "QUYẾT ĐỊNH"]
    assert all(unicodedata.is_normalized("NFC", n) for n in names)


def test_kinh_gui_only_for_official_letters_and_invitations():
    assert {k for k in T if layout.has_addressee(k)} == {T.OFFICIAL_LETTER, T.INVITATION}


def test_subject_line_prefixes_v_v_for_an_official_letter_only():
    assert layout.subject_line(T.OFFICIAL_LETTER, "đôn đốc  lắp đặt") == "V/v đôn đốc lắp đặt"
    assert layout.subject_line(T.OFFICIAL_LETTER, "V/v đôn đốc") == "V/v đôn đốc"
    assert layout.subject_line(T.NOTICE, "Về việc chậm truyền") == "Về việc chậm truyền"


def test_addressee_and_distribution_punctuation():
    assert layout.addressee_lines(["Công ty TNHH A"]) == ["Công ty TNHH A."]
    assert layout.addressee_lines(["Công ty A;", "Công ty B"]) == ["- Công ty A;", "- Công ty B."]
    assert layout.distribution_lines(["Như trên", "GĐ Sở (để b/c);"], "CCBVMT") == [
        "- Như trên;",
        "- GĐ Sở (để b/c);",
        "- Lưu: VT, CCBVMT.",
    ]
    assert layout.distribution_lines([], "") == ["- Lưu: VT."]


@pytest.mark.parametrize(("bold", "italic"), list(FILES))
def test_bundled_fonts_cover_vietnamese(bold, italic):
    from app.documents.measure import _advances

    widths, _, _ = _advances(bold, italic)
    letters = VIETNAMESE + VIETNAMESE.upper()
    assert [c for c in letters if ord(c) not in widths] == []


def test_balanced_lines_break_evenly_within_the_width():
    assert balanced_lines("Sở Nông nghiệp và Môi trường", 62, 13, bold=True, upper=True) == [
        "SỞ NÔNG NGHIỆP",
        "VÀ MÔI TRƯỜNG",
    ]
    assert balanced_lines("UBND THÀNH PHỐ CẦN THƠ", 62, 13) == ["UBND THÀNH PHỐ CẦN THƠ"]
    text = "Về việc chậm truyền dữ liệu quan trắc tự động tháng 12 năm 2025 của các cơ sở"
    lines = balanced_lines(text, 100, 14, bold=True)
    assert " ".join(lines) == text and len(lines) == 2
    widths = [text_width(line, 14, bold=True) for line in lines]
    assert max(widths) <= 100 and max(widths) - min(widths) < 25
    assert balanced_lines("   ", 50, 12) == []
