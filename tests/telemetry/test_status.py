"""Connection status of a station, derived in the contract's order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.telemetry.metrics import ConnectionStatus, connection_status
from app.telemetry.status import DEFAULT_LOST_AFTER, covers, lost_since

AS_OF = datetime(2026, 1, 15, 12, 0, tzinfo=UTC).astimezone()
LOCAL_NOON = datetime.fromisoformat("2026-01-15T12:00:00+07:00")


def status(**overrides):
    values = {
        "as_of": LOCAL_NOON,
        "kind": "wastewater",
        "serves_obligation": True,
        "installed_at": LOCAL_NOON - timedelta(days=30),
        "data_expected_from": LOCAL_NOON - timedelta(days=10),
        "last_reading_at": LOCAL_NOON - timedelta(minutes=3),
        "suspensions": (),
    }
    values.update(overrides)
    return connection_status(**values)


def test_receiving() -> None:
    state = status()
    assert state.status == ConnectionStatus.RECEIVING == "receiving"
    assert state.lost_since is None


def test_receiving_until_lost_after_past_the_end_of_the_last_slot() -> None:
    last = datetime.fromisoformat("2026-01-15T10:57:30+07:00")
    assert status(last_reading_at=last).status == "receiving"
    last = datetime.fromisoformat("2026-01-15T10:54:59+07:00")
    state = status(last_reading_at=last)
    assert state.status == "lost"
    assert state.lost_since == datetime.fromisoformat("2026-01-15T11:55:00+07:00")


def test_lost_after_is_a_setting() -> None:
    last = LOCAL_NOON - timedelta(hours=2)
    assert status(last_reading_at=last).status == "lost"
    assert status(last_reading_at=last, lost_after=timedelta(hours=3)).status == "receiving"
    assert DEFAULT_LOST_AFTER == timedelta(minutes=60)


def test_suspended_comes_first() -> None:
    window = (LOCAL_NOON - timedelta(days=1), LOCAL_NOON + timedelta(days=1))
    state = status(suspensions=[window], serves_obligation=False, data_expected_from=None)
    assert state.status == "suspended"
    assert status(suspensions=[(LOCAL_NOON - timedelta(days=1), LOCAL_NOON)]).status == "receiving"
    assert status(suspensions=[(LOCAL_NOON, None)]).status == "suspended"


def test_not_required_except_ambient() -> None:
    assert status(serves_obligation=False).status == "not_required"
    assert status(serves_obligation=False, kind="ambient").status == "receiving"


def test_not_installed_and_installed() -> None:
    none = {"data_expected_from": None, "last_reading_at": None}
    assert status(installed_at=None, **none).status == "not_installed"
    assert status(**none).status == "installed"
    assert status(data_expected_from=None).status == "installed"


def test_declared_connection_without_installation_date_is_installed() -> None:
    assert status(installed_at=None).status == "receiving"


def test_awaiting_data_then_lost() -> None:
    declared = LOCAL_NOON - timedelta(minutes=59)
    state = status(data_expected_from=declared, last_reading_at=None)
    assert state.status == "awaiting_data"
    declared = LOCAL_NOON - timedelta(minutes=60)
    state = status(data_expected_from=declared, last_reading_at=None)
    assert state.status == "lost"
    assert state.lost_since == LOCAL_NOON


def test_station_that_sent_and_stopped_is_lost_since_its_last_slot() -> None:
    state = status(last_reading_at=datetime(2026, 1, 14, 3, 2, tzinfo=UTC))
    assert state.status == "lost"
    assert state.lost_since.isoformat() == "2026-01-14T11:05:00+07:00"
    assert lost_since(LOCAL_NOON, None) == LOCAL_NOON + timedelta(hours=1)


def test_aware_moments_in_any_zone() -> None:
    assert status(as_of=AS_OF).status == "lost"
    assert covers([(None, None)], AS_OF)
    assert not covers([], AS_OF)
