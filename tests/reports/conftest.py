"""Fixtures of the reports tests: the dashboard's facility with December's data and snapshots."""

from tests.dashboard import conftest as dashboard

facility = dashboard.facility
required_parameters = dashboard.required_parameters
make_station = dashboard.make_station
december = dashboard.december
