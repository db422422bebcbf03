"""The tables and chart of an inspection record, from its facts snapshot: pure, no Flask, no database.

The minutes (``minutes``) print these tables and the record page shows the same ones,
so the screen and the PDF cannot disagree. The minutes are a Vietnamese legal document:
their headings and labels are Vietnamese whatever the reader's language. Percentages
are rounded from the integer counts (``app.formatting.format_percent``); station rates
are the exact means of ``app.telemetry.station_data.station_rates``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from markupsafe import Markup

from app.charts.svg import bar_chart
from app.documents.body import Table
from app.formatting import format_date, format_datetime, format_number, format_percent
from app.telemetry.station_data import station_rates

KIND = {"wastewater": "Nước thải", "emission": "Khí thải", "ambient": "Không khí xung quanh"}
OBLIGATION = {
    "required": "Bắt buộc",
    "optional": "Không bắt buộc (được lựa chọn)",
    "not_required": "Không thuộc đối tượng",
}
STATUS = {
    "receiving": "Đang nhận dữ liệu",
    "lost": "Mất kết nối",
    "awaiting_data": "Chờ dữ liệu",
    "installed": "Đã lắp đặt, chưa kết nối",
    "not_installed": "Chưa lắp đặt",
    "suspended": "Tạm dừng",
    "not_required": "Không yêu cầu",
}
BREACH = {
    "not_installed": "Chưa lắp đặt",
    "not_connected": "Chưa kết nối",
    "lost_connection": "Mất kết nối",
    "low_completeness": "Tỷ lệ số liệu thấp",
    "missing_parameters": "Thiếu thông số",
    "exceedance": "Vượt quy chuẩn",
}
CERTIFICATE = {"calibration": "Hiệu chuẩn", "inspection": "Kiểm định"}
YES, NO = "Có", "Không"
NONE = "—"


def _date(text: str | None) -> str:
    if not text:
        return NONE
    return format_date(datetime.fromisoformat(text)) if "T" in text else format_date(date.fromisoformat(text))


def _moment(text: str | None) -> str:
    return format_datetime(datetime.fromisoformat(text)) if text else NONE


def _codes(codes: list[str]) -> str:
    return ", ".join(codes) if codes else NONE


def obligations_table(facts: Mapping[str, Any]) -> Table:
    """The obligations under the regime in force, with their clauses and deadline."""
    rows = [
        [
            KIND.get(o["kind"], o["kind"]),
            OBLIGATION.get(o["status"], o["status"]),
            "; ".join(o["basis"]) or _codes(o["clauses"]),
            _codes(o["parameters"]),
            _date(o["deadline"]),
        ]
        for o in facts["obligations"]
    ]
    return Table(
        ["Loại", "Đối tượng", "Căn cứ", "Thông số phải quan trắc", "Thời hạn"],
        rows,
        caption="Bảng 1. Nghĩa vụ quan trắc tự động, liên tục",
    )


def coverage_table(facts: Mapping[str, Any]) -> Table:
    """Parameters required vs monitored, per outlet or (emissions) per triggering source."""
    rows = [
        [
            KIND.get(c["kind"], c["kind"]),
            t["source"] or NONE,
            _codes(t["required"]),
            _codes(t["monitored"]),
            _codes(t["missing"]),
            _codes(t["stations"]),
        ]
        for c in facts["coverage"]
        for t in c["targets"]
    ]
    return Table(
        ["Loại", "Nguồn thải", "Thông số yêu cầu", "Đã quan trắc", "Còn thiếu", "Trạm"],
        rows,
        caption="Bảng 2. Thông số đã lắp đặt so với yêu cầu",
    )


def stations_table(facts: Mapping[str, Any]) -> Table:
    """Each station's equipment, installation and connection status."""
    rows = [
        [
            s["code"],
            KIND.get(s["kind"], s["kind"]),
            s["source"] or NONE,
            YES if s["has_camera"] else NO,
            YES if s["has_sampler"] else NO,
            s["datalogger"] or NONE,
            _date(s["installed_at"]),
            STATUS.get(s["status"], s["status"]),
        ]
        for s in facts["stations"]
    ]
    return Table(
        [
            "Trạm",
            "Loại",
            "Nguồn thải",
            "Camera",
            "Lấy mẫu tự động",
            "Datalogger",
            "Lắp đặt",
            "Tình trạng kết nối",
        ],
        rows,
        caption="Bảng 3. Trạm quan trắc và thiết bị",
    )


def certificates_table(facts: Mapping[str, Any]) -> Table:
    """Calibration and inspection certificates and their expiry."""
    rows = [
        [
            s["code"],
            CERTIFICATE.get(c["kind"], c["kind"]),
            c["number"] or NONE,
            _date(c["issued_on"]),
            _date(c["expires_on"]),
            "Hết hạn" if c["is_expired"] else "Còn hiệu lực",
        ]
        for s in facts["stations"]
        for c in s["certificates"]
    ]
    return Table(
        ["Trạm", "Chứng nhận", "Số", "Ngày cấp", "Hết hạn", "Tình trạng"],
        rows,
        caption="Bảng 4. Chứng nhận hiệu chuẩn, kiểm định",
    )


def timeline_table(facts: Mapping[str, Any]) -> Table:
    """Each station's connection status steps over the period."""
    rows = [
        [s["code"], STATUS.get(step["status"], step["status"]), _moment(step["since"])]
        for s in facts["stations"]
        for step in s["timeline"]
    ]
    return Table(["Trạm", "Tình trạng", "Từ"], rows, caption="Bảng 5. Diễn biến tình trạng kết nối trong kỳ")


def station_figures_table(facts: Mapping[str, Any]) -> Table:
    """Each station's connection and effective rates of the period, raw and excused."""
    rows = []
    for item in facts["completeness"]:
        raw, excused = item["raw"], item["excused"]
        raw_rates, excused_rates = station_rates(raw), station_rates(excused)
        rows.append(
            [
                item["station"],
                raw["expected_slots"],
                raw["data_slots"],
                format_percent(raw["data_slots"], raw["expected_slots"]),
                _rate(raw_rates.effective),
                _rate(excused_rates.effective),
                raw["gaps_over_1h"],
                raw["longest_gap_slots"] * 5,
            ]
        )
    return Table(
        [
            "Trạm",
            "Giá trị dự kiến",
            "Có dữ liệu",
            "Tỷ lệ kết nối",
            "Hiệu dụng (thô)",
            "Hiệu dụng (trừ miễn trừ)",
            "Khoảng mất ≥ 1 giờ",
            "Khoảng mất dài nhất (phút)",
        ],
        rows,
        caption="Bảng 6. Mức đầy đủ dữ liệu theo trạm",
    )


def _tenths(numerator: int, denominator: int) -> int:
    """numerator / denominator in tenths of a percent, rounded half up as ``format_percent`` does."""
    return (2000 * numerator + denominator) // (2 * denominator)


def _rate(value: Any) -> str:
    return NONE if value is None else format_percent(value, 1)


def parameter_figures_table(facts: Mapping[str, Any]) -> Table:
    """Completeness per station and parameter, raw and excused side by side (metrics.md)."""
    rows = []
    for item in facts["completeness"]:
        for code, raw in item["raw"]["parameters"].items():
            excused = item["excused"]["parameters"][code]
            rows.append(
                [
                    item["station"],
                    code,
                    raw["expected"],
                    raw["received"],
                    raw["valid"],
                    format_percent(raw["valid"], raw["expected"]),
                    excused["expected"],
                    excused["valid"],
                    format_percent(excused["valid"], excused["expected"]),
                ]
            )
    return Table(
        [
            "Trạm",
            "Thông số",
            "Dự kiến",
            "Nhận được",
            "Hợp lệ",
            "Hiệu dụng (thô)",
            "Dự kiến (trừ miễn trừ)",
            "Hợp lệ (trừ miễn trừ)",
            "Hiệu dụng (trừ miễn trừ)",
        ],
        rows,
        caption="Bảng 7. Mức đầy đủ dữ liệu theo trạm và thông số (thô và trừ thời gian được miễn trừ)",
    )


def gaps_table(facts: Mapping[str, Any]) -> Table:
    """The gaps of an hour or more."""
    rows = [[g["station"], _moment(g["start"]), _moment(g["end"]), g["slots"] * 5] for g in facts["gaps"]]
    return Table(
        ["Trạm", "Từ", "Đến", "Thời lượng (phút)"],
        rows,
        caption="Bảng 8. Các khoảng mất dữ liệu từ 01 giờ trở lên",
    )


def exceedances_table(facts: Mapping[str, Any]) -> Table:
    """Exceedance hours per parameter and in all (each clock hour once)."""
    found = facts["exceedances"]
    rows = [[parameter, hours] for parameter, hours in found["by_parameter"]]
    return Table(
        ["Thông số", "Số giờ vượt"],
        rows,
        caption="Bảng 9. Số giờ vượt quy chuẩn trong kỳ",
        footer=["Tổng số giờ vượt (mỗi giờ tính một lần)", found["total_hours"]],
    )


def cases_table(facts: Mapping[str, Any]) -> Table:
    """The open cases and the ladder step each reached."""
    rows = [[BREACH.get(c["kind"], c["kind"]), c["step"], _date(c["opened_at"])] for c in facts["cases"]]
    return Table(
        ["Vi phạm đang theo dõi", "Bước xử lý đã ban hành", "Mở từ"],
        rows,
        caption="Bảng 10. Hồ sơ vi phạm đang mở",
    )


def notices_table(facts: Mapping[str, Any]) -> Table:
    """The notices issued to the facility and the enterprise's answers."""
    rows = [
        [
            n["number"],
            _date(n["issued_on"]),
            n["summary"],
            _date(n["answer_due_on"]),
            "; ".join(f"{_date(a['at'])}: {a['text']}" for a in n["answers"]) or "Chưa trả lời",
        ]
        for n in facts["notices"]
    ]
    return Table(
        ["Số văn bản", "Ngày", "Trích yếu", "Hạn trả lời", "Trả lời của cơ sở"],
        rows,
        caption="Bảng 11. Văn bản đã ban hành và trả lời của cơ sở",
    )


def effective_chart(facts: Mapping[str, Any]) -> Markup | None:
    """A bar chart of each station's effective rate of the period (raw, %), None without figures."""
    labels, values = [], []
    for item in facts["completeness"]:
        effective = station_rates(item["raw"]).effective
        if effective is not None:
            labels.append(item["station"])
            values.append(_tenths(effective.numerator, effective.denominator) / 10)
    if not labels:
        return None
    return bar_chart(
        labels,
        values,
        title="Tỷ lệ dữ liệu hiệu dụng (thô) theo trạm",
        width=480,
        value_format=lambda v: f"{format_number(v, 1)}%",
    )


def tables(facts: Mapping[str, Any]) -> list[Table]:
    """Every table of the record, in the order of the minutes."""
    return [
        obligations_table(facts),
        coverage_table(facts),
        stations_table(facts),
        certificates_table(facts),
        timeline_table(facts),
        station_figures_table(facts),
        parameter_figures_table(facts),
        gaps_table(facts),
        exceedances_table(facts),
        cases_table(facts),
        notices_table(facts),
    ]
