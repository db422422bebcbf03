"""An inspection's minutes (biên bản kiểm tra) as a Decree 30/2020 document, and its stored PDF.

Pure apart from ``store_pdf``: the inspection's values, its facts snapshot and the
agency block come in as plain values; the tables and the chart are those of
``content``, the layout that of ``app.documents`` (the notices' font and header
blocks, two signers side by side).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup

from app.documents import body as blocks
from app.documents.layout import DocumentType, symbol_of
from app.documents.render import Document, Signer
from app.files import store_by_hash
from app.inspections import content

PDF_FOLDER = "minutes"
REGISTER = "BB"


@dataclass(frozen=True)
class Person:
    """A member of the team or a representative of the facility."""

    name: str
    title: str = ""


@dataclass(frozen=True)
class Record:
    """The inspector's part of the record: who, when, where, what was found and asked."""

    facility_name: str
    enterprise_name: str
    decision_number: str
    decision_date: date
    inspected_on: date
    place: str
    team: Sequence[Person]
    representatives: Sequence[Person]
    findings: str
    requests: Sequence[tuple[str, date]]
    opinion: str
    copies: int


def long_date(day: date) -> str:
    """``ngày 05 tháng 01 năm 2026``."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def _people(people: Sequence[Person]) -> list[str]:
    return [f"Ông/Bà {p.name}" + (f" - {p.title}" if p.title else "") for p in people]


def _table_or_none(table: blocks.Table) -> Any:
    return table if table.rows else blocks.paragraph(f"{table.caption}: không có.", indent=False)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def _facts_blocks(facts: Mapping[str, Any]) -> list[Any]:
    first, last = (date.fromisoformat(d) for d in facts["period"])
    chart = content.effective_chart(facts)
    parts: list[Any] = [
        blocks.heading("II. NỘI DUNG KIỂM TRA"),
        f"Số liệu được trích từ hệ thống theo dõi quan trắc tự động của Sở cho kỳ từ {long_date(first)} "
        f"đến {long_date(last)}; mức đầy đủ dữ liệu tính theo số giá trị 5 phút, thô và sau khi trừ "
        "thời gian bảo trì, sự cố đã được chấp thuận (miễn trừ).",
        blocks.heading("1. Nghĩa vụ quan trắc tự động, liên tục"),
        _table_or_none(content.obligations_table(facts)),
        blocks.heading("2. Trạm quan trắc, thông số và thiết bị"),
        _table_or_none(content.coverage_table(facts)),
        _table_or_none(content.stations_table(facts)),
        _table_or_none(content.certificates_table(facts)),
        blocks.heading("3. Kết nối, truyền số liệu"),
        _table_or_none(content.timeline_table(facts)),
        blocks.heading("4. Mức đầy đủ dữ liệu"),
        _table_or_none(content.station_figures_table(facts)),
        _table_or_none(content.parameter_figures_table(facts)),
    ]
    if chart is not None:
        parts.append(blocks.chart(chart, "Hình 1. Tỷ lệ dữ liệu hiệu dụng (thô) của các trạm trong kỳ"))
    parts += [
        _table_or_none(content.gaps_table(facts)),
        blocks.heading("5. Vượt quy chuẩn"),
        content.exceedances_table(facts),
        blocks.heading("6. Hồ sơ vi phạm và văn bản đã ban hành"),
        _table_or_none(content.cases_table(facts)),
        _table_or_none(content.notices_table(facts)),
    ]
    return parts


def body_markup(record: Record, facts: Mapping[str, Any], agency: Mapping[str, Any]) -> Markup:
    """The minutes' body: composition, what was checked (tables, chart), findings, requests, opinion."""
    parts: list[Any] = [
        f"Thực hiện Quyết định số {record.decision_number} {long_date(record.decision_date)} về việc "
        f"kiểm tra việc thực hiện quan trắc tự động, liên tục đối với {record.facility_name};",
        f"Hôm nay, {long_date(record.inspected_on)}, tại {record.place}, chúng tôi gồm:",
        blocks.heading("I. THÀNH PHẦN"),
        blocks.heading("1. Đoàn kiểm tra:"),
        blocks.items(_people(record.team)),
        blocks.heading(f"2. Đại diện {record.enterprise_name} ({record.facility_name}):"),
        blocks.items(_people(record.representatives)),
        *_facts_blocks(facts),
        blocks.heading("III. KẾT QUẢ KIỂM TRA"),
        *(_paragraphs(record.findings) or ["Không ghi nhận thêm."]),
        blocks.heading("IV. YÊU CẦU"),
    ]
    if record.requests:
        parts.append(blocks.items(f"{text} Thời hạn: {due:%d/%m/%Y}." for text, due in record.requests))
    else:
        parts.append("Không có yêu cầu.")
    parts += [
        blocks.heading("V. Ý KIẾN CỦA CƠ SỞ"),
        *(_paragraphs(record.opinion) or ["Cơ sở thống nhất với nội dung biên bản."]),
        f"Biên bản được lập thành {record.copies:02d} bản có giá trị pháp lý như nhau, mỗi bên giữ "
        f"{max(1, record.copies // 2):02d} bản; đã được đọc lại cho những người có tên trên cùng nghe, "
        "thống nhất và ký tên dưới đây.",
    ]
    return blocks.body_html(parts)


def signers(record: Record) -> tuple[Signer, Signer]:
    """The facility's representative (left) and the leader of the team (right)."""
    representative = record.representatives[0].name if record.representatives else ""
    leader = record.team[0].name if record.team else ""
    return (
        Signer(name=representative, title="ĐẠI DIỆN CƠ SỞ"),
        Signer(name=leader, title="TRƯỞNG ĐOÀN KIỂM TRA"),
    )


def build_document(
    record: Record,
    facts: Mapping[str, Any],
    agency: Mapping[str, Any],
    register_pattern: str,
    *,
    number: int | None = None,
    is_draft: bool = False,
    verify_url: str = "",
) -> Document:
    """The minutes as a document (no number in a draft)."""
    return Document(
        type=DocumentType.MINUTES,
        symbol=symbol_of(register_pattern, agency["abbreviation"], agency["division_abbreviation"]),
        summary=f"Kiểm tra việc thực hiện quan trắc tự động, liên tục tại {record.facility_name}",
        body=body_markup(record, facts, agency),
        agency=agency,
        number=None if is_draft else number,
        issued_on=record.inspected_on,
        copies_to=(record.enterprise_name, "Lãnh đạo Sở (để báo cáo)"),
        signers=signers(record),
        is_draft=is_draft,
        verification_url=verify_url,
    )


def store_pdf(instance_path: str, data: bytes) -> tuple[str, str]:
    """Write the PDF under its hash once; return (sha256, relative path)."""
    return store_by_hash(instance_path, PDF_FOLDER, data)
