"""Fixtures of the inspections tests: the cases tests' obliged facility with stations and data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.extensions import db
from app.inspections import services
from app.stations.models import ExcuseWindow
from tests.cases.conftest import (  # noqa: F401  (fixtures shared with the cases tests)
    DECEMBER,
    facility,
    local,
    make_station,
    required_parameters,
    send,
)


def december_gap(moment) -> bool:
    """No reading on 10 December from 08:00 to 11:00, nor from 20:00 to 20:30 (local)."""
    return local("2025-12-10 08:00") <= moment < local("2025-12-10 11:00") or (
        local("2025-12-10 20:00") <= moment < local("2025-12-10 20:30")
    )


@pytest.fixture
def stations(make_station):  # noqa: F811
    """Three stations of the facility: two sent all December but for gaps, one an hour excused."""
    first = make_station("NT01")
    second = make_station("NT02")
    third = make_station("NT03")
    send(first, *DECEMBER, skip=december_gap)
    send(second, date(2025, 12, 1), date(2025, 12, 20))
    send(third, *DECEMBER, skip=december_gap)
    db.session.add(
        ExcuseWindow(
            station_id=third.id,
            kind="maintenance",
            status="approved",
            starts_at=local("2025-12-10 08:00"),
            expected_end_at=local("2025-12-10 11:00"),
            reason="Bảo trì định kỳ",
        )
    )
    db.session.flush()
    return [first, second, third]


@pytest.fixture
def plan():
    """A plan for December's inspection."""
    return services.Plan(
        decision_number="125/QĐ-SNNMT",
        decision_date=date(2026, 1, 5),
        inspected_on=date(2026, 1, 12),
        place="Nhà máy chế biến thủy sản, phường Thốt Nốt",
        team=[{"name": "Trần Thị Bích", "title": "Trưởng đoàn"}, {"name": "Lê Văn Cường", "title": ""}],
        period_from=DECEMBER[0],
        period_to=DECEMBER[1],
    )


def due(days: int) -> date:
    """A deadline days after the inspection."""
    return date(2026, 1, 12) + timedelta(days=days)
