"""The connection-status timeline of a station: when a newly observed status began.

Pure. The status itself comes from app.telemetry.status; this module only dates a change
so the timeline reads as what happened, not as when the refresh job noticed it. A status
whose start is known is dated from it (lost: the end of the last reading's slot plus
lost-after; suspended: the suspension's start; awaiting data: the moment data was expected
from; receiving: the last reading's slot; installed: the installation date). The others are
dated when observed (a station's first step: its creation). A step never starts before the
previous one nor after the moment observed, so the timeline stays in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.telemetry.slots import day_start, slot_floor, to_local
from app.telemetry.status import ConnectionState, ConnectionStatus


@dataclass(frozen=True)
class StatusFacts:
    """What dates a status: the station's declared moments and its last reading."""

    created_at: datetime | None = None
    installed_at: date | None = None
    data_expected_from: datetime | None = None
    last_reading_at: datetime | None = None
    # The start of the approved suspension covering the moment observed, if any.
    suspension_start: datetime | None = None


def _known_start(state: ConnectionState, facts: StatusFacts) -> datetime | None:
    status = state.status
    if status == ConnectionStatus.LOST:
        return state.lost_since
    if status == ConnectionStatus.SUSPENDED:
        return facts.suspension_start
    if status == ConnectionStatus.AWAITING_DATA:
        return facts.data_expected_from
    if status == ConnectionStatus.RECEIVING and facts.last_reading_at is not None:
        return slot_floor(facts.last_reading_at)
    if status == ConnectionStatus.INSTALLED and facts.installed_at is not None:
        return day_start(facts.installed_at)
    return None


def status_began(
    state: ConnectionState,
    facts: StatusFacts,
    observed_at: datetime,
    previous_since: datetime | None,
) -> datetime:
    """When the observed status began, kept between the previous step's start and ``observed_at``."""
    observed_at = to_local(observed_at)
    began = _known_start(state, facts)
    if began is None:
        began = facts.created_at if previous_since is None and facts.created_at else observed_at
    began = to_local(began)
    if previous_since is not None and began < to_local(previous_since):
        began = to_local(previous_since)
    return min(began, observed_at)


def is_change(previous_status: str | None, state: ConnectionState) -> bool:
    """Whether an observed status is a new step of the timeline."""
    return previous_status != str(state.status)
