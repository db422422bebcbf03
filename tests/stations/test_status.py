"""Every row of metrics.md's connection-status table, derived from stored rows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.compliance.services import regime_in_force
from app.settings.services import update as update_settings
from app.stations.services import station_status, statuses_for
from tests.stations.helpers import AS_OF, local, source_of, suspend

DECLARED = local("2026-01-05 08:00")


@pytest.fixture
def connected(wastewater_required, make_station):
    """A wastewater station of a required facility, installed and connected since 5 January."""
    return make_station(
        wastewater_required,
        code="WW01",
        parameters=["pH", "COD"],
        installed_at=date(2026, 1, 2),
        data_expected_from=DECLARED,
    )


def status(station, as_of=AS_OF) -> str:
    return str(station_status(station, as_of).status)


def test_the_regime_in_force_on_the_fixed_day() -> None:
    assert regime_in_force(AS_OF.date()) == "decree-05-2025"


def test_receiving_up_to_lost_after_past_the_last_slot_end(connected) -> None:
    connected.last_reading_at = local("2026-01-15 10:57:30")  # slot 10:55, ends 11:00
    assert status(connected, local("2026-01-15 11:59:59")) == "receiving"  # just under
    assert status(connected, local("2026-01-15 12:00")) == "receiving"  # exactly lost-after
    state = station_status(connected, local("2026-01-15 12:00:01"))  # just over
    assert state.status == "lost"
    assert state.lost_since == local("2026-01-15 12:00")


def test_lost_after_is_read_from_the_settings(connected) -> None:
    connected.last_reading_at = local("2026-01-15 11:27:00")  # slot ends 11:30
    assert status(connected) == "receiving"
    update_settings({"threshold.lost_after_minutes": 20})
    state = station_status(connected)
    assert state.status == "lost" and state.lost_since == local("2026-01-15 11:50")


def test_awaiting_data_then_lost_when_nothing_ever_arrives(connected) -> None:
    connected.data_expected_from = local("2026-01-15 11:30")
    assert status(connected) == "awaiting_data"
    assert status(connected, local("2026-01-15 12:29:59")) == "awaiting_data"
    state = station_status(connected, local("2026-01-15 12:30"))
    assert state.status == "lost"
    assert state.lost_since == local("2026-01-15 12:30")


def test_never_sent_long_after_the_connection_is_lost(connected) -> None:
    state = station_status(connected)
    assert state.status == "lost"
    assert state.lost_since == DECLARED + timedelta(minutes=60)


def test_installed_and_not_installed(wastewater_required, make_station) -> None:
    bare = make_station(wastewater_required)
    assert status(bare) == "not_installed"
    bare.installed_at = date(2026, 1, 2)
    assert status(bare) == "installed"


def test_suspended_while_an_approved_suspension_covers_as_of(connected) -> None:
    connected.last_reading_at = local("2026-01-15 11:58")
    window = suspend(connected, local("2026-01-15 06:00"), local("2026-01-16 06:00"))
    assert status(connected) == "suspended"
    assert status(connected, local("2026-01-15 05:59")) == "receiving"
    assert status(connected, local("2026-01-16 06:00")) == "lost"  # the end is excluded
    # The actual end, once recorded, replaces the expected one.
    window.ends_at = local("2026-01-15 11:00")
    assert status(connected) == "receiving"


def test_only_an_approved_suspension_counts(connected) -> None:
    connected.last_reading_at = local("2026-01-15 11:58")
    for state in ("pending", "rejected", "cancelled"):
        suspend(connected, local("2026-01-15 06:00"), local("2026-01-16 06:00"), status=state)
    suspend(connected, local("2026-01-15 06:00"), local("2026-01-16 06:00"), kind="maintenance")
    assert status(connected) == "receiving"


def test_suspended_comes_before_not_required(not_obliged, make_station) -> None:
    station = make_station(not_obliged)
    assert status(station) == "not_required"
    suspend(station, local("2026-01-15 06:00"), local("2026-01-16 06:00"))
    assert status(station) == "suspended"


def test_not_required_for_a_station_serving_no_obligation(not_obliged, make_station) -> None:
    station = make_station(not_obliged, installed_at=date(2026, 1, 2), data_expected_from=DECLARED)
    assert status(station) == "not_required"
    # A wastewater station does not serve an emission obligation.
    assert status(make_station(not_obliged, kind="emission", data_expected_from=DECLARED)) == "not_required"


def test_emission_station_serves_when_its_source_triggers_or_is_blank(cement, make_station) -> None:
    kiln = make_station(cement, kind="emission", source=source_of(cement, "K1"))
    blank = make_station(cement, kind="emission")
    boiler = make_station(cement, kind="emission", source=source_of(cement, "B1"))
    water = make_station(cement, kind="wastewater")
    found = statuses_for([kiln, blank, boiler, water], AS_OF)
    assert {s.code: str(found[s.id].status) for s in (kiln, blank, boiler, water)} == {
        kiln.code: "not_installed",
        blank.code: "not_installed",
        boiler.code: "not_required",
        water.code: "not_required",
    }


def test_optional_is_served_only_once_automatic_is_chosen(wastewater_optional, make_station) -> None:
    station = make_station(wastewater_optional, installed_at=date(2026, 1, 2))
    assert status(station) == "not_required"
    wastewater_optional.wastewater_monitoring_choice = "periodic"
    assert status(station) == "not_required"
    wastewater_optional.wastewater_monitoring_choice = "automatic"
    assert status(station) == "installed"


def test_ambient_stations_are_always_required(not_obliged, make_station) -> None:
    own = make_station(
        None, kind="ambient", data_expected_from=DECLARED, last_reading_at=local("2026-01-15 11:40")
    )
    assert status(own) == "receiving"
    at_facility = make_station(not_obliged, kind="ambient")
    assert status(at_facility) == "not_installed"


def test_a_facility_without_stored_obligations_requires_nothing(make_facility, make_station) -> None:
    station = make_station(make_facility(), data_expected_from=DECLARED)
    assert status(station) == "not_required"
