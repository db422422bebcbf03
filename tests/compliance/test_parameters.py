"""Canonical parameter codes: order, spelling and kind."""

from __future__ import annotations

import pytest

from app.compliance.parameters import (
    CANONICAL_ORDER,
    canonical_code,
    kind_of_parameter,
    sort_parameters,
)


def test_canonical_order_of_data_format() -> None:
    assert CANONICAL_ORDER == (
        "FLOW_IN", "FLOW_OUT", "TEMP", "pH", "TSS", "COD", "NH4", "BOD5", "TN", "TP", "COLOR",
        "FLOW_GAS", "TEMP_GAS", "DUST", "SO2", "NOX", "CO", "O2", "CL2", "HCL", "HF",
        "PM10", "PM2_5", "O3", "NO2", "TEMP_AIR", "HUMIDITY",
    )  # fmt: skip


def test_sort_puts_canonical_first_then_others_alphabetically() -> None:
    codes = ["zinc", "O2", "NH4", "FLOW_IN", "Arsenic", "pm10", "ph", "so2", "CO"]
    assert sort_parameters(codes) == [
        "FLOW_IN", "pH", "NH4", "SO2", "CO", "O2", "PM10", "Arsenic", "zinc",
    ]  # fmt: skip


def test_sort_deduplicates_case_insensitively_with_canonical_spelling() -> None:
    assert sort_parameters(["cod", "COD", " Cod ", "Hg", "HG", ""]) == ["COD", "Hg"]


def test_sort_uses_administrator_spelling_for_added_codes() -> None:
    assert sort_parameters(["hg", "zn", "TSS"], extra_known=["Zn", "Hg"]) == ["TSS", "Hg", "Zn"]


def test_sort_of_reversed_canonical_order_restores_it() -> None:
    assert sort_parameters(list(reversed(CANONICAL_ORDER))) == list(CANONICAL_ORDER)


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("SO2", "emission"),
        ("so2", "emission"),
        ("CO", "emission"),
        ("co", "emission"),
        ("pH", "wastewater"),
        ("PH", "wastewater"),
        ("temp", "wastewater"),
        ("TEMP_GAS", "emission"),
        ("PM2_5", "ambient"),
        ("no2", "ambient"),
        ("NOX", "emission"),
        ("unknown", None),
        ("", None),
    ],
)
def test_kind_of_parameter(code: str, kind: str | None) -> None:
    assert kind_of_parameter(code) == kind


def test_kind_of_administrator_added_code() -> None:
    assert kind_of_parameter("zn", {"Zn": "wastewater"}) == "wastewater"
    assert kind_of_parameter("zn") is None


@pytest.mark.parametrize(
    ("code", "canonical"),
    [("ph", "pH"), (" nh4 ", "NH4"), ("pm2_5", "PM2_5"), ("hcl", "HCL"), ("X", None), ("", None)],
)
def test_canonical_code(code: str, canonical: str | None) -> None:
    assert canonical_code(code) == canonical
