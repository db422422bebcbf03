"""Strict checks of the rule data an administrator records: shape, conditions, parameters, sentences.

A rule is evaluated unattended for every facility, so data that would make the evaluator fail
or silently never apply (an unknown operator or attribute, a misspelt parameter code, a sentence
with a stray brace, no default outcome) is refused with every problem named by its place in the
rule (``condition.of.1``). The shape is the one of rules_data.py; conditions are the language of
conditions.py.
"""

from __future__ import annotations

import json
import re
from string import Formatter
from typing import Any

from flask_babel import gettext as _

from app.compliance.models import RuleVersion
from app.compliance.parameters import PARAMETERS_BY_KIND, canonical_code
from app.compliance.rules_emission import SOURCE_KINDS
from app.errors import DomainError
from app.facilities.models import RULE_ATTRIBUTES

# Keys of the stored data that the system sets from the version's columns.
SYSTEM_KEYS = ("valid_from", "valid_to", "confidence")
FIXED_KEYS = ("regime", "kind", "clause", "order")
_COMMON_KEYS = {*FIXED_KEYS, "label", "citation", "summary", "condition", "exemptions", "outcomes"}
RULE_KEYS = {
    "wastewater": frozenset({*_COMMON_KEYS, "parameters", "parameters_confidence"}),
    "emission": frozenset({*_COMMON_KEYS, "triggers", "source_text", "parameters_confidence"}),
}
HEADER_KEYS = frozenset({"code", "name", "deadline", "deadline_note"})
FACILITY_ATTRIBUTES = frozenset({*RULE_ATTRIBUTES, "facility_code"})
SOURCE_ATTRIBUTES = frozenset(
    {"source_code", "source_kind", "fuel", "capacity", "capacity_unit", "flow_m3_h"}
)
SENTENCE_NAMES = FACILITY_ATTRIBUTES | {"citation", "label", "sources"}
ORDERING = frozenset({">=", ">", "<=", "<"})
OPERATORS = frozenset({"is_true", "is_false", "==", "!=", "in", "fuel_is", *ORDERING})
_NODE_KEYS = {
    "all": {"type", "of"},
    "any": {"type", "of"},
    "not": {"type", "of"},
    "always": {"type"},
    "compare": {"type", "attr", "op", "value", "units", "unit_attr"},
}
_CODE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class RuleDataError(DomainError):
    """Rule data refused: every problem found, each naming its place."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def parse_json(text: str) -> dict[str, Any]:
    """The rule as a JSON object, or RuleDataError naming the line and column that are wrong."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        message = _(
            "The JSON is not valid: %(error)s (line %(line)d, column %(column)d).",
            error=exc.msg,
            line=exc.lineno,
            column=exc.colno,
        )
        raise RuleDataError([message]) from None
    if not isinstance(data, dict):
        raise RuleDataError([_("The rule must be a JSON object.")])
    return data


class _Checker:
    """Collects the problems of one piece of rule data."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, message: str) -> None:
        self.problems.append(message)

    def keys(self, node: dict[str, Any], allowed: set[str] | frozenset[str], where: str) -> None:
        for key in node:
            if key not in allowed:
                place = f"{where}.{key}" if where else key
                self.add(_("%(where)s: this key is not allowed here.", where=place))

    def text(self, node: dict[str, Any], key: str, where: str = "") -> None:
        place = f"{where}.{key}" if where else key
        if not _text(node.get(key)):
            self.add(_("%(where)s must be a non-empty text.", where=place))

    def condition(self, node: Any, where: str, attrs: frozenset[str]) -> None:
        if not isinstance(node, dict):
            self.add(_("%(where)s must be a condition (a JSON object).", where=where))
            return
        kind = node.get("type", "compare")
        if kind not in _NODE_KEYS:
            self.add(_("%(where)s: unknown condition type “%(type)s”.", where=where, type=kind))
            return
        self.keys(node, _NODE_KEYS[kind], where)
        if kind in ("all", "any"):
            children = node.get("of")
            if not isinstance(children, list) or not children:
                self.add(_("%(where)s must be a non-empty list.", where=f"{where}.of"))
                return
            for index, child in enumerate(children):
                self.condition(child, f"{where}.of.{index}", attrs)
        elif kind == "not":
            self.condition(node.get("of"), f"{where}.of", attrs)
        elif kind == "compare":
            self.comparison(node, where, attrs)

    def comparison(self, node: dict[str, Any], where: str, attrs: frozenset[str]) -> None:
        attr, op, value = node.get("attr"), node.get("op"), node.get("value")
        if attr not in attrs:
            self.add(_("%(where)s: unknown attribute “%(attr)s”.", where=where, attr=attr))
        if op not in OPERATORS:
            self.add(_("%(where)s: unknown operator “%(op)s”.", where=where, op=op))
            return
        if op in ("is_true", "is_false"):
            if "value" in node:
                self.add(_("%(where)s: “%(op)s” takes no value.", where=where, op=op))
        elif op in ORDERING and not _number(value):
            self.add(_("%(where)s: the value must be a number.", where=where))
        elif op in ("==", "!=") and not (_number(value) or _text(value)):
            self.add(_("%(where)s: the value must be a text or a number.", where=where))
        elif op == "fuel_is" and not _text(value):
            self.add(_("%(where)s must be a non-empty text.", where=f"{where}.value"))
        elif op == "in" and not (
            isinstance(value, list) and value and all(_number(v) or _text(v) for v in value)
        ):
            self.add(_("%(where)s: the value must be a non-empty list of texts or numbers.", where=where))
        if "units" in node or "unit_attr" in node:
            units = node.get("units")
            good = (
                op in ORDERING
                and node.get("unit_attr") in attrs
                and isinstance(units, dict)
                and bool(units)
                and all(_text(u) and _number(f) and f > 0 for u, f in units.items())
            )
            if not good:
                self.add(
                    _(
                        "%(where)s: “units” must map unit names to positive numbers, with “unit_attr” "
                        "naming the attribute that holds the unit, on a number comparison.",
                        where=where,
                    )
                )

    def sentence(self, text: Any, where: str, names: frozenset[str]) -> None:
        if not _text(text):
            self.add(_("%(where)s must be a non-empty text.", where=where))
            return
        try:
            fields = [field for _lit, field, _spec, _conv in Formatter().parse(text) if field is not None]
        except ValueError:
            self.add(_("%(where)s: a brace { or } is not closed or not opened.", where=where))
            return
        for field in fields:
            if field not in names:
                self.add(_("%(where)s: unknown placeholder “%(name)s”.", where=where, name=field))

    def parameters(self, codes: Any, where: str, kind: str) -> None:
        if not isinstance(codes, list) or not codes:
            self.add(_("%(where)s must be a non-empty list.", where=where))
            return
        allowed = PARAMETERS_BY_KIND[kind]
        for code in codes:
            canonical = canonical_code(code) if isinstance(code, str) else None
            if canonical not in allowed:
                known = ", ".join(allowed)
                message = _(
                    "%(where)s: unknown parameter code “%(code)s” (known: %(known)s).",
                    where=where,
                    code=code,
                    known=known,
                )
                self.add(message)
            elif code != canonical:
                self.add(
                    _(
                        "%(where)s: write “%(code)s” as “%(canonical)s”.",
                        where=where,
                        code=code,
                        canonical=canonical,
                    )
                )
        seen = [c for c in codes if isinstance(c, str)]
        for code in dict.fromkeys(c for c in seen if seen.count(c) > 1):
            self.add(_("%(where)s: “%(code)s” is listed twice.", where=where, code=code))

    def items(self, node: dict[str, Any], key: str, required: bool = True) -> list[tuple[str, dict]]:
        value = node.get(key, None if required else [])
        if not isinstance(value, list) or (required and not value):
            self.add(_("%(where)s must be a non-empty list.", where=key))
            return []
        found = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                found.append((f"{key}.{index}", item))
            else:
                self.add(_("%(where)s must be a JSON object.", where=f"{key}.{index}"))
        return found


def _check_fixed(check: _Checker, data: dict[str, Any], base: dict[str, Any], keys: tuple[str, ...]) -> None:
    for key in SYSTEM_KEYS:
        if key in data:
            check.add(_("%(key)s is set by the form fields, not in the JSON.", key=key))
    for key in keys:
        if data.get(key) != base.get(key):
            check.add(_("%(key)s must stay “%(value)s”.", key=key, value=base.get(key)))


def validate_rule(data: dict[str, Any], base: RuleVersion) -> dict[str, Any]:
    """The data of a new version of ``base``'s clause, checked strictly (RuleDataError otherwise)."""
    check = _Checker()
    _check_fixed(check, data, base.data, FIXED_KEYS)
    check.keys(data, RULE_KEYS[base.kind], "")
    for key in ("label", "citation", "summary"):
        check.text(data, key)
    check.condition(data.get("condition"), "condition", FACILITY_ATTRIBUTES)
    for where, exemption in check.items(data, "exemptions", required=False):
        check.keys(exemption, {"condition", "reason"}, where)
        check.condition(exemption.get("condition"), f"{where}.condition", FACILITY_ATTRIBUTES)
        check.text(exemption, "reason", where)
    outcomes = check.items(data, "outcomes")
    for index, (where, outcome) in enumerate(outcomes):
        check.keys(outcome, {"when", "status", "explanation"}, where)
        if "when" in outcome:
            check.condition(outcome["when"], f"{where}.when", FACILITY_ATTRIBUTES)
            if index == len(outcomes) - 1:
                check.add(
                    _(
                        "%(where)s: the last outcome must have no “when”, so that it always gives a status.",
                        where=where,
                    )
                )
        if outcome.get("status") not in ("required", "optional"):
            check.add(_("%(where)s must be “required” or “optional”.", where=f"{where}.status"))
        check.sentence(outcome.get("explanation"), f"{where}.explanation", SENTENCE_NAMES)
    if base.kind == "wastewater":
        check.parameters(data.get("parameters"), "parameters", "wastewater")
    else:
        for where, trigger in check.items(data, "triggers"):
            check.keys(trigger, {"source_kinds", "condition", "parameters"}, where)
            kinds = trigger.get("source_kinds")
            if not isinstance(kinds, list) or not kinds:
                check.add(_("%(where)s must be a non-empty list.", where=f"{where}.source_kinds"))
            for kind in kinds if isinstance(kinds, list) else []:
                if kind not in SOURCE_KINDS:
                    check.add(
                        _(
                            "%(where)s: unknown source kind “%(kind)s”.",
                            where=f"{where}.source_kinds",
                            kind=kind,
                        )
                    )
            if "condition" in trigger:
                check.condition(trigger["condition"], f"{where}.condition", SOURCE_ATTRIBUTES)
            check.parameters(trigger.get("parameters"), f"{where}.parameters", "emission")
        if "source_text" in data:
            check.sentence(data["source_text"], "source_text", SOURCE_ATTRIBUTES)
    if data.get("parameters_confidence", "to_verify") not in ("confirmed", "to_verify"):
        check.add(_("%(where)s must be “confirmed” or “to_verify”.", where="parameters_confidence"))
    if check.problems:
        raise RuleDataError(check.problems)
    return data


def validate_header(data: dict[str, Any], base: RuleVersion) -> dict[str, Any]:
    """The data of a new version of a regime header, checked strictly (RuleDataError otherwise)."""
    check = _Checker()
    _check_fixed(check, data, base.data, ("code",))
    check.keys(data, HEADER_KEYS, "")
    check.text(data, "name")
    deadline = data.get("deadline")
    if deadline is not None and not (isinstance(deadline, str) and _DATE.match(deadline)):
        check.add(_("%(where)s must be a date YYYY-MM-DD or null.", where="deadline"))
    note = data.get("deadline_note", "")
    if not isinstance(note, str):
        check.add(_("%(where)s must be a text.", where="deadline_note"))
    elif note.strip():
        check.sentence(note, "deadline_note", frozenset({"deadline"}))
    if check.problems:
        raise RuleDataError(check.problems)
    return data


def check_regime_code(code: str, existing: list[str]) -> None:
    """Refuse a new regime code that is malformed or taken."""
    if not _CODE.match(code or "") or len(code) > 60:
        message = _("The code must be lower-case letters and digits joined by hyphens, e.g. decree-48-2026.")
        raise DomainError(message, field="code")
    if code in existing:
        raise DomainError(_("The regime %(code)s already exists.", code=code), field="code")
