"""Dating a new step of the status timeline, pure."""

from __future__ import annotations

from datetime import date, timedelta

from app.stations.timeline import StatusFacts, is_change, status_began
from app.telemetry.status import ConnectionState, ConnectionStatus
from tests.stations.helpers import local

NOW = local("2026-01-15 12:00")


def test_lost_is_dated_from_the_last_slot_end_plus_lost_after() -> None:
    state = ConnectionState(ConnectionStatus.LOST, local("2026-01-15 11:55"))
    assert status_began(state, StatusFacts(), NOW, None) == local("2026-01-15 11:55")


def test_known_starts() -> None:
    facts = StatusFacts(
        created_at=local("2025-12-01 08:00"),
        installed_at=date(2025, 12, 10),
        data_expected_from=local("2026-01-15 11:30"),
        last_reading_at=local("2026-01-15 11:57:30"),
        suspension_start=local("2026-01-14 00:00"),
    )
    began = {status: status_began(ConnectionState(status), facts, NOW, None) for status in ConnectionStatus}
    assert began[ConnectionStatus.SUSPENDED] == local("2026-01-14 00:00")
    assert began[ConnectionStatus.AWAITING_DATA] == local("2026-01-15 11:30")
    assert began[ConnectionStatus.RECEIVING] == local("2026-01-15 11:55")
    assert began[ConnectionStatus.INSTALLED] == local("2025-12-10 00:00")
    # Without a known start, a first step begins when the station was created ...
    assert began[ConnectionStatus.NOT_INSTALLED] == local("2025-12-01 08:00")
    # ... and a later one when it was observed.
    later = status_began(
        ConnectionState(ConnectionStatus.NOT_REQUIRED), facts, NOW, local("2026-01-01 00:00")
    )
    assert later == NOW


def test_a_step_never_starts_before_the_previous_one_nor_after_now() -> None:
    state = ConnectionState(ConnectionStatus.LOST, local("2026-01-10 09:00"))
    previous = local("2026-01-12 00:00")
    assert status_began(state, StatusFacts(), NOW, previous) == previous
    future = StatusFacts(last_reading_at=NOW + timedelta(hours=3))
    assert status_began(ConnectionState(ConnectionStatus.RECEIVING), future, NOW, None) == NOW


def test_a_change_is_a_different_status() -> None:
    assert is_change(None, ConnectionState(ConnectionStatus.NOT_INSTALLED))
    assert is_change("lost", ConnectionState(ConnectionStatus.RECEIVING))
    assert not is_change("receiving", ConnectionState(ConnectionStatus.RECEIVING))
