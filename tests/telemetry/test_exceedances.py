"""Exceedance hours: counted once per facility-hour, pH ranges, "no mean" hours, permit limits.

The facility F (QCVN 40 column A, Kq = Kf = 1: COD 75, TSS 50 mg/L, pH 6-9) has two
wastewater stations, NT1 and NT2. On 2026-01-15:

- 10:00: COD 100 and TSS 60 at NT1, COD 80 at NT2 (three parameters above, one hour);
- 11:00: pH 5.0 at NT1 (below the range);
- 12:00: COD 200 at NT1 in only 8 valid slots (4 calibrating): no mean, no exceedance;
- 13:00: COD 50 at NT1 (below the limit).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.compliance.limits import Limit
from app.extensions import db
from app.facilities.models import EmissionSource
from app.stations.models import Station
from app.telemetry import exceedances
from app.telemetry.exceedance_core import Series, evaluate
from app.telemetry.figures import HourlyMean
from app.telemetry.models import FacilityLimit
from app.telemetry.slots import LOCAL_TZ
from tests.telemetry.ingest_helpers import DAY, at, file_name, ingest, line, write

DAY_FROM = DAY_TO = DAY


def hour_lines(
    parameter: str, value: str, hour: int, day: date = DAY, statuses: dict[int, str] | None = None
):
    """Twelve readings of one parameter in the hour (status 00 unless told per minute)."""
    statuses = statuses or {}
    return [
        line(parameter, value, at(hour, minute, day=day), statuses.get(minute, "00"))
        for minute in range(0, 60, 5)
    ]


def add_station(facility, code: str, parameters: list[str], kind: str = "wastewater") -> Station:
    station = Station(
        code=code,
        code_key=code.lower(),
        kind=kind,
        facility_id=facility.id,
        parameters=parameters,
        data_expected_from=at(0, 0, day=DAY - timedelta(days=1)),
    )
    db.session.add(station)
    db.session.flush()
    return station


@pytest.fixture
def facility(app, make_facility):
    return make_facility(qcvn_column="A", kq=Decimal(1), kf=Decimal(1), wastewater_flow_m3_day=Decimal(300))


def ingest_day(app, tmp_path, facility, day: date = DAY) -> tuple[Station, Station]:
    nt1 = add_station(facility, "NT1", ["pH", "TSS", "COD"])
    nt2 = add_station(facility, "NT2", ["COD"])
    calibrating = {minute: "01" for minute in (0, 5, 10, 15)}
    nt1_lines = [
        *hour_lines("COD", "100", 10, day),
        *hour_lines("TSS", "60", 10, day),
        *hour_lines("pH", "7.0", 10, day),
        *hour_lines("pH", "5.0", 11, day),
        *hour_lines("COD", "200", 12, day, calibrating),
        *hour_lines("COD", "50", 13, day),
    ]
    write(tmp_path, file_name("NT1", at(14, day=day)), nt1_lines)
    write(tmp_path, file_name("NT2", at(14, day=day)), hour_lines("COD", "80", 10, day))
    report = ingest(app, tmp_path)
    assert report["accepted"] == 2
    return nt1, nt2


# Pure core


def hours(values: dict[int, float | None]) -> list[HourlyMean]:
    start = datetime(2026, 1, 15, tzinfo=LOCAL_TZ)
    return [HourlyMean(start + timedelta(hours=h), values.get(h), 12, 12) for h in range(24)]


def test_a_clock_hour_counts_once_per_facility_whatever_the_parameters_and_stations():
    result = evaluate(
        [
            Series("NT1", "COD", Limit("COD", 75), hours({10: 100, 11: 90})),
            Series("NT1", "TSS", Limit("TSS", 50), hours({10: 60})),
            Series("NT2", "COD", Limit("COD", 75), hours({10: 80, 12: 20})),
        ]
    )
    assert result.total_hours == 2
    assert [hour.hour for hour in result.hours] == [10, 11]
    assert result.by_parameter_day == {"COD": {DAY: 2}, "TSS": {DAY: 1}}
    assert [series.exceeded for series in result.series] == [2, 1, 1]


def test_ph_outside_its_range_in_either_direction_exceeds():
    ph = Limit("pH", 9, 6)
    result = evaluate([Series("NT1", "pH", ph, hours({1: 5.9, 2: 6.0, 3: 9.0, 4: 9.1}))])
    assert [hour.hour for hour in result.hours] == [1, 4]


def test_an_hour_without_a_mean_is_shown_and_never_counts():
    result = evaluate([Series("NT1", "COD", Limit("COD", 75), hours({10: 100}))])
    day = result.series[0].days[DAY]
    assert (day.exceeded, day.with_mean, day.no_mean) == (1, 1, 23)


def test_only_hours_over_by_as_of_and_after_data_expected_from_are_judged():
    since = datetime(2026, 1, 15, 8, 30, tzinfo=LOCAL_TZ)
    until = datetime(2026, 1, 15, 12, 0, tzinfo=LOCAL_TZ)
    series = Series("NT1", "COD", Limit("COD", 75), hours({8: 100, 11: 100, 12: 100}), since=since)
    result = evaluate([series], until=until)
    assert [hour.hour for hour in result.hours] == [8, 11]
    assert result.series[0].days[DAY].no_mean == 2  # 9:00 and 10:00


# With the rollups of ingested files


def test_exceedance_hours_of_a_facility_from_ingested_files(app, tmp_path, facility):
    nt1, _ = ingest_day(app, tmp_path, facility)

    result = exceedances.facility_exceedances(facility, DAY_FROM, DAY_TO)

    assert [hour.hour for hour in result.hours] == [10, 11]
    assert result.by_parameter_day == {"COD": {DAY: 1}, "TSS": {DAY: 1}, "pH": {DAY: 1}}
    assert exceedances.facility_exceedance_hours(facility, DAY_FROM, DAY_TO) == 2
    cod = next(s for s in result.series if (s.station, s.parameter) == ("NT1", "COD"))
    # 12:00 has 8 valid slots of 12: no mean, although its readings are far above the limit.
    assert [hour.hour for hour in cod.exceeded_hours] == [10]
    assert (cod.days[DAY].with_mean, cod.days[DAY].no_mean) == (2, 22)

    station_only = exceedances.station_exceedances(nt1, DAY_FROM, DAY_TO)
    assert [hour.hour for hour in station_only.hours] == [10, 11]


def test_with_fewer_slots_needed_the_calibrating_hour_gets_a_mean(app, tmp_path, facility):
    ingest_day(app, tmp_path, facility)
    result = exceedances.facility_exceedances(facility, DAY_FROM, DAY_TO, min_valid_slots=8)
    assert [hour.hour for hour in result.hours] == [10, 11, 12]


def test_the_qcvn_limits_use_the_facility_inputs(app, facility, make_facility):
    add_station(facility, "NT1", ["pH", "TSS", "COD", "FLOW_OUT"])
    used = {u.parameter: u for u in exceedances.limits_in_use(facility)}
    assert set(used) == {"pH", "TSS", "COD"}
    assert (used["COD"].limit.high, used["COD"].source, used["COD"].is_to_verify) == (
        75.0,
        "regulation",
        False,
    )
    assert (used["pH"].limit.low, used["pH"].limit.high) == (6.0, 9.0)

    column_b = make_facility(wastewater_flow_m3_day=Decimal(40))  # blank column: B; Kf 1.2 by flow
    add_station(column_b, "NT9", ["COD"])
    [cod] = exceedances.limits_in_use(column_b)
    assert (cod.limit.high, cod.is_to_verify) == (180.0, True)


def test_emission_kp_uses_the_total_gas_flow_of_the_sources(app, make_facility):
    plant = make_facility(kv=Decimal(1))
    for code, flow in (("K1", 15000), ("K2", 10000)):
        db.session.add(EmissionSource(code=code, facility_id=plant.id, source_kind="boiler", flow_m3_h=flow))
    db.session.flush()
    add_station(plant, "KT1", ["DUST", "O2"], kind="emission")
    [dust] = exceedances.limits_in_use(plant)
    assert dust.parameter == "DUST"
    assert dust.limit.high == pytest.approx(180.0)  # 200 x Kp 0.9 (25,000 m³/h) x Kv 1


def test_a_permit_limit_overrides_qcvn_and_is_audited(app, tmp_path, facility):
    ingest_day(app, tmp_path, facility)
    exceedances.record_permit_limit(facility, "cod", None, Decimal(120), "GP 12/GP-UBND", "permit read")

    used = {(u.station, u.parameter): u for u in exceedances.limits_in_use(facility)}
    assert (used["NT1", "COD"].source, used["NT1", "COD"].limit.high) == ("permit", 120.0)
    assert used["NT1", "TSS"].source == "regulation"
    result = exceedances.facility_exceedances(facility, DAY_FROM, DAY_TO)
    assert result.parameter_total("COD") == 0
    assert [hour.hour for hour in result.hours] == [10, 11]  # TSS at 10:00, pH at 11:00

    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "facility_limit.recorded"))
    assert event.object_id == str(facility.id)
    assert event.changes["COD"][1] == {"low": None, "high": "120", "permit": "GP 12/GP-UBND"}


def test_a_permit_limit_needs_a_known_code_and_a_sound_range(app, facility):
    from app.errors import DomainError

    add_station(facility, "NT1", ["COD"])
    with pytest.raises(DomainError):
        exceedances.record_permit_limit(facility, "XYZ", None, Decimal(1), "GP 1")
    with pytest.raises(DomainError):
        exceedances.record_permit_limit(facility, "pH", Decimal(9), Decimal(6), "GP 1")
    with pytest.raises(DomainError):
        exceedances.record_permit_limit(facility, "COD", None, None, "GP 1")
    assert db.session.scalars(sa.select(FacilityLimit)).all() == []


# The facility page and the permit limit form


def test_facility_page_shows_last_full_month_exceedances_and_limits(
    app, client, make_user, login, tmp_path, facility
):
    first, _ = exceedances.last_full_month(datetime.now(LOCAL_TZ).date())
    ingest_day(app, tmp_path, facility, day=first + timedelta(days=3))
    login(make_user("leader"))

    page = client.get(f"/facilities/{facility.code}").get_data(as_text=True)

    assert re.search(r'data-facility-exceedance-hours="(\d+)"', page).group(1) == "2"
    assert 'data-limit="NT1:COD" data-source="regulation" data-high="75.0"' in page
    assert 'data-to-verify="no"' in page
    assert "/limits" not in page  # a leader reads, does not record


def test_inspector_records_and_removes_a_permit_limit(app, client, make_user, login, facility):
    add_station(facility, "NT1", ["COD", "pH"])
    login(make_user("inspector"))
    form = {"limit-parameter": "pH", "limit-low": "5,5", "limit-high": "9", "limit-permit_reference": "GP 7"}

    response = client.post(f"/facilities/{facility.code}/limits", data=form)

    assert response.status_code == 302
    row = db.session.scalar(sa.select(FacilityLimit).where(FacilityLimit.facility_id == facility.id))
    assert (row.parameter, row.low, row.high, row.permit_reference) == (
        "pH",
        Decimal("5.5"),
        Decimal(9),
        "GP 7",
    )
    page = client.get(f"/facilities/{facility.code}").get_data(as_text=True)
    assert 'data-permit-limit="pH"' in page

    bad = dict(form, **{"limit-low": "9", "limit-high": "6"})
    client.post(f"/facilities/{facility.code}/limits", data=bad)
    db.session.refresh(row)
    assert row.low == Decimal("5.5")

    response = client.post(
        f"/facilities/{facility.code}/limits/pH/delete", data={"remove-limit-reason": "typo"}
    )
    assert response.status_code == 302
    assert db.session.scalars(sa.select(FacilityLimit)).all() == []
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "facility_limit.removed"))


def test_enterprise_users_read_limits_but_cannot_record_them(app, client, make_user, login, facility):
    add_station(facility, "NT1", ["COD"])
    owner = make_user("enterprise", enterprise=facility.enterprise)
    login(owner)
    assert client.get(f"/facilities/{facility.code}").status_code == 200
    response = client.post(f"/facilities/{facility.code}/limits", data={"limit-parameter": "COD"})
    assert response.status_code == 403
