"""The fixed rules of the Decree 30/2020/NĐ-CP layout, as pure functions on plain values."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
ADDRESSEE_LABEL = "Kính gửi"
DISTRIBUTION_LABEL = "Nơi nhận"
ARCHIVE_PREFIX = "Lưu: VT"
DRAFT_MARK = "DỰ THẢO"
SUBJECT_PREFIX = "V/v"
BLANK = "\u00a0" * 6


class DocumentType(StrEnum):
    """A kind of document; its value is the symbol of its default register."""

    OFFICIAL_LETTER = "CV"
    INVITATION = "GM"
    NOTICE = "TB"
    SUBMISSION = "TTr"
    MINUTES = "BB"
    REPORT = "BC"
    PLAN = "KH"
    DECISION = "QĐ"


TYPE_NAMES: dict[DocumentType, str] = {
    DocumentType.INVITATION: "GIẤY MỜI",
    DocumentType.NOTICE: "THÔNG BÁO",
    DocumentType.SUBMISSION: "TỜ TRÌNH",
    DocumentType.MINUTES: "BIÊN BẢN",
    DocumentType.REPORT: "BÁO CÁO",
    DocumentType.PLAN: "KẾ HOẠCH",
    DocumentType.DECISION: "QUYẾT ĐỊNH",
}

WITH_ADDRESSEE = frozenset({DocumentType.OFFICIAL_LETTER, DocumentType.INVITATION})


def register_of(kind: DocumentType) -> str:
    """The symbol of the type's default register: ``CV``, ``GM``, ``TB``, ``TTr``, ``BB``, ``BC``, ``KH``, ``QĐ``."""
    return kind.value


def type_name(kind: DocumentType) -> str | None:
    """The type name printed in bold capitals (``THÔNG BÁO``); None for an official letter."""
    return TYPE_NAMES.get(kind)


def has_addressee(kind: DocumentType) -> bool:
    """Whether the type carries a "Kính gửi" line (official letter, invitation)."""
    return kind in WITH_ADDRESSEE


def default_symbol(kind: DocumentType, agency: str, division: str) -> str:
    """The symbol after the number with the default registers: ``SNNMT-CCBVMT``, ``TB-SNNMT``, ``BB-CCBVMT``."""
    if kind is DocumentType.OFFICIAL_LETTER:
        return f"{agency}-{division}"
    if kind in (DocumentType.SUBMISSION, DocumentType.MINUTES):
        return f"{kind.value}-{division}"
    return f"{kind.value}-{agency}"


def symbol_of(pattern: str, agency: str, division: str) -> str:
    """The symbol of a register setting's pattern (``{n}/TB-{agency}`` gives ``TB-SNNMT``)."""
    head, sep, tail = pattern.partition("{n}/")
    if head or not sep:
        raise ValueError(f"a register pattern starts with '{{n}}/': {pattern!r}")
    return tail.format(agency=agency, division=division)


def number_text(number: int | None, symbol: str) -> str:
    """``05/TB-SNNMT``: two digits below 10; a draft (None) leaves the number blank."""
    if number is None:
        return f"{BLANK}/{symbol}"
    if number < 1:
        raise ValueError(f"a document number starts at 1: {number}")
    return f"{number:02d}/{symbol}"


def number_line(number: int | None, symbol: str) -> str:
    """``Số: 05/SNNMT-CCBVMT`` (official letter) or ``Số: 05/TB-SNNMT`` (typed document)."""
    return f"Số: {number_text(number, symbol)}"


def subject_line(kind: DocumentType, summary: str) -> str:
    """The summary as printed: ``V/v ...`` under an official letter's number, as given otherwise."""
    summary = " ".join(summary.split())
    if kind is DocumentType.OFFICIAL_LETTER and not summary.startswith(SUBJECT_PREFIX):
        return f"{SUBJECT_PREFIX} {summary}"
    return summary


def day_month(value: int, *, is_month: bool) -> str:
    """A day below 10 and months 1-2 get a leading zero; other months do not."""
    if is_month:
        return f"{value:02d}" if value <= 2 else str(value)
    return f"{value:02d}"


def date_line(place: str, issued_on: date | None) -> str:
    """``Cần Thơ, ngày 05 tháng 01 năm 2026``; without a date (a draft) the figures are left blank."""
    if issued_on is None:
        return f"{place}, ngày{BLANK}tháng{BLANK}năm{BLANK}"
    day = day_month(issued_on.day, is_month=False)
    month = day_month(issued_on.month, is_month=True)
    return f"{place}, ngày {day} tháng {month} năm {issued_on.year}"


def addressee_lines(addressees: tuple[str, ...] | list[str]) -> list[str]:
    """One addressee ends with a full stop; several are listed "- A;" ... "- Z."."""
    names = [" ".join(name.split()).rstrip(";.") for name in addressees if name.strip()]
    if len(names) == 1:
        return [f"{names[0]}."]
    return [f"- {name}{'.' if i == len(names) - 1 else ';'}" for i, name in enumerate(names)]


def distribution_lines(copies_to: tuple[str, ...] | list[str], filed_with: str) -> list[str]:
    """The "Nơi nhận" list: ``- Như trên;`` ... ending with ``- Lưu: VT, CCBVMT.``."""
    lines = [f"- {' '.join(name.split()).rstrip(';.')};" for name in copies_to if name.strip()]
    filed = " ".join(filed_with.split()).rstrip(";.")
    lines.append(f"- {ARCHIVE_PREFIX}, {filed}." if filed else f"- {ARCHIVE_PREFIX}.")
    return lines
