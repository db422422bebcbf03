"""The evidence of a finding, in the words a notice prints: subject, sentence, table, legal basis.

Pure. Each kind gets a short subject for "V/v đôn đốc {subject}", one sentence (ending
with ".") to follow the facility's name, and the table of the data behind it
(``{"caption", "header", "rows"}``), plus plain kind-specific fields for pages and
tests. A clear finding gets the same shape, its sentence saying what is now in order.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from app.formatting import format_date, format_datetime, format_number, local

KIND_NAMES = {"wastewater": "nước thải", "emission": "khí thải"}
SUBJECTS = {
    "not_installed": "lắp đặt, kết nối truyền số liệu quan trắc tự động",
    "not_connected": "kết nối, truyền số liệu quan trắc tự động",
    "lost_connection": "khắc phục việc mất kết nối truyền số liệu quan trắc tự động",
    "low_completeness": "bảo đảm số liệu quan trắc tự động truyền về đầy đủ, hợp lệ",
    "missing_parameters": "bổ sung thông số quan trắc tự động theo quy định",
    "exceedance": "khắc phục tình trạng vượt quy chuẩn kỹ thuật môi trường",
}
CLEARED = {
    "not_installed": "đã lắp đặt trạm quan trắc tự động cho mọi nguồn thải phải quan trắc.",
    "not_connected": "đã kết nối, truyền số liệu quan trắc tự động của các trạm đã lắp đặt.",
    "lost_connection": "đã khôi phục kết nối truyền số liệu quan trắc tự động.",
    "missing_parameters": "đã quan trắc tự động đủ các thông số theo quy định.",
}
DASH = "—"


def _codes(codes: Any) -> str:
    return ", ".join(codes) or DASH


def _percent(rate: float | None) -> str:
    return DASH if rate is None else f"{format_number(rate * 100, 1)}%"


def _share(rate: float) -> str:
    return f"{format_number(round(rate * 100, 2))}%"


def _month(month: tuple[date, date] | None) -> str:
    return month[0].strftime("%m/%Y") if month else ""


def _target(kind: str, source: str | None) -> str:
    return f"nguồn thải {source}" if source else KIND_NAMES.get(kind, kind)


def _table(caption: str, header: list[str], rows: list[list[Any]]) -> dict[str, Any]:
    return {"caption": caption, "header": header, "rows": rows}


def _not_installed(rows: list) -> dict[str, Any]:
    parts: dict[str, list[str]] = {}
    for kind, source, *_ in rows:
        parts.setdefault(kind, []).extend([source] if source else [])
    said = [
        f"trạm quan trắc {KIND_NAMES.get(kind, kind)} tự động"
        + (f" cho nguồn thải {', '.join(sources)}" if sources else "")
        for kind, sources in parts.items()
    ]
    return {
        "sentence": f"chưa lắp đặt {' và '.join(said)} theo quy định." if rows else CLEARED["not_installed"],
        "table": _table(
            "Nguồn thải phải quan trắc tự động chưa có trạm được lắp đặt",
            ["Loại", "Nguồn thải", "Thông số phải quan trắc", "Thời hạn", "Trạm đã đăng ký (chưa lắp đặt)"],
            [
                [KIND_NAMES.get(k, k), s or DASH, _codes(req), format_date(d) or DASH, _codes(st)]
                for k, s, req, d, st in rows
            ],
        ),
        "targets": [
            {"kind": k, "source": s, "required": list(req), "deadline": d.isoformat() if d else None}
            for k, s, req, d, _ in rows
        ],
    }


def _not_connected(rows: list) -> dict[str, Any]:
    codes = [code for code, *_ in rows]
    return {
        "sentence": (
            f"đã lắp đặt nhưng chưa kết nối, truyền số liệu quan trắc tự động của trạm {', '.join(codes)} "
            "theo quy định."
            if rows
            else CLEARED["not_connected"]
        ),
        "table": _table(
            "Trạm đã lắp đặt nhưng chưa kết nối, truyền số liệu",
            ["Trạm", "Loại", "Ngày lắp đặt", "Thời hạn"],
            [
                [c, KIND_NAMES.get(k, k), format_date(i) or DASH, format_date(d) or DASH]
                for c, k, i, d in rows
            ],
        ),
        "stations": codes,
    }


def _iso(moment: datetime | None) -> str | None:
    return local(moment).isoformat() if moment else None


def _lost_connection(rows: list, hours: int = 24) -> dict[str, Any]:
    detail = ", ".join(f"trạm {code} từ {format_datetime(since)}" for code, since, _ in rows)
    return {
        "sentence": (
            f"bị mất kết nối truyền số liệu quan trắc tự động quá {hours} giờ ({detail})."
            if rows
            else CLEARED["lost_connection"]
        ),
        "table": _table(
            "Trạm mất kết nối truyền số liệu",
            ["Trạm", "Mất kết nối từ", "Số liệu cuối cùng lúc"],
            [[code, format_datetime(since), format_datetime(last) or DASH] for code, since, last in rows],
        ),
        "stations": [
            {"code": code, "lost_since": _iso(since), "last_reading_at": _iso(last)}
            for code, since, last in rows
        ],
        "hours": hours,
    }


def _low_completeness(rows: list, month=None, target: float = 0.9, below=()) -> dict[str, Any]:
    name = _month(month)
    rates = {
        code: (excused if basis == "excused" else raw.get("effective_rate"))
        for code, raw, excused, basis, _ in rows
    }
    detail = ", ".join(f"trạm {code}: {_percent(rates[code])}" for code in below)
    sentence = (
        f"có tỷ lệ số liệu quan trắc tự động hợp lệ tháng {name} dưới mục tiêu {_share(target)} ({detail})."
        if below
        else f"có tỷ lệ số liệu quan trắc tự động hợp lệ tháng {name} đạt mục tiêu {_share(target)}."
    )
    bases = {"raw": "số liệu thô", "excused": "trừ thời gian được chấp thuận"}
    return {
        "sentence": sentence,
        "table": _table(
            f"Tỷ lệ số liệu hợp lệ tháng {name} (mục tiêu {_share(target)})",
            [
                "Trạm",
                "Số giá trị phải nhận",
                "Số giá trị nhận được",
                "Tỷ lệ hợp lệ (thô)",
                "Tỷ lệ hợp lệ (trừ thời gian được chấp thuận)",
                "Căn cứ đánh giá",
                "Đánh giá",
            ],
            [
                [
                    code,
                    raw.get("expected_slots"),
                    raw.get("data_slots"),
                    _percent(raw.get("effective_rate")),
                    _percent(excused),
                    bases[basis],
                    "Không đạt" if is_below else "Đạt",
                ]
                for code, raw, excused, basis, is_below in rows
            ],
        ),
        "month": month[0].strftime("%Y-%m") if month else None,
        "target": target,
        "stations": [
            {
                "code": code,
                "basis": basis,
                "raw_effective_rate": raw.get("effective_rate"),
                "excused_effective_rate": excused,
                "is_below": is_below,
            }
            for code, raw, excused, basis, is_below in rows
        ],
    }


def _missing_parameters(rows: list) -> dict[str, Any]:
    detail = "; ".join(f"{_target(k, s)}: thiếu {', '.join(missing)}" for k, s, _, _, missing in rows)
    return {
        "sentence": (
            f"chưa quan trắc tự động đủ các thông số theo quy định ({detail})."
            if rows
            else CLEARED["missing_parameters"]
        ),
        "table": _table(
            "Thông số phải quan trắc tự động còn thiếu",
            [
                "Loại",
                "Nguồn thải",
                "Thông số phải quan trắc",
                "Thông số đang quan trắc",
                "Thông số còn thiếu",
            ],
            [[KIND_NAMES.get(k, k), s or DASH, _codes(r), _codes(m), _codes(x)] for k, s, r, m, x in rows],
        ),
        "targets": [{"kind": k, "source": s, "missing": list(x)} for k, s, _, _, x in rows],
    }


BUILDERS = {
    "not_installed": _not_installed,
    "not_connected": _not_connected,
    "lost_connection": _lost_connection,
    "low_completeness": _low_completeness,
    "missing_parameters": _missing_parameters,
}


def evidence(kind: str, rows: list, legal_basis: list[str], **extra: Any) -> dict[str, Any]:
    """The evidence of one finding of ``kind`` from its rows (none: the finding is clear)."""
    built = BUILDERS[kind](rows, **extra)
    return {"subject": SUBJECTS[kind], "legal_basis": legal_basis, "as_of": None, **built}


def exceedance_evidence(found: Any, month: tuple[date, date] | None, threshold: int, is_breach: bool) -> dict:
    """The evidence of the exceedance finding: hours per parameter and in all, against the threshold."""
    name = _month(month)
    hours = found.total_hours
    sentence = (
        f"có {hours} giờ vượt giới hạn cho phép trong tháng {name} theo số liệu quan trắc tự động "
        f"(từ {threshold} giờ trở lên phải xử lý)."
        if is_breach
        else f"có {hours} giờ vượt giới hạn cho phép trong tháng {name}, dưới ngưỡng {threshold} giờ."
    )
    rows: list[list[Any]] = [[parameter, count] for parameter, count in found.by_parameter]
    rows.append(["Tổng (mỗi giờ chỉ tính một lần)", hours])
    return {
        "subject": SUBJECTS["exceedance"],
        "sentence": sentence,
        "table": _table(f"Số giờ vượt giới hạn cho phép tháng {name}", ["Thông số", "Số giờ vượt"], rows),
        "legal_basis": list(found.bases),
        "as_of": None,
        "month": month[0].strftime("%Y-%m") if month else None,
        "hours": hours,
        "threshold": threshold,
    }
