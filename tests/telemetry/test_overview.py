"""The province's receipt overview: the last hour, the silent stations, forwarding, who may see it.

Stations of a facility whose wastewater obligation is required, all expected for two days:
A sent a file a moment ago, B never sent anything, C's last reading is five hours old.
E belongs to a facility under no obligation and sent a file too.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest

from app.compliance.services import store_obligations
from app.db import utcnow
from app.extensions import db
from app.stations.models import Station
from app.telemetry.overview import receipt_overview
from app.telemetry.slots import slot_floor, to_local
from tests.telemetry.ingest_helpers import file_name, ingest, line, write


def add_station(facility, code: str, **values) -> Station:
    now = utcnow()
    station = Station(
        code=code,
        code_key=code.lower(),
        kind="wastewater",
        facility_id=facility.id,
        parameters=["pH", "COD"],
        installed_at=to_local(now - timedelta(days=3)).date(),
        data_expected_from=now - timedelta(days=2),
        **values,
    )
    db.session.add(station)
    db.session.flush()
    return station


@pytest.fixture
def province(app, tmp_path, make_facility):
    obliged = make_facility(
        pollution_risk_type=True, wastewater_flow_m3_day=Decimal(620), industry_type="seafood"
    )
    store_obligations(obliged)
    free = make_facility(wastewater_flow_m3_day=Decimal(10))
    store_obligations(free)
    now = utcnow()
    stations = {
        "A": add_station(obliged, "OVA"),
        "B": add_station(obliged, "OVB"),
        "C": add_station(obliged, "OVC", last_reading_at=now - timedelta(hours=5)),
        "E": add_station(free, "OVE"),
    }
    moment = slot_floor(now - timedelta(minutes=20))
    for code, cod in (("OVA", "35"), ("OVE", "36")):
        write(tmp_path, file_name(code, moment), [line("pH", "7.2", moment), line("COD", cod, moment)])
    report = ingest(app, tmp_path)
    assert (report["accepted"], report["readings"]) == (2, 4)
    return stations


def test_the_last_hour_and_the_silent_stations(app, province):
    overview = receipt_overview(utcnow())

    hour = overview.last_hour
    assert (hour.files_total, hour.files["accepted"], hour.readings) == (2, 2, 4)
    assert (hour.expected, hour.reporting, hour.others_reporting) == (3, 1, 1)
    assert [seen.station.code for seen in overview.silent] == ["OVB", "OVC", "OVA"]
    assert [seen.state.status for seen in overview.silent] == ["lost", "lost", "receiving"]


@pytest.mark.parametrize("role", ["admin", "inspector", "leader"])
def test_staff_see_the_overview(app, client, make_user, login, province, role):
    login(make_user(role))

    response = client.get("/telemetry/overview")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'data-files="2" data-readings="4" data-reporting="1" data-expected="3"' in page
    assert re.findall(r'<tr data-station="([^"]+)"', page) == ["OVB", "OVC", "OVA"]
    assert ('href="/telemetry/files"' in page) == (role in ("admin", "inspector"))
    assert ('href="/telemetry/quarantine"' in page) == (role == "admin")
    assert 'id="forwarding-title"' in page


def test_enterprise_users_may_not_see_the_overview(app, client, make_user, login, province):
    login(make_user("enterprise", enterprise=province["A"].facility.enterprise))
    assert client.get("/telemetry/overview").status_code == 403
