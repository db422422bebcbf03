"""Coverage and "serves", pure: plain obligations and stations in, missing parameters out."""

from __future__ import annotations

from app.compliance.rules_data import seed_rules
from app.stations.coverage import (
    ObligationFacts,
    StationFacts,
    cover,
    facility_coverage,
    has_missing,
    is_under_obligation,
    serves,
    serves_any,
    source_parameters,
)

WASTEWATER = ("FLOW_IN", "FLOW_OUT", "TEMP", "pH", "TSS", "COD", "NH4")


def ww(status: str = "required", choice: str | None = None, parameters=WASTEWATER) -> ObligationFacts:
    return ObligationFacts("wastewater", status, (), tuple(parameters), choice)


def em(sources=("K1", "M1"), status: str = "required", per_source=None, choice=None) -> ObligationFacts:
    parameters = ("FLOW_GAS", "TEMP_GAS", "DUST", "SO2", "NOX", "CO", "O2")
    return ObligationFacts("emission", status, tuple(sources), parameters, choice, per_source or {})


def test_under_obligation_when_required_or_optional_with_automatic_chosen() -> None:
    assert is_under_obligation("required", None)
    assert is_under_obligation("required", "periodic")
    assert is_under_obligation("optional", "automatic")
    assert not is_under_obligation("optional", None)
    assert not is_under_obligation("optional", "periodic")
    assert not is_under_obligation("not_required", "automatic")
    assert not is_under_obligation(None, None)


def test_a_station_serves_only_an_obligation_of_its_own_kind() -> None:
    assert serves("wastewater", None, "wastewater", "required", (), None)
    assert not serves("wastewater", None, "emission", "required", ("K1",), None)
    assert not serves("emission", "K1", "wastewater", "required", (), None)


def test_an_emission_station_serves_when_its_source_triggers_or_is_blank() -> None:
    assert serves("emission", "K1", "emission", "required", ("K1", "M1"), None)
    assert serves("emission", "k1", "emission", "required", ("K1",), None)
    assert serves("emission", None, "emission", "required", ("K1",), None)
    assert not serves("emission", "B1", "emission", "required", ("K1", "M1"), None)


def test_optional_is_served_once_automatic_is_chosen() -> None:
    assert not serves("wastewater", None, "wastewater", "optional", (), None)
    assert not serves("wastewater", None, "wastewater", "optional", (), "periodic")
    assert serves("wastewater", None, "wastewater", "optional", (), "automatic")


def test_ambient_is_always_required() -> None:
    assert serves_any(StationFacts("A1", "ambient"), [])
    assert not serves_any(StationFacts("W1", "wastewater"), [])
    assert serves_any(StationFacts("W1", "wastewater"), [ww()])
    assert not serves_any(StationFacts("W1", "wastewater"), [ww("not_required")])


def test_wastewater_coverage_is_the_union_of_the_serving_stations() -> None:
    stations = [
        StationFacts("W1", "wastewater", None, ("FLOW_OUT", "TEMP", "pH", "TSS")),
        StationFacts("W2", "wastewater", None, ("cod", "FLOW_IN")),
        StationFacts("E1", "emission", None, ("NH4",)),
    ]
    found = cover(ww(), stations)
    assert found.is_under_obligation and found.has_missing
    (target,) = found.targets
    assert target.source is None
    assert target.missing == ["NH4"]
    assert target.stations == ["W1", "W2"]
    assert target.monitored == ["FLOW_IN", "FLOW_OUT", "TEMP", "pH", "TSS", "COD"]
    stations.append(StationFacts("W3", "wastewater", None, ("NH4",)))
    assert not cover(ww(), stations).has_missing


def test_no_station_means_every_parameter_missing() -> None:
    (target,) = cover(ww(), []).targets
    assert target.missing == list(WASTEWATER)
    assert target.stations == []


def test_emission_coverage_per_source_counts_only_stations_naming_it() -> None:
    per_source = {
        "K1": ("FLOW_GAS", "TEMP_GAS", "DUST", "SO2", "NOX", "CO", "O2"),
        "M1": ("FLOW_GAS", "DUST"),
    }
    stations = [
        StationFacts("EK1", "emission", "K1", per_source["K1"]),
        # A blank-source station serves the obligation but covers no source.
        StationFacts("EX", "emission", None, ("FLOW_GAS", "DUST")),
        StationFacts("EB1", "emission", "B1", ("FLOW_GAS", "DUST")),
    ]
    found = cover(em(per_source=per_source), stations)
    by_source = {t.source: t for t in found.targets}
    assert list(by_source) == ["K1", "M1"]
    assert by_source["K1"].missing == [] and by_source["K1"].stations == ["EK1"]
    assert by_source["M1"].missing == ["FLOW_GAS", "DUST"] and by_source["M1"].stations == []
    assert found.has_missing
    stations.append(StationFacts("EM1", "emission", "M1", ("DUST", "FLOW_GAS")))
    assert not cover(em(per_source=per_source), stations).has_missing


def test_emission_source_without_its_own_list_needs_the_obligation_parameters() -> None:
    found = cover(em(sources=("K1",)), [StationFacts("EK1", "emission", "K1", ("FLOW_GAS", "DUST"))])
    assert found.targets[0].missing == ["TEMP_GAS", "SO2", "NOX", "CO", "O2"]


def test_optional_without_choice_or_periodic_has_no_target() -> None:
    pending = cover(ww("optional"), [])
    assert pending.needs_choice and not pending.is_under_obligation and pending.targets == []
    periodic = cover(ww("optional", "periodic"), [])
    assert not periodic.needs_choice and periodic.targets == []
    automatic = cover(ww("optional", "automatic"), [])
    assert automatic.is_under_obligation and automatic.targets[0].missing == list(WASTEWATER)


def test_facility_flag() -> None:
    assert has_missing(facility_coverage([ww("not_required"), em(status="not_required")], [])) is None
    assert has_missing(facility_coverage([em(), ww()], [])) is True
    complete = [StationFacts("W1", "wastewater", None, WASTEWATER)]
    found = facility_coverage([em(status="not_required"), ww()], complete)
    assert [c.kind for c in found] == ["wastewater", "emission"]
    assert has_missing(found) is False


def test_source_parameters_come_from_each_sources_own_trigger() -> None:
    rules = [r for r in seed_rules() if r["regime"] == "decree-05-2025" and r["clause"] == "cement"]
    assert rules
    facility = {"industry_type": "cement", "extra_parameters": ["HF", "BOD5"]}
    sources = [
        {"source_code": "K1", "source_kind": "clinker_kiln"},
        {"source_code": "M1", "source_kind": "cement_mill"},
        {"source_code": "B1", "source_kind": "boiler"},
    ]
    found = source_parameters(rules, facility, sources, ["K1", "M1"])
    assert found == {
        "K1": ("FLOW_GAS", "TEMP_GAS", "DUST", "SO2", "NOX", "CO", "O2", "HF"),
        "M1": ("FLOW_GAS", "DUST", "HF"),
    }
