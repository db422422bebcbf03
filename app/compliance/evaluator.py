"""Evaluate a facility against a regime's rules: which automatic monitoring it owes, and why.

Pure: plain dicts in, plain dicts out; no Flask, no database, no I/O. The clauses are data
(rules_data.py, rules_wastewater.py, rules_emission.py) written in the condition language of
conditions.py; this module only interprets them, with no clause-specific code.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from app.compliance.conditions import (
    BLANK_TEXT,
    as_date,
    check,
    format_value,
    normalize_word,
    number_or_none,
    template_values,
)
from app.compliance.parameters import (
    FACILITY_KINDS,
    canonical_code,
    kind_of_parameter,
    sort_parameters,
)
from app.compliance.rules_data import FACILITY_CONTRADICTIONS
from app.compliance.rules_emission import SOURCE_CAPACITY_REQUIREMENTS, SOURCE_KINDS
from app.formatting import format_date

KINDS: tuple[str, ...] = ("wastewater", "emission")
KIND_NOUNS = {"wastewater": "nước thải", "emission": "khí thải"}
ATTRIBUTE_LABELS = {
    "production_capacity_t_year": "công suất sản xuất (tấn/năm)",
    "wastewater_flow_m3_day": "lưu lượng nước thải (m³/ngày)",
    "capacity": "công suất",
    "capacity_unit": "đơn vị công suất hợp lệ",
}


def regime_for_date(regimes: list[dict[str, Any]], on: date) -> dict[str, Any] | None:
    """Return the regime in force on a date (valid_to inclusive), or None."""
    in_force = []
    for regime in regimes:
        start = as_date(regime.get("valid_from")) or date.min
        if start <= on <= (as_date(regime.get("valid_to")) or date.max):
            in_force.append(regime)
    in_force.sort(key=lambda regime: as_date(regime.get("valid_from")) or date.min)
    return in_force[-1] if in_force else None


def deadline_for(regime: Mapping[str, Any], facility: Mapping[str, Any]) -> date | None:
    """Return the deadline of an obligation that applies, for this facility and regime."""
    override = as_date(facility.get("obligation_deadline"))
    if override is not None:
        return override
    base = as_date(regime.get("deadline"))
    start = as_date(facility.get("operation_start_date"))
    if base is not None and start is not None and start > base:
        return start
    return base


def _deadline_sentence(regime: Mapping[str, Any], facility: Mapping[str, Any]) -> str:
    deadline = deadline_for(regime, facility)
    if facility.get("obligation_deadline"):
        return (
            f"Thời hạn: {format_date(deadline)}, theo thời hạn ấn định riêng cho cơ sở "
            "(quyết định xử phạt hoặc văn bản của Ủy ban nhân dân cấp tỉnh)."
        )
    if deadline is not None and deadline != as_date(regime.get("deadline")):
        return (
            f"Thời hạn: {format_date(deadline)}, ngày cơ sở bắt đầu vận hành (dự án mới phải "
            "quan trắc tự động, liên tục trước khi đi vào vận hành)."
        )
    note = regime.get("deadline_note") or ""
    return note.replace("{deadline}", format_date(deadline)) if deadline else note


def _missing(rule: Mapping[str, Any], attrs: list[str], source: str | None = None) -> list[dict]:
    entries = []
    for attr in attrs:
        entry = {
            "clause": rule["clause"],
            "label": rule.get("label", rule["clause"]),
            "attribute": attr,
        }
        if source is not None:
            entry["source"] = source
        entries.append(entry)
    return entries


def _triggered(rule: Mapping[str, Any], sources: list[dict[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {"sources": [], "parameters": [], "missing": [], "texts": {}}
    for source in sources:
        kind = normalize_word(source.get("source_kind"))
        for trigger in rule["triggers"]:
            if kind not in {normalize_word(k) for k in trigger["source_kinds"]}:
                continue
            holds, attrs = check(trigger.get("condition", {"type": "always"}), source)
            code = str(source.get("source_code") or "")
            if holds:
                found["sources"].append(code)
                found["parameters"].extend(trigger["parameters"])
                template = rule.get("source_text", "{source_code}")
                found["texts"][code] = template.format_map(template_values(source))
            elif holds is None:
                found["missing"].extend(_missing(rule, attrs, code))
            break
    return found


def _outcome(rule: Mapping[str, Any], facility: Mapping[str, Any]) -> Mapping[str, Any]:
    for outcome in rule["outcomes"]:
        if "when" not in outcome or check(outcome["when"], facility)[0] is True:
            return outcome
    raise ValueError(f"rule {rule['regime']}/{rule['clause']} has no outcome for this facility")


def evaluate_rule(
    rule: Mapping[str, Any], facility: Mapping[str, Any], sources: list[dict[str, Any]]
) -> dict[str, Any]:
    """Judge one clause: whether it applies, its status, sources, parameters and sentence."""
    result: dict[str, Any] = {"rule": rule, "applies": False, "missing": [], "exempted_by": None}
    holds, attrs = check(rule["condition"], facility)
    exemption = next(
        (ex for ex in rule.get("exemptions", []) if check(ex["condition"], facility)[0] is True),
        None,
    )
    if exemption is not None:
        # An exempted clause never applies: nothing is missing for it, whatever is blank.
        result["exempted_by"] = exemption["reason"] if holds else None
        return result
    if holds is None:
        result["missing"] = _missing(rule, attrs)
    if not holds:
        return result
    found = {"sources": [], "parameters": list(rule.get("parameters", [])), "texts": {}}
    if "triggers" in rule:
        found = _triggered(rule, sources)
        result["missing"] = found["missing"]
        if not found["sources"]:
            return result
    outcome = _outcome(rule, facility)
    listed = "; ".join(found["texts"][code] for code in sorted(found["texts"]))
    values = template_values(facility, citation=rule["citation"], label=rule["label"], sources=listed)
    result.update(
        applies=True,
        status=outcome["status"],
        sources=found["sources"],
        parameters=found["parameters"],
        sentence=outcome["explanation"].format_map(values),
    )
    return result


def _extra_parameters(facility: Mapping[str, Any], kind: str, known: Mapping[str, str] | None) -> list[str]:
    codes = []
    for code in facility.get("extra_parameters") or []:
        if kind_of_parameter(code, known) == kind:
            codes.append(canonical_code(code, known) or code.strip())
    return codes


def _missing_sentence(entry: Mapping[str, Any]) -> str:
    what = ATTRIBUTE_LABELS.get(entry["attribute"], entry["attribute"])
    whose = f" của nguồn thải {entry['source']}" if "source" in entry else " của cơ sở"
    return f"Thiếu {what}{whose}, cần để xét {entry['label']}: chưa thể xác định nghĩa vụ theo quy định này."


def _none_sentences(
    kind: str,
    regime: Mapping[str, Any],
    facility: Mapping[str, Any],
    source_count: int,
    results: list[dict],
) -> list[str]:
    noun = KIND_NOUNS[kind]
    if not results:
        return [f"{regime['name']} không có quy định về quan trắc {noun} tự động, liên tục."]
    checked = "; ".join(r["rule"]["summary"] for r in results)
    if kind == "wastewater":
        flow = format_value(facility.get("wastewater_flow_m3_day"))
        fact = f"lưu lượng nước thải của cơ sở: {flow} m³/ngày"
    else:
        fact = f"số nguồn thải khí thải đã khai báo: {source_count}"
    sentences = [
        (
            f"Theo {regime['name']}, cơ sở không thuộc trường hợp phải quan trắc {noun} tự động, "
            f"liên tục (đã xét: {checked}; {fact})."
        )
    ]
    for r in results:
        if r["exempted_by"]:
            label = r["rule"]["label"]
            sentences.append(f"{label[0].upper()}{label[1:]} không áp dụng vì {r['exempted_by']}.")
    return sentences


def _obligation(
    kind: str,
    regime: Mapping[str, Any],
    rules: list[Mapping[str, Any]],
    facility: Mapping[str, Any],
    sources: list[dict[str, Any]],
    known: Mapping[str, str] | None,
) -> dict[str, Any]:
    ordered = sorted((r for r in rules if r["kind"] == kind), key=lambda r: r["order"])
    results = [evaluate_rule(rule, facility, sources) for rule in ordered]
    applying = [r for r in results if r["applies"]]
    missing = [entry for r in results for entry in r["missing"]]
    if not applying:
        status = "not_required"
    elif any(r["status"] == "required" for r in applying):
        status = "required"
    else:
        status = "optional"
    parameters: list[str] = []
    sentences = [r["sentence"] for r in applying]
    if applying:
        parameters = [code for r in applying for code in r["parameters"]]
        parameters += _extra_parameters(facility, kind, known)
        sentences.append(_deadline_sentence(regime, facility))
    else:
        sentences += _none_sentences(kind, regime, facility, len(sources), results)
    sentences += [_missing_sentence(entry) for entry in missing]
    return {
        "kind": kind,
        "status": status,
        "clauses": [r["rule"]["clause"] for r in applying],
        "sources": sorted({code for r in applying for code in r["sources"]}),
        "parameters": sort_parameters(parameters, extra_known=list(known or {})),
        "deadline": deadline_for(regime, facility) if applying else None,
        "explanation": " ".join(sentences),
        "missing": [{k: v for k, v in entry.items() if k != "label"} for entry in missing],
        "citations": [
            {
                "clause": r["rule"]["clause"],
                "citation": r["rule"]["citation"],
                "confidence": r["rule"].get("confidence", "to_verify"),
            }
            for r in applying
        ],
        "exempted": [
            {"clause": r["rule"]["clause"], "reason": r["exempted_by"]} for r in results if r["exempted_by"]
        ],
    }


def evaluate(
    facility: dict[str, Any],
    sources: list[dict[str, Any]],
    regime: dict[str, Any],
    rules: list[dict[str, Any]],
    known_parameters: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Return the facility's two obligations under a regime: wastewater, then emission."""
    own_rules = [rule for rule in rules if rule["regime"] == regime["code"]]
    return [_obligation(kind, regime, own_rules, facility, sources, known_parameters) for kind in KINDS]


def _source_problems(source: Mapping[str, Any]) -> list[dict[str, str]]:
    code = str(source.get("source_code") or "").strip() or "(không có mã)"
    kind = normalize_word(source.get("source_kind"))
    if kind not in SOURCE_KINDS:
        shown = str(source.get("source_kind") or "").strip()
        what = f"loại nguồn thải “{shown}” không hợp lệ" if shown else "chưa khai báo loại nguồn thải"
        message = f"Nguồn thải {code}: {what} (giá trị hợp lệ: {', '.join(SOURCE_KINDS)})."
        return [{"field": "source_kind", "message": message, "source_code": code}]
    units = SOURCE_CAPACITY_REQUIREMENTS.get(kind)
    if units is None:
        return []
    problems = []
    if number_or_none(source.get("capacity")) is None:
        problems.append(
            {
                "field": "capacity",
                "message": f"Nguồn thải {code}: lò đốt chất thải phải khai báo công suất.",
                "source_code": code,
            }
        )
    unit = str(source.get("capacity_unit") or "").strip()
    if normalize_word(unit) not in {normalize_word(u) for u in units}:
        shown = f"“{unit}”" if unit else BLANK_TEXT
        allowed = " hoặc ".join(units)
        problems.append(
            {
                "field": "capacity_unit",
                "message": f"Nguồn thải {code}: đơn vị công suất của lò đốt chất thải phải là "
                f"{allowed} (đã khai báo: {shown}).",
                "source_code": code,
            }
        )
    return problems


def validate_facility(
    facility: Mapping[str, Any],
    sources: list[dict[str, Any]],
    known_parameters: Mapping[str, str] | None = None,
) -> list[dict[str, str]]:
    """Return the contradictions that make a facility and its sources refused at import."""
    problems = [
        {"field": rule["field"], "message": rule["message"]}
        for rule in FACILITY_CONTRADICTIONS
        if check(rule["condition"], facility)[0] is True
    ]
    for source in sources:
        problems.extend(_source_problems(source))
    for code in facility.get("extra_parameters") or []:
        if kind_of_parameter(code, known_parameters) not in FACILITY_KINDS:
            problems.append(
                {
                    "field": "extra_parameters",
                    "message": f"Mã thông số “{str(code).strip()}” không phải mã thông số nước thải "
                    "hoặc khí thải đã biết.",
                }
            )
    return problems
