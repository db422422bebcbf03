"""Station list and page, the inspectors' forms, and who may do what."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.extensions import db
from app.stations.models import Station, StationCertificate
from tests.stations.helpers import source_of


def station_form(**values) -> dict:
    data = {
        "code": "CT-NT-01",
        "kind": "wastewater",
        "facility_code": None,
        "parameters": "ph;cod;FLOW_OUT",
        "has_camera": "y",
        "datalogger_make": "Tongdy",
        "datalogger_ip": "10.0.0.7",
        "installed_at": "2026-01-02",
        "data_expected_from": "2026-01-05T08:00",
    }
    data.update(values)
    return {k: v for k, v in data.items() if v is not None}


def events(action: str, station: Station) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == action, AuditEvent.object_id == str(station.id))
        )
    )


def find(code: str) -> Station | None:
    return db.session.scalar(sa.select(Station).where(Station.code_key == code.lower()))


def listed(page: str) -> set[str]:
    return set(re.findall(r'data-station="([^"]+)"', page))


def test_inspector_creates_a_station_and_it_is_audited(client, make_user, login, wastewater_required) -> None:
    login(make_user("inspector"))
    response = client.post("/stations/new", data=station_form(facility_code=wastewater_required.code))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].endswith("/stations/CT-NT-01")
    station = find("ct-nt-01")
    assert station.code_key == "ct-nt-01" and station.facility_id == wastewater_required.id
    assert station.parameters == ["FLOW_OUT", "pH", "COD"]
    assert station.has_camera and not station.has_sampler
    assert station.data_expected_from.isoformat() == "2026-01-05T01:00:00+00:00"
    (event,) = events("station.created", station)
    assert event.changes["facility"] == [None, wastewater_required.code]
    page = client.get("/stations/ct-nt-01")
    assert page.status_code == 200
    assert 'data-status="lost"' in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"code": "ct-nt-01"}, "code"),  # taken, compared without regard to case
        ({"code": "CT_NT_02"}, "code"),
        ({"code": "CT NT 02"}, "code"),
        ({"code": "CT-NT-02", "facility_code": ""}, "facility_code"),
        ({"code": "CT-NT-02", "facility_code": "NO-SUCH"}, "facility_code"),
        ({"code": "CT-NT-02", "parameters": "pH;DUST"}, "parameters"),
        ({"code": "CT-NT-02", "parameters": "pH;XYZ"}, "parameters"),
        ({"code": "CT-NT-02", "source_code": "K1"}, "source_code"),
        ({"code": "CT-NT-02", "data_expected_from": "05/01/2026"}, "data_expected_from"),
    ],
)
def test_invalid_stations_are_refused(client, make_user, login, make_station, cement, values, field) -> None:
    make_station(cement, code="CT-NT-01")
    login(make_user("inspector"))
    response = client.post("/stations/new", data=station_form(**{"facility_code": cement.code, **values}))
    assert response.status_code == 200
    assert f'id="{field}-errors"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Station)) == 1


def test_emission_source_must_belong_to_the_facility(
    client, make_user, login, cement, obliged_facility
) -> None:
    other = obliged_facility(industry_type="cement", sources=(("K9", "clinker_kiln"),))
    login(make_user("admin"))
    form = station_form(code="E-1", kind="emission", parameters="DUST;so2", facility_code=cement.code)
    refused = client.post("/stations/new", data={**form, "source_code": "K9"})
    assert refused.status_code == 200 and find("E-1") is None
    accepted = client.post("/stations/new", data={**form, "source_code": "K1"})
    assert accepted.status_code == 302
    assert find("E-1").source_id == source_of(cement, "K1").id
    assert find("E-1").parameters == ["DUST", "SO2"]
    assert other.id != cement.id


def test_an_ambient_station_needs_no_facility(client, make_user, login) -> None:
    login(make_user("inspector"))
    response = client.post(
        "/stations/new", data=station_form(code="KK-01", kind="ambient", parameters="PM10;pm2_5")
    )
    assert response.status_code == 302
    assert find("KK-01").facility_id is None and find("KK-01").parameters == ["PM10", "PM2_5"]


def test_edit_is_audited_with_its_reason(client, make_user, login, make_station, wastewater_required) -> None:
    station = make_station(wastewater_required, code="W1", parameters=["pH"])
    login(make_user("inspector"))
    form = station_form(
        code=None, facility_code=wastewater_required.code, parameters="pH;TSS", reason="biên bản"
    )
    response = client.post("/stations/W1/edit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert station.parameters == ["pH", "TSS"] and station.datalogger_ip == "10.0.0.7"
    (event,) = events("station.updated", station)
    assert event.reason == "biên bản"
    assert event.changes["parameters"] == [["pH"], ["pH", "TSS"]]
    client.post("/stations/W1/edit", data=form)
    assert len(events("station.updated", station)) == 1  # nothing changed the second time
    assert client.get("/stations/w1/edit").status_code == 200


def test_certificates_added_and_removed_with_audit(
    client, make_user, login, make_station, not_obliged
) -> None:
    station = make_station(not_obliged, code="W2")
    login(make_user("inspector"))
    for number, expires in (("KĐ-01", "2020-03-01"), ("HC-02", "2099-03-01")):
        response = client.post(
            "/stations/W2/certificates",
            data={
                "certificate-kind": "calibration",
                "certificate-number": number,
                "certificate-expires_on": expires,
            },
        )
        assert response.status_code == 302
    page = client.get("/stations/W2").get_data(as_text=True)
    expired = dict(re.findall(r'data-certificate="(\d+)" data-expired="(yes|no)"', page))
    old, new = sorted(station.certificates, key=lambda c: c.number)[::-1]
    assert expired == {str(old.id): "yes", str(new.id): "no"}
    assert len(events("station.certificate_added", station)) == 2
    refused = client.post(f"/stations/W2/certificates/{old.id}/delete", data={"remove-reason": ""})
    assert refused.status_code == 302 and db.session.get(StationCertificate, old.id) is not None
    client.post(f"/stations/W2/certificates/{old.id}/delete", data={"remove-reason": "nhập nhầm"})
    assert db.session.get(StationCertificate, old.id) is None
    (event,) = events("station.certificate_removed", station)
    assert event.reason == "nhập nhầm"


@pytest.mark.parametrize("role", ["leader", "enterprise"])
def test_leaders_and_enterprises_cannot_edit(
    client, make_user, login, make_station, make_facility, role
) -> None:
    user = make_user(role)
    facility = make_facility(enterprise=user.enterprise) if role == "enterprise" else make_facility()
    station = make_station(facility, code="W3")
    login(user)
    assert client.get("/stations/W3").status_code == 200
    assert client.get("/stations/new").status_code == 403
    assert client.post("/stations/new", data=station_form(facility_code=facility.code)).status_code == 403
    assert client.post("/stations/W3/edit", data=station_form(facility_code=facility.code)).status_code == 403
    assert (
        client.post("/stations/W3/certificates", data={"certificate-kind": "inspection"}).status_code == 403
    )
    assert (
        client.post(f"/stations/choices/{facility.code}", data={"choice-kind": "wastewater"}).status_code
        == 403
    )
    assert station.certificates == []


def test_an_enterprise_sees_only_its_own_stations(
    client, make_user, login, make_facility, make_station
) -> None:
    user = make_user("enterprise")
    own = make_station(make_facility(enterprise=user.enterprise), code="OWN-1")
    make_station(make_facility(), code="OTHER-1")
    make_station(None, code="AMB-1", kind="ambient")
    login(user)
    assert listed(client.get("/stations/").get_data(as_text=True)) == {"OWN-1"}
    assert client.get("/stations/own-1").status_code == 200
    assert client.get("/stations/OTHER-1").status_code == 404
    assert client.get("/stations/AMB-1").status_code == 404
    assert client.get("/stations/NO-SUCH").status_code == 404
    assert own.code == "OWN-1"


def test_the_list_filters(client, make_user, login, make_station, wastewater_required, not_obliged) -> None:
    make_station(wastewater_required, code="A-1", name="Trạm cửa xả")
    make_station(not_obliged, code="B-1")
    make_station(None, code="C-1", kind="ambient")
    login(make_user("leader"))
    assert listed(client.get("/stations/").get_data(as_text=True)) == {"A-1", "B-1", "C-1"}
    assert listed(client.get("/stations/?kind=ambient").get_data(as_text=True)) == {"C-1"}
    assert listed(client.get(f"/stations/?facility={not_obliged.code}").get_data(as_text=True)) == {"B-1"}
    assert listed(client.get("/stations/?status=not_required").get_data(as_text=True)) == {"B-1"}
    assert listed(client.get("/stations/?status=not_installed").get_data(as_text=True)) == {"A-1", "C-1"}
    assert listed(client.get("/stations/?q=cửa xả").get_data(as_text=True)) == {"A-1"}


def test_facility_page_and_list_show_coverage(
    client, make_user, login, make_station, cement, not_obliged
) -> None:
    make_station(cement, code="EK1", kind="emission", source=source_of(cement, "K1"), parameters=["DUST"])
    login(make_user("inspector"))
    page = client.get(f"/facilities/{cement.code}").get_data(as_text=True)
    assert 'id="stations"' in page and 'data-station="EK1"' in page
    assert 'data-kind="emission" data-missing="yes"' in page
    assert 'data-source="M1" data-missing="FLOW_GAS;DUST"' in page
    listing = client.get("/facilities/").get_data(as_text=True)
    rows = re.findall(r"<tr>(.*?)</tr>", listing, re.S)
    coverage = {
        re.search(r'href="/facilities/([^"]+)"', row).group(1): re.search(
            r'data-coverage="(\w+)"', row
        ).group(1)
        for row in rows
        if "data-coverage" in row
    }
    assert coverage[cement.code] == "missing"
    assert coverage[not_obliged.code] == "none"


def test_inspector_records_the_choice_on_the_facility_page(
    client, make_user, login, wastewater_optional
) -> None:
    login(make_user("inspector"))
    page = client.get(f"/facilities/{wastewater_optional.code}").get_data(as_text=True)
    assert "/stations/choices/" in page
    response = client.post(
        f"/stations/choices/{wastewater_optional.code}",
        data={"choice-kind": "wastewater", "choice-choice": "automatic", "choice-reason": "văn bản số 7"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/facilities/{wastewater_optional.code}#stations")
    assert wastewater_optional.wastewater_monitoring_choice == "automatic"
    assert client.post("/stations/choices/NO-SUCH", data={}).status_code == 404
