"""Canonical monitoring parameter codes, their kinds and their order.

The order is the one of every ``parameters`` list shown or exported: wastewater
codes, then emission codes, then the ambient-only codes; codes an administrator
adds sort after all of these, alphabetically. ``SO2`` and ``CO`` are both
emission and ambient codes; for a facility they are emission parameters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

WASTEWATER_PARAMETERS: tuple[str, ...] = (
    "FLOW_IN",
    "FLOW_OUT",
    "TEMP",
    "pH",
    "TSS",
    "COD",
    "NH4",
    "BOD5",
    "TN",
    "TP",
    "COLOR",
)
EMISSION_PARAMETERS: tuple[str, ...] = (
    "FLOW_GAS",
    "TEMP_GAS",
    "DUST",
    "SO2",
    "NOX",
    "CO",
    "O2",
    "CL2",
    "HCL",
    "HF",
)
AMBIENT_PARAMETERS: tuple[str, ...] = (
    "PM10",
    "PM2_5",
    "O3",
    "NO2",
    "TEMP_AIR",
    "HUMIDITY",
    "SO2",
    "CO",
)

PARAMETERS_BY_KIND: dict[str, tuple[str, ...]] = {
    "wastewater": WASTEWATER_PARAMETERS,
    "emission": EMISSION_PARAMETERS,
    "ambient": AMBIENT_PARAMETERS,
}

# Kinds a facility's obligation (and so its extra_parameters) can have.
FACILITY_KINDS: tuple[str, ...] = ("wastewater", "emission")


def _build_order() -> tuple[str, ...]:
    order: list[str] = []
    for codes in PARAMETERS_BY_KIND.values():
        order.extend(code for code in codes if code not in order)
    return tuple(order)


CANONICAL_ORDER: tuple[str, ...] = _build_order()
_RANK: dict[str, int] = {code.casefold(): index for index, code in enumerate(CANONICAL_ORDER)}
_SPELLING: dict[str, str] = {code.casefold(): code for code in CANONICAL_ORDER}
# First kind listing a code wins, so SO2 and CO are emission codes.
_KIND: dict[str, str] = {
    code.casefold(): kind for kind, codes in reversed(PARAMETERS_BY_KIND.items()) for code in codes
}


def _key(code: str) -> str:
    return code.strip().casefold()


def _extra_spelling(extra_known: Iterable[str] | None) -> dict[str, str]:
    if not extra_known:
        return {}
    return {_key(code): code.strip() for code in extra_known if code and code.strip()}


def canonical_code(code: str, extra_known: Iterable[str] | None = None) -> str | None:
    """Return the canonical spelling of a known code (case-insensitive), or None."""
    if not code or not code.strip():
        return None
    key = _key(code)
    if key in _SPELLING:
        return _SPELLING[key]
    return _extra_spelling(extra_known).get(key)


def kind_of_parameter(code: str, extra_known: Mapping[str, str] | None = None) -> str | None:
    """Return the kind of a code (SO2 and CO are emission), or None when unknown."""
    if not code or not code.strip():
        return None
    key = _key(code)
    if key in _KIND:
        return _KIND[key]
    for extra_code, kind in (extra_known or {}).items():
        if _key(extra_code) == key:
            return kind
    return None


def sort_parameters(codes: Iterable[str], extra_known: Iterable[str] | None = None) -> list[str]:
    """Return codes deduplicated, canonically spelt, in canonical order, others alphabetically."""
    extra = _extra_spelling(extra_known)
    seen: dict[str, str] = {}
    for code in codes:
        if not code or not code.strip():
            continue
        key = _key(code)
        if key not in seen:
            seen[key] = _SPELLING.get(key) or extra.get(key) or code.strip()
    canonical = sorted((key for key in seen if key in _RANK), key=_RANK.__getitem__)
    others = sorted((key for key in seen if key not in _RANK), key=lambda k: (k, seen[k]))
    return [seen[key] for key in canonical + others]
