"""Coverage of stored obligations by a facility's stations, and the facility's recorded choice."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.errors import DomainError
from app.extensions import db
from app.stations.coverage_services import facility_stations, missing_flags, record_monitoring_choice
from tests.stations.helpers import AS_OF, source_of

WASTEWATER = ["FLOW_IN", "FLOW_OUT", "TEMP", "pH", "TSS", "COD", "NH4"]
KILN = ["FLOW_GAS", "TEMP_GAS", "DUST", "SO2", "NOX", "CO", "O2"]


def by_kind(facility) -> dict:
    return {c.kind: c for c in facility_stations(facility, AS_OF).coverages}


def test_wastewater_required_parameters_against_its_stations(wastewater_required, make_station) -> None:
    found = by_kind(wastewater_required)["wastewater"]
    assert found.is_under_obligation
    assert found.targets[0].missing == WASTEWATER
    make_station(wastewater_required, parameters=["FLOW_IN", "FLOW_OUT", "TEMP", "pH"])
    make_station(wastewater_required, parameters=["TSS", "COD"])
    make_station(wastewater_required, kind="ambient", parameters=["PM10"])
    (target,) = by_kind(wastewater_required)["wastewater"].targets
    assert target.missing == ["NH4"]
    assert len(target.stations) == 2
    assert not by_kind(wastewater_required)["emission"].is_under_obligation


def test_emission_every_triggering_source_must_be_covered(cement, make_station) -> None:
    found = by_kind(cement)["emission"]
    assert [(t.source, t.required) for t in found.targets] == [("K1", KILN), ("M1", ["FLOW_GAS", "DUST"])]
    make_station(cement, kind="emission", source=source_of(cement, "K1"), parameters=KILN)
    # A station without a source, or measuring a source that triggers nothing, covers no source.
    make_station(cement, kind="emission", parameters=["FLOW_GAS", "DUST"])
    make_station(cement, kind="emission", source=source_of(cement, "B1"), parameters=["FLOW_GAS", "DUST"])
    targets = {t.source: t for t in by_kind(cement)["emission"].targets}
    assert targets["K1"].missing == []
    assert targets["M1"].missing == ["FLOW_GAS", "DUST"]
    assert missing_flags([cement], AS_OF) == {cement.id: True}
    make_station(cement, kind="emission", source=source_of(cement, "M1"), parameters=["DUST", "FLOW_GAS"])
    assert missing_flags([cement], AS_OF) == {cement.id: False}


def test_optional_coverage_follows_the_choice(wastewater_optional, make_station) -> None:
    make_station(wastewater_optional, parameters=["pH"])
    found = by_kind(wastewater_optional)["wastewater"]
    assert found.needs_choice and found.targets == []
    assert missing_flags([wastewater_optional], AS_OF) == {wastewater_optional.id: None}
    wastewater_optional.wastewater_monitoring_choice = "automatic"
    found = by_kind(wastewater_optional)["wastewater"]
    assert found.is_under_obligation and "pH" not in found.targets[0].missing
    assert missing_flags([wastewater_optional], AS_OF) == {wastewater_optional.id: True}


def test_flags_for_a_page_of_facilities(wastewater_required, not_obliged, cement, make_station) -> None:
    make_station(wastewater_required, parameters=WASTEWATER)
    assert missing_flags([wastewater_required, not_obliged, cement], AS_OF) == {
        wastewater_required.id: False,
        not_obliged.id: None,
        cement.id: True,
    }
    assert missing_flags([]) == {}


def test_the_panel_lists_the_stations_with_their_status(wastewater_required, make_station) -> None:
    make_station(wastewater_required, code="W-B")
    make_station(wastewater_required, code="w-a")
    panel = facility_stations(wastewater_required, AS_OF)
    assert [row.station.code for row in panel.stations] == ["w-a", "W-B"]
    assert {str(row.state.status) for row in panel.stations} == {"not_installed"}
    assert panel.regime == "decree-05-2025"
    assert panel.has_missing is True


def test_recording_the_choice_is_audited(wastewater_optional) -> None:
    changes = record_monitoring_choice(wastewater_optional, "wastewater", "automatic", "công văn số 12")
    assert changes == {"wastewater_monitoring_choice": [None, "automatic"]}
    assert wastewater_optional.wastewater_monitoring_choice == "automatic"
    event = db.session.scalar(
        sa.select(AuditEvent).where(
            AuditEvent.action == "facility.monitoring_choice",
            AuditEvent.object_id == str(wastewater_optional.id),
        )
    )
    assert event.reason == "công văn số 12"
    assert record_monitoring_choice(wastewater_optional, "wastewater", "automatic") == {}


def test_the_choice_is_refused_unless_the_obligation_is_optional(wastewater_required) -> None:
    with pytest.raises(DomainError):
        record_monitoring_choice(wastewater_required, "wastewater", "periodic")
    with pytest.raises(DomainError):
        record_monitoring_choice(wastewater_required, "emission", "automatic")
    with pytest.raises(DomainError):
        record_monitoring_choice(wastewater_required, "wastewater", "sometimes")
    with pytest.raises(DomainError):
        record_monitoring_choice(wastewater_required, "ambient", "automatic")
