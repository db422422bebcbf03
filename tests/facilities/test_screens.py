"""The facility list with obligation filters, the facility page, and the inspectors' forms."""

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.compliance.services import store_obligations
from app.extensions import db
from app.facilities.models import Facility


def facility_form(**values):
    data = {
        "code": "CT-TS-900",
        "name": "Nhà máy chế biến thủy sản Mỹ Thới",
        "enterprise_name": "Công ty TNHH Thủy sản Sao Mai",
        "enterprise_tax_code": "1800000999",
        "commune": "Phường Thới An Đông",
        "industry_type": "seafood",
        "wastewater_flow_m3_day": "620",
        "pollution_risk_type": "y",
    }
    data.update(values)
    return {k: v for k, v in data.items() if v is not None}


def test_inspector_registers_a_facility_and_sees_why_it_is_obliged(client, make_user, login):
    login(make_user("inspector"))
    response = client.post("/facilities/new", data=facility_form())
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get("/facilities/CT-TS-900").get_data(as_text=True)
    assert "620 m³/ngày ≥ 500 m³/ngày" in page or "620 m³/ngày ≥ 200 m³/ngày" in page
    assert "Bắt buộc" in page
    facility = db.session.scalar(sa.select(Facility).where(Facility.code == "CT-TS-900"))
    assert facility.enterprise.tax_code == "1800000999"
    assert len(facility.obligations) == 8
    assert db.session.scalar(
        sa.select(AuditEvent).where(
            AuditEvent.action == "facility.created", AuditEvent.object_id == str(facility.id)
        )
    )


def test_vietnamese_decimal_and_ambiguous_numbers(client, make_user, login):
    login(make_user("inspector"))
    ok = client.post("/facilities/new", data=facility_form(code="CT-1", wastewater_flow_m3_day="499,5"))
    assert ok.status_code == 302
    assert (
        float(db.session.scalar(sa.select(Facility.wastewater_flow_m3_day).where(Facility.code == "CT-1")))
        == 499.5
    )
    refused = client.post("/facilities/new", data=facility_form(code="CT-2", wastewater_flow_m3_day="1.000"))
    assert refused.status_code == 200
    assert "mơ hồ" in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(Facility.id).where(Facility.code == "CT-2")) is None


def test_contradiction_is_refused_with_a_clear_message(client, make_user, login):
    login(make_user("inspector"))
    response = client.post("/facilities/new", data=facility_form(code="CT-3", exempt_from_connection="y"))
    assert response.status_code == 200
    assert db.session.scalar(sa.select(Facility.id).where(Facility.code == "CT-3")) is None


def test_edit_changes_obligations_and_is_audited_with_reason(client, make_user, login, make_facility):
    facility = make_facility(
        "CT-E-1", pollution_risk_type=True, wastewater_flow_m3_day=620, industry_type="seafood"
    )
    store_obligations(facility)
    login(make_user("inspector"))
    form = facility_form(
        code=None,
        wastewater_flow_m3_day="150",
        reason="giấy phép môi trường mới",
        enterprise_name=facility.enterprise.name,
        enterprise_tax_code="",
    )
    response = client.post("/facilities/CT-E-1/edit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    statuses = {(o.regime, o.kind): o.status for o in facility.obligations}
    assert statuses[("decree-40-2019", "wastewater")] == "not_required"
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "facility.updated")).all()[-1]
    assert event.reason == "giấy phép môi trường mới"
    assert event.changes["wastewater_flow_m3_day"][1] == "150"


def test_sources_make_emission_obligations(client, make_user, login, make_facility):
    facility = make_facility("CT-XM-1", industry_type="cement")
    store_obligations(facility)
    login(make_user("inspector"))
    client.post(
        "/facilities/CT-XM-1/sources", data={"source-code": "LN-1", "source-source_kind": "clinker_kiln"}
    )
    page = client.get("/facilities/CT-XM-1").get_data(as_text=True)
    assert "LN-1" in page
    emission = {o.regime: o for o in facility.obligations if o.kind == "emission"}
    assert emission["decree-40-2019"].status == "required"
    assert emission["decree-40-2019"].sources == ["LN-1"]
    bad = client.post(
        "/facilities/CT-XM-1/sources", data={"source-code": "LD-1", "source-source_kind": "incinerator"}
    )
    assert bad.status_code == 302
    assert "LD-1" not in [s.code for s in facility.sources]
    source = facility.sources[0]
    client.post(f"/facilities/CT-XM-1/sources/{source.id}/delete", data={"delete-reason": "khai báo nhầm"})
    assert facility.sources == []


def test_list_filters_on_obligation_status(client, make_user, login, make_facility):
    obliged = make_facility("CT-F-1", pollution_risk_type=True, wastewater_flow_m3_day=700)
    free = make_facility("CT-F-2", wastewater_flow_m3_day=10)
    store_obligations(obliged)
    store_obligations(free)
    login(make_user("leader"))
    text = client.get("/facilities/?regime=decree-40-2019&wastewater=required").get_data(as_text=True)
    assert "CT-F-1" in text and "CT-F-2" not in text
    text = client.get("/facilities/?regime=decree-40-2019&wastewater=not_required").get_data(as_text=True)
    assert "CT-F-2" in text and "CT-F-1<" not in text
    sorted_by_flow = client.get("/facilities/?sort=flow&q=CT-F-").get_data(as_text=True)
    assert sorted_by_flow.index("CT-F-1") < sorted_by_flow.index("CT-F-2")


def test_enterprise_users_and_leaders_read_only(client, make_user, login, make_facility, make_enterprise):
    enterprise = make_enterprise()
    facility = make_facility("CT-R-1", enterprise)
    login(make_user("enterprise", enterprise=enterprise))
    page = client.get("/facilities/CT-R-1").get_data(as_text=True)
    assert "/facilities/CT-R-1/edit" not in page
    assert client.get("/facilities/CT-R-1/edit").status_code == 403
    assert client.post("/facilities/new", data=facility_form()).status_code == 403
    assert facility.name
