"""Fixtures of the dashboard tests: the cases' obliged facility, its stations and December's data."""

from __future__ import annotations

from datetime import date

import pytest

from app.dashboard.snapshots import snapshot_month
from tests.cases import conftest as cases
from tests.cases.conftest import local, send

# The cases' fixtures, shared: an obliged facility and its stations.
facility = cases.facility
required_parameters = cases.required_parameters
make_station = cases.make_station
__all__ = ["local", "send"]

DECEMBER = date(2025, 12, 1)
NOVEMBER = date(2025, 11, 1)


def no_data_on_days(*days: int):
    """A ``skip`` for ``send``: no reading on those days of the month."""
    return lambda moment: moment.day in days


@pytest.fixture
def december(facility, make_station):
    """The facility's one station, sending all December except 4 days (87,1% raw), and November in full."""
    station = make_station("DBNT1")
    send(station, date(2025, 11, 1), date(2025, 11, 30))
    send(station, date(2025, 12, 1), date(2025, 12, 31), skip=no_data_on_days(3, 4, 5, 6))
    snapshot_month(NOVEMBER)
    snapshot_month(DECEMBER)
    return station
