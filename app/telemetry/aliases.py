"""Canonical monitoring parameters per station kind and the names stations use for them.

Pure data and helpers: the canonical order of parameters, the starting alias tables and
the merging of aliases an administrator adds (per kind, or per station).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from types import MappingProxyType

from app.compliance.parameters import PARAMETERS_BY_KIND

STATION_KINDS: tuple[str, ...] = ("wastewater", "emission", "ambient")

# The one table of canonical codes per kind (app/compliance/parameters.py).
CANONICAL_PARAMETERS: Mapping[str, tuple[str, ...]] = MappingProxyType(dict(PARAMETERS_BY_KIND))

# Names as the contract lists them; canonical codes are added as aliases of themselves.
_STARTING_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "wastewater": {
        "pH": ("pH", "PH"),
        "TSS": ("TSS", "SS"),
        "COD": ("COD",),
        "NH4": ("NH4+", "NH4", "N-NH4", "Amoni", "NH4_N"),
        "TEMP": ("Temp", "Temperature", "Nhiet do", "Nhiệt độ", "T"),
        "FLOW_IN": ("Flow_in", "Luu luong vao", "Q_in"),
        "FLOW_OUT": ("Flow_out", "Flow", "Luu luong", "Lưu lượng", "Q", "Q_out"),
    },
    "emission": {
        "FLOW_GAS": ("Flow_gas", "Flow", "Luu luong khi thai", "Lưu lượng", "Q"),
        "TEMP_GAS": ("Temp_gas", "Temp", "Nhiet do khi thai", "Nhiệt độ", "T"),
        "DUST": ("Dust", "Bui", "Bụi", "PM"),
        "NOX": ("NOx", "NOX", "NO2"),
    },
    "ambient": {
        "PM10": ("PM10",),
        "PM2_5": ("PM2.5", "PM2_5", "PM25"),
        "O3": ("O3",),
        "NO2": ("NO2",),
        "TEMP_AIR": ("Temp", "Nhiet do", "Nhiệt độ"),
        "HUMIDITY": ("RH", "Humidity", "Do am", "Độ ẩm"),
    },
}


@lru_cache(maxsize=4096)
def alias_key(name: str) -> str:
    """Return the form under which a parameter name is compared (NFC, case-folded)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


def _build_default_aliases() -> Mapping[str, Mapping[str, str]]:
    tables: dict[str, Mapping[str, str]] = {}
    for kind in STATION_KINDS:
        table: dict[str, str] = {}
        for code in CANONICAL_PARAMETERS[kind]:
            table[alias_key(code)] = code
        for code, names in _STARTING_ALIASES[kind].items():
            for name in names:
                table[alias_key(name)] = code
        tables[kind] = MappingProxyType(table)
    return MappingProxyType(tables)


DEFAULT_ALIASES: Mapping[str, Mapping[str, str]] = _build_default_aliases()
"""Starting alias tables: kind -> {alias_key(name): canonical code}."""


def canonical_parameters(kind: str) -> tuple[str, ...]:
    """Return the canonical parameter codes of a station kind, in contract order."""
    return CANONICAL_PARAMETERS.get(kind, ())


def parameter_sort_key(kind: str, code: str) -> tuple[int, str, str]:
    """Return a key ordering codes canonically, then other codes alphabetically."""
    order = canonical_parameters(kind)
    if code in order:
        return (order.index(code), "", "")
    return (len(order), code.casefold(), code)


def sort_parameters(kind: str, codes: Iterable[str]) -> list[str]:
    """Return distinct codes in the order of the kind's parameter lists."""
    return sorted(set(codes), key=lambda code: parameter_sort_key(kind, code))


def _add_aliases(target: dict[str, str], table: Mapping[str, str]) -> None:
    """Add names of table to target; a canonical code aliases itself unless already taken."""
    for code in table.values():
        target.setdefault(alias_key(code), code)
    for name, code in table.items():
        target[alias_key(name)] = code


def normalise_alias_table(table: Mapping[str, str]) -> dict[str, str]:
    """Return a flat alias table keyed by alias_key, canonical codes aliasing themselves."""
    result: dict[str, str] = {}
    _add_aliases(result, table)
    return result


def merge_aliases(
    base: Mapping[str, Mapping[str, str]],
    added: Mapping[str, Mapping[str, str]],
) -> dict[str, dict[str, str]]:
    """Return base with administrator-added aliases (kind -> {name: code}) taking precedence."""
    merged = {kind: normalise_alias_table(table) for kind, table in base.items()}
    for kind, table in added.items():
        _add_aliases(merged.setdefault(kind, {}), table)
    return merged


def station_aliases(
    kind: str,
    kind_aliases: Mapping[str, Mapping[str, str]] = DEFAULT_ALIASES,
    station_added: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Return the flat alias table of one station: its kind's table plus its own aliases."""
    table = normalise_alias_table(kind_aliases.get(kind, {}))
    for code in canonical_parameters(kind):
        table.setdefault(alias_key(code), code)
    if station_added:
        _add_aliases(table, station_added)
    return table
