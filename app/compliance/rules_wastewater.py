"""Seed rule data for automatic wastewater monitoring: the clauses of the four regimes.

The shape of a rule is described in rules_data.py, the condition language in
conditions.py. Exemptions and status bands are data: ``exemptions`` lists the conditions under
which a clause that holds does not apply; ``outcomes`` gives the status and the sentence, the
first whose ``when`` holds (decree-05-2025's lower flow bands are ``optional``).
"""

from __future__ import annotations

from typing import Any

WASTEWATER_BASE_PARAMETERS = ["FLOW_IN", "FLOW_OUT", "TEMP", "pH", "TSS", "COD", "NH4"]

_FLOW = "wastewater_flow_m3_day"
_POLLUTION = {"attr": "pollution_risk_type", "op": "is_true"}
_NOT_POLLUTION = {"attr": "pollution_risk_type", "op": "is_false"}
_CENTRAL = {"attr": "central_wwtp", "op": "is_true"}
_CLUSTER = {"attr": "central_wwtp_cluster", "op": "is_true"}
_EXEMPT = {"attr": "exempt_from_connection", "op": "is_true"}
_MUST = "phải quan trắc nước thải tự động, liên tục theo {citation}."
_MAY = "được lựa chọn quan trắc nước thải tự động, liên tục hoặc quan trắc định kỳ theo {citation}."

_CONNECTED_EXEMPTION = {
    "condition": {"attr": "connected_to_central_wwtp", "op": "is_true"},
    "reason": (
        "cơ sở đấu nối nước thải vào hệ thống xử lý nước thải tập trung, không xả nước thải ra môi trường"
    ),
}
_AQUACULTURE_EXEMPTION = {
    "condition": {"attr": "aquaculture", "op": "is_true"},
    "reason": "cơ sở nuôi trồng thủy sản được miễn trừ (khoản 2 Điều 97 Nghị định 08/2022/NĐ-CP)",
}


def _flow(op: str, value: float) -> dict[str, Any]:
    return {"attr": _FLOW, "op": op, "value": value}


def _all(*conditions: dict[str, Any]) -> dict[str, Any]:
    return {"type": "all", "of": list(conditions)}


def _any(*conditions: dict[str, Any]) -> dict[str, Any]:
    return {"type": "any", "of": list(conditions)}


def _rule(regime: str, clause: str, order: int, **fields: Any) -> dict[str, Any]:
    rule = {
        "regime": regime,
        "kind": "wastewater",
        "clause": clause,
        "order": order,
        "exemptions": [],
        "parameters": list(WASTEWATER_BASE_PARAMETERS),
        "confidence": "confirmed",
        "parameters_confidence": "confirmed",
    }
    rule.update(fields)
    return rule


_R38, _R40, _R08, _R05 = "decree-38-2015", "decree-40-2019", "decree-08-2022", "decree-05-2025"

_DECREE_38_CITATION = "Điều 39 Nghị định 38/2015/NĐ-CP (trước khi được sửa đổi bởi Nghị định 40/2019/NĐ-CP)"
_DECREE_40_CITATION = (
    "điểm {point} khoản 2 Điều 39 Nghị định 38/2015/NĐ-CP, "
    "sửa đổi bởi khoản 20 Điều 3 Nghị định 40/2019/NĐ-CP"
)
_DECREE_08_CITATION = (
    "khoản 1 Điều 111 Luật Bảo vệ môi trường năm 2020; "
    "khoản 1 Điều 97 và Phụ lục XXVIII Nghị định 08/2022/NĐ-CP"
)
_DECREE_05_CITATION = (
    "khoản 1 Điều 111 Luật Bảo vệ môi trường năm 2020; khoản 1 Điều 97 và Phụ lục XXVIII "
    "Nghị định 08/2022/NĐ-CP, sửa đổi bởi Nghị định 05/2025/NĐ-CP"
)


def _decree_40(clause: str, point: str, order: int, **fields: Any) -> dict[str, Any]:
    return _rule(
        _R40,
        clause,
        order,
        label=f"điểm {point} khoản 2 Điều 39",
        citation=_DECREE_40_CITATION.format(point=point),
        **fields,
    )


def _special_outcome(activity: str, attr: str | None = None) -> dict[str, Any]:
    outcome: dict[str, Any] = {
        "status": "required",
        "explanation": f"Cơ sở {activity}, thuộc đối tượng phải thực hiện đánh giá tác động môi "
        "trường, có xả nước thải (lưu lượng thiết kế {wastewater_flow_m3_day} m³/ngày): " + _MUST,
    }
    if attr is not None:
        outcome["when"] = {"attr": attr, "op": "is_true"}
    return outcome


_ROW1_OUTCOMES = [
    {
        "when": _CENTRAL,
        "status": "required",
        "explanation": "Cơ sở là hệ thống xử lý nước thải tập trung của khu sản xuất, kinh doanh, "
        "dịch vụ tập trung (không phụ thuộc lưu lượng): " + _MUST,
    },
    {
        "when": _CLUSTER,
        "status": "required",
        "explanation": "Cơ sở là hệ thống xử lý nước thải tập trung của cụm công nghiệp "
        "(không phụ thuộc lưu lượng): " + _MUST,
    },
    {
        "status": "required",
        "explanation": "Cơ sở nằm trong khu sản xuất, kinh doanh, dịch vụ tập trung hoặc cụm công "
        "nghiệp nhưng được miễn trừ đấu nối, xả nước thải trực tiếp ra môi trường "
        "(không phụ thuộc lưu lượng): " + _MUST,
    },
]
_ROW1 = {
    "label": "trường hợp hệ thống xử lý nước thải tập trung",
    "summary": "hệ thống xử lý nước thải tập trung của khu, cụm công nghiệp hoặc cơ sở được miễn trừ đấu nối",
    "condition": _any(_CENTRAL, _CLUSTER, _EXEMPT),
    "outcomes": _ROW1_OUTCOMES,
}
_ROW2_LABEL = "trường hợp loại hình có nguy cơ gây ô nhiễm môi trường"
_ROW3_LABEL = "trường hợp loại hình khác"
_RISK_TEXT = "Cơ sở thuộc loại hình sản xuất, kinh doanh, dịch vụ có nguy cơ gây ô nhiễm môi trường"
_OTHER_TEXT = "Cơ sở không thuộc loại hình có nguy cơ gây ô nhiễm môi trường"
_PERMIT_FLOW = "lưu lượng xả nước thải {wastewater_flow_m3_day} m³/ngày"
_ROW_EXEMPTIONS = [_CONNECTED_EXEMPTION, _AQUACULTURE_EXEMPTION]

WASTEWATER_RULES: list[dict[str, Any]] = [
    _rule(
        _R38,
        "ip",
        1,
        label="Điều 39 (hệ thống xử lý nước thải tập trung)",
        citation=_DECREE_38_CITATION,
        summary="hệ thống xử lý nước thải tập trung của khu công nghiệp",
        condition=_CENTRAL,
        outcomes=[
            {
                "status": "required",
                "explanation": "Cơ sở là hệ thống xử lý nước thải tập trung của khu công nghiệp: " + _MUST,
            }
        ],
        parameters_confidence="to_verify",
    ),
    _rule(
        _R38,
        "flow",
        2,
        label="Điều 39 (lưu lượng từ 1.000 m³/ngày)",
        citation=_DECREE_38_CITATION,
        summary="lưu lượng nước thải từ 1.000 m³/ngày",
        condition=_flow(">=", 1000),
        exemptions=[_CONNECTED_EXEMPTION],
        outcomes=[
            {
                "status": "required",
                "explanation": "Lưu lượng nước thải thiết kế {wastewater_flow_m3_day} m³/ngày "
                "≥ 1.000 m³/ngày: " + _MUST,
            }
        ],
        parameters_confidence="to_verify",
    ),
    _decree_40(
        "a",
        "a",
        1,
        summary="hệ thống xử lý nước thải tập trung hoặc cơ sở được miễn trừ đấu nối",
        condition=_any(_CENTRAL, _EXEMPT),
        outcomes=[
            _ROW1_OUTCOMES[0],
            {
                **_ROW1_OUTCOMES[2],
                "explanation": (
                    "Cơ sở nằm trong khu sản xuất, kinh doanh, dịch vụ tập trung nhưng được miễn trừ "
                    "đấu nối, xả nước thải trực tiếp ra môi trường: " + _MUST
                ),
            },
        ],
    ),
    _decree_40(
        "b",
        "b",
        2,
        summary="loại hình có nguy cơ gây ô nhiễm môi trường, lưu lượng từ 500 m³/ngày",
        condition=_all(_POLLUTION, _flow(">=", 500)),
        exemptions=[_CONNECTED_EXEMPTION],
        outcomes=[
            {
                "status": "required",
                "explanation": _RISK_TEXT + ", lưu lượng nước thải thiết kế "
                "{wastewater_flow_m3_day} m³/ngày ≥ 500 m³/ngày: " + _MUST,
            }
        ],
    ),
    _decree_40(
        "c",
        "c",
        3,
        summary="xử lý chất thải nguy hại, xử lý chất thải rắn sinh hoạt tập trung cấp tỉnh hoặc "
        "nhập khẩu phế liệu, thuộc đối tượng đánh giá tác động môi trường, có xả nước thải",
        condition=_all(
            _any(
                {"attr": "hazardous_waste_treatment", "op": "is_true"},
                {"attr": "solid_waste_treatment_provincial", "op": "is_true"},
                {"attr": "imported_scrap", "op": "is_true"},
            ),
            {"attr": "eia_required", "op": "is_true"},
            _flow(">", 0),
        ),
        exemptions=[_CONNECTED_EXEMPTION],
        outcomes=[
            _special_outcome("xử lý chất thải nguy hại", "hazardous_waste_treatment"),
            _special_outcome(
                "xử lý chất thải rắn sinh hoạt tập trung cấp tỉnh",
                "solid_waste_treatment_provincial",
            ),
            _special_outcome("nhập khẩu phế liệu từ nước ngoài làm nguyên liệu sản xuất"),
        ],
    ),
    _decree_40(
        "d",
        "d",
        4,
        summary="lưu lượng nước thải từ 1.000 m³/ngày",
        condition=_flow(">=", 1000),
        exemptions=[_CONNECTED_EXEMPTION],
        outcomes=[
            {
                "status": "required",
                "explanation": "Lưu lượng nước thải thiết kế {wastewater_flow_m3_day} m³/ngày "
                "≥ 1.000 m³/ngày: " + _MUST,
            }
        ],
    ),
    _decree_40(
        "dd",
        "đ",
        5,
        summary="đã bị xử phạt về hành vi xả nước thải vượt quy chuẩn kỹ thuật và tái phạm",
        condition={"attr": "repeat_wastewater_violator", "op": "is_true"},
        outcomes=[
            {
                "status": "required",
                "explanation": "Cơ sở đã bị xử phạt vi phạm hành chính về hành vi xả nước thải "
                "vượt quy chuẩn kỹ thuật môi trường và tái phạm: " + _MUST,
            }
        ],
    ),
    _decree_40(
        "e",
        "e",
        6,
        summary="được Ủy ban nhân dân cấp tỉnh chỉ định",
        condition={"attr": "ppc_designated", "op": "is_true"},
        outcomes=[
            {
                "status": "required",
                "explanation": "Cơ sở được Ủy ban nhân dân cấp tỉnh chỉ định: " + _MUST,
            }
        ],
    ),
    _rule(_R08, "row1", 1, citation=_DECREE_08_CITATION, parameters_confidence="to_verify", **_ROW1),
    _rule(
        _R08,
        "row2",
        2,
        label=_ROW2_LABEL,
        citation=_DECREE_08_CITATION,
        summary="loại hình có nguy cơ gây ô nhiễm môi trường, lưu lượng từ 200 m³/ngày",
        condition=_all(_POLLUTION, _flow(">=", 200)),
        exemptions=_ROW_EXEMPTIONS,
        outcomes=[
            {
                "status": "required",
                "explanation": _RISK_TEXT + ", " + _PERMIT_FLOW + " ≥ 200 m³/ngày "
                "(mức trung bình trở lên): " + _MUST,
            }
        ],
        parameters_confidence="to_verify",
    ),
    _rule(
        _R08,
        "row3",
        3,
        label=_ROW3_LABEL,
        citation=_DECREE_08_CITATION,
        summary="loại hình khác, lưu lượng từ 500 m³/ngày",
        condition=_all(_NOT_POLLUTION, _flow(">=", 500)),
        exemptions=_ROW_EXEMPTIONS,
        outcomes=[
            {
                "status": "required",
                "explanation": _OTHER_TEXT + ", " + _PERMIT_FLOW + " ≥ 500 m³/ngày "
                "(mức lớn trở lên): " + _MUST,
            }
        ],
        parameters_confidence="to_verify",
    ),
    _rule(
        _R05,
        "row1",
        1,
        citation=_DECREE_05_CITATION,
        confidence="to_verify",
        parameters_confidence="to_verify",
        **_ROW1,
    ),
    _rule(
        _R05,
        "row2",
        2,
        label=_ROW2_LABEL,
        citation=_DECREE_05_CITATION,
        summary="loại hình có nguy cơ gây ô nhiễm môi trường, lưu lượng từ 200 m³/ngày "
        "(từ 500 m³/ngày: bắt buộc)",
        condition=_all(_POLLUTION, _flow(">=", 200)),
        exemptions=_ROW_EXEMPTIONS,
        outcomes=[
            {
                "when": _flow(">=", 500),
                "status": "required",
                "explanation": _RISK_TEXT + ", " + _PERMIT_FLOW + " ≥ 500 m³/ngày (mức lớn): " + _MUST,
            },
            {
                "status": "optional",
                "explanation": _RISK_TEXT + ", " + _PERMIT_FLOW + ", từ 200 đến dưới 500 "
                "m³/ngày (mức trung bình): " + _MAY,
            },
        ],
        confidence="to_verify",
        parameters_confidence="to_verify",
    ),
    _rule(
        _R05,
        "row3",
        3,
        label=_ROW3_LABEL,
        citation=_DECREE_05_CITATION,
        summary="loại hình khác, lưu lượng từ 500 m³/ngày (từ 1.000 m³/ngày: bắt buộc)",
        condition=_all(_NOT_POLLUTION, _flow(">=", 500)),
        exemptions=_ROW_EXEMPTIONS,
        outcomes=[
            {
                "when": _flow(">=", 1000),
                "status": "required",
                "explanation": _OTHER_TEXT + ", " + _PERMIT_FLOW + " ≥ 1.000 m³/ngày (mức rất lớn): " + _MUST,
            },
            {
                "status": "optional",
                "explanation": _OTHER_TEXT + ", " + _PERMIT_FLOW + ", từ 500 đến dưới 1.000 "
                "m³/ngày (mức lớn): " + _MAY,
            },
        ],
        confidence="to_verify",
        parameters_confidence="to_verify",
    ),
]
