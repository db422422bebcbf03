"""Seed rule data: the regimes and the table of all their clauses, as JSON-serialisable data.

Each regime is a dict::

    {"code", "name", "valid_from", "valid_to", "deadline", "deadline_note", "confidence"}

dates as ISO strings (``valid_to`` is the last day in force, inclusive; ``None`` is open),
``deadline_note`` a Vietnamese sentence in which ``{deadline}`` is replaced by the date.

Each rule (one clause of a regime's table) is a dict::

    {"regime", "kind", "clause", "order", "label", "citation", "summary",
     "condition", "exemptions", "outcomes", "parameters" | "triggers",
     "confidence", "parameters_confidence", "valid_from", "valid_to"}

- ``clause``: the id of regulation.md; ``order``: its place in the regime's table of its kind.
- ``label``: the clause's short Vietnamese name (``điểm b khoản 2 Điều 39``); ``summary``: what
  it checks, listed when nothing applies; ``citation``: the full legal reference.
- ``condition``: when the clause applies, in the condition language of conditions.py.
- ``exemptions``: ``[{"condition", "reason"}]``; a clause whose condition holds does not apply
  when one of these holds (``reason`` completes "... không áp dụng vì <reason>.").
- ``outcomes``: ``[{"when"?, "status", "explanation"}]``; the first whose ``when`` holds (or
  that has none) gives the status (``required`` / ``optional``) and the sentence. Placeholders:
  ``{citation}``, ``{label}``, ``{sources}`` and any facility attribute, numbers written the
  Vietnamese way (``1.000``, ``0,5``).
- ``parameters``: canonical codes (wastewater, rules_wastewater.py); emission rules have
  ``triggers`` instead (rules_emission.py).
- ``confidence``: ``confirmed`` or ``to_verify``, as marked in the regulation notes;
  ``parameters_confidence`` the same for the parameter list where it is marked apart.
- ``valid_from`` / ``valid_to``: the legal validity of this version, here the regime's.
"""

from __future__ import annotations

import copy
from typing import Any

from app.compliance.rules_emission import EMISSION_RULES
from app.compliance.rules_wastewater import WASTEWATER_RULES

REGIMES: list[dict[str, Any]] = [
    {
        "code": "decree-38-2015",
        "name": "Nghị định 38/2015/NĐ-CP (Điều 39 trước khi được sửa đổi)",
        "valid_from": None,
        "valid_to": "2019-06-30",
        "deadline": None,
        "deadline_note": (
            "Điều 39 Nghị định 38/2015/NĐ-CP (trước khi được sửa đổi) không quy định thời hạn hoàn thành."
        ),
        "confidence": "confirmed",
    },
    {
        "code": "decree-40-2019",
        "name": "Nghị định 38/2015/NĐ-CP, sửa đổi bởi Nghị định 40/2019/NĐ-CP",
        "valid_from": "2019-07-01",
        "valid_to": "2022-01-09",
        "deadline": "2021-12-31",
        "deadline_note": (
            "Thời hạn hoàn thành: {deadline} (Nghị định 40/2019/NĐ-CP quy định thời hạn "
            "31/12/2020; Nghị quyết 129/NQ-CP ngày 11/09/2020 của Chính phủ cho phép gia hạn "
            "đến 31/12/2021)."
        ),
        "confidence": "confirmed",
    },
    {
        "code": "decree-08-2022",
        "name": "Luật Bảo vệ môi trường năm 2020 và Nghị định 08/2022/NĐ-CP",
        "valid_from": "2022-01-10",
        "valid_to": "2025-01-05",
        "deadline": "2024-12-31",
        "deadline_note": (
            "Thời hạn hoàn thành đối với cơ sở đang hoạt động: {deadline} (Nghị định 08/2022/NĐ-CP)."
        ),
        "confidence": "confirmed",
    },
    {
        "code": "decree-05-2025",
        "name": "Nghị định 08/2022/NĐ-CP, sửa đổi bởi Nghị định 05/2025/NĐ-CP",
        "valid_from": "2025-01-06",
        "valid_to": None,
        "deadline": "2024-12-31",
        "deadline_note": (
            "Thời hạn hoàn thành đối với cơ sở đang hoạt động: {deadline} "
            "(Nghị định 08/2022/NĐ-CP, sửa đổi bởi Nghị định 05/2025/NĐ-CP)."
        ),
        "confidence": "to_verify",
    },
]


def _with_validity(rule: dict[str, Any]) -> dict[str, Any]:
    regime = next(r for r in REGIMES if r["code"] == rule["regime"])
    return {**rule, "valid_from": regime["valid_from"], "valid_to": regime["valid_to"]}


RULES: list[dict[str, Any]] = [_with_validity(rule) for rule in WASTEWATER_RULES + EMISSION_RULES]

_CONNECTED = {"attr": "connected_to_central_wwtp", "op": "is_true"}
_EXEMPT = {"attr": "exempt_from_connection", "op": "is_true"}

# Combinations refused at import, in the condition language; checked by validate_facility.
FACILITY_CONTRADICTIONS: list[dict[str, Any]] = [
    {
        "field": "exempt_from_connection",
        "condition": {
            "type": "all",
            "of": [_EXEMPT, {"attr": "in_industrial_park", "op": "is_false"}],
        },
        "message": "Cơ sở được miễn trừ đấu nối (exempt_from_connection) nhưng không nằm trong khu "
        "sản xuất, kinh doanh, dịch vụ tập trung hoặc cụm công nghiệp (in_industrial_park).",
    },
] + [
    {
        "field": "connected_to_central_wwtp",
        "condition": {"type": "all", "of": [_CONNECTED, {"attr": attr, "op": "is_true"}]},
        "message": "Cơ sở không thể vừa đấu nối vào hệ thống xử lý nước thải tập trung "
        f"(connected_to_central_wwtp) vừa {text} ({attr}).",
    }
    for attr, text in (
        ("exempt_from_connection", "được miễn trừ đấu nối"),
        ("central_wwtp", "là hệ thống xử lý nước thải tập trung của khu"),
        ("central_wwtp_cluster", "là hệ thống xử lý nước thải tập trung của cụm công nghiệp"),
    )
]


def seed_regimes() -> list[dict[str, Any]]:
    """Return a fresh copy of the seed regime table."""
    return copy.deepcopy(REGIMES)


def seed_rules(regime_code: str | None = None) -> list[dict[str, Any]]:
    """Return a fresh copy of the seed rules, optionally only those of one regime."""
    return [copy.deepcopy(r) for r in RULES if regime_code in (None, r["regime"])]
