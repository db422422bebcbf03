"""Applying an import to the database: all or nothing, create or update by code, audit, obligations."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.compliance.models import Obligation
from app.extensions import db
from app.facilities.import_services import apply_import, preview_import
from app.facilities.importer import RESULT_KEYS, read_import
from app.facilities.models import EmissionSource, Enterprise, Facility
from app.formatting import LOCAL_TZ
from app.stations.models import Station

from .import_helpers import MB, csv_bytes, facility, source, station, table, xlsx_bytes


def parse(facilities=(), sources=(), stations=()):
    sheets = {}
    for name, rows in (("facilities", facilities), ("sources", sources), ("stations", stations)):
        if rows:
            sheets[name] = table(*rows)
    return read_import([("list.xlsx", xlsx_bytes(sheets))], 10 * MB)


def run(facilities=(), sources=(), stations=(), dry_run: bool = False) -> dict:
    return apply_import(parse(facilities, sources, stations), dry_run=dry_run)


def get_facility(code: str) -> Facility | None:
    return db.session.scalar(sa.select(Facility).where(Facility.code == code))


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def counts(n_facilities: int = 0, n_sources: int = 0, n_stations: int = 0) -> dict:
    return {"facilities": n_facilities, "sources": n_sources, "stations": n_stations}


FULL = dict(
    facilities=[
        facility(
            "CT-01",
            facility_name="Nhà máy giấy Vị Thanh",
            enterprise_name="Công ty CP Giấy Sông Hậu",
            enterprise_tax_code="6300000001",
            commune="Phường Vị Tân",
            industry_type="Paper",
            pollution_risk_type="có",
            wastewater_flow_m3_day="1200",
            extra_parameters="BOD5",
            operation_start_date="2020-05-01",
        ),
        facility("CT-02", enterprise_name="Công ty CP Giấy Sông Hậu", enterprise_tax_code="6300000001"),
    ],
    sources=[source("LD-01", "CT-01", "incinerator", capacity="0.8", capacity_unit="t/h", flow_m3_h="5000")],
    stations=[
        station("CT01NT", "CT-01", "wastewater", parameters="FLOW_OUT;COD;TSS", installed_at="2021-03-01"),
        station("CT01KT", "CT-01", "emission", source_code="LD-01", data_expected_from="2021-06-01 08:00"),
        station("AQ01", None, "ambient", parameters="PM10;PM2_5"),
    ],
)


def test_import_creates_everything_and_stores_obligations() -> None:
    outcome = run(**FULL)
    assert list(outcome) == list(RESULT_KEYS)
    assert outcome["ok"] is True and outcome["dry_run"] is False and outcome["problems"] == []
    assert outcome["created"] == counts(2, 1, 3)
    assert outcome["updated"] == outcome["unchanged"] == counts()
    first = get_facility("CT-01")
    assert first.name == "Nhà máy giấy Vị Thanh" and first.industry_type == "paper"
    assert first.wastewater_flow_m3_day == Decimal(1200) and first.pollution_risk_type is True
    assert first.extra_parameters == ["BOD5"] and first.operation_start_date == date(2020, 5, 1)
    assert first.enterprise.tax_code == "6300000001"
    assert get_facility("CT-02").enterprise_id == first.enterprise_id
    [incinerator] = first.sources
    assert (incinerator.code, incinerator.capacity, incinerator.capacity_unit) == (
        "LD-01",
        Decimal("0.8"),
        "t/h",
    )
    stations = {s.code: s for s in db.session.scalars(sa.select(Station))}
    assert stations["CT01NT"].parameters == ["FLOW_OUT", "TSS", "COD"]
    assert stations["CT01NT"].installed_at == date(2021, 3, 1) and stations["CT01NT"].code_key == "ct01nt"
    assert stations["CT01KT"].source_id == incinerator.id
    assert stations["CT01KT"].data_expected_from == datetime(2021, 6, 1, 8, 0, tzinfo=LOCAL_TZ)
    assert stations["AQ01"].facility_id is None
    obligations = db.session.scalars(sa.select(Obligation).where(Obligation.facility_id == first.id)).all()
    assert {(o.regime, o.kind) for o in obligations} >= {
        ("decree-08-2022", "wastewater"),
        ("decree-08-2022", "emission"),
    }
    by_key = {(o.regime, o.kind): o for o in obligations}
    assert by_key[("decree-08-2022", "wastewater")].status == "required"
    assert by_key[("decree-40-2019", "emission")].sources == ["LD-01"]
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"facility.created", "source.created", "station.created", "enterprise.created"} <= actions


def test_one_bad_row_in_sources_imports_nothing_anywhere() -> None:
    bad = dict(FULL, sources=[*FULL["sources"], source("LD-02", "CT-01", "incinerator")])
    before = (count(Facility), count(EmissionSource), count(Station), count(Enterprise), count(AuditEvent))
    outcome = run(**bad)
    assert outcome["ok"] is False
    assert outcome["created"] == outcome["updated"] == outcome["unchanged"] == counts()
    assert [(p["file"], p["sheet"], p["row"], p["column"]) for p in outcome["problems"]] == [
        ("list.xlsx", "sources", 3, "capacity"),
        ("list.xlsx", "sources", 3, "capacity_unit"),
    ]
    assert (
        count(Facility),
        count(EmissionSource),
        count(Station),
        count(Enterprise),
        count(AuditEvent),
    ) == before
    assert get_facility("CT-01") is None


def test_every_problem_of_every_sheet_is_listed() -> None:
    outcome = run(
        [facility("A1", exempt_from_connection="x"), facility("A1")],
        [source("S1", "A1", "furnace")],
        [station("X_1", "A1"), station("X2", None, "emission")],
    )
    assert outcome["ok"] is False
    assert [(p["sheet"], p["row"], p["column"]) for p in outcome["problems"]] == [
        ("facilities", 2, "exempt_from_connection"),
        ("facilities", 3, "facility_code"),
        ("sources", 2, "source_kind"),
        ("stations", 2, "station_code"),
        ("stations", 3, "facility_code"),
    ]
    assert count(Facility) == 0


def test_update_by_code_sets_present_columns_and_keeps_absent_ones(make_enterprise, make_facility) -> None:
    enterprise = make_enterprise("Công ty TNHH Thủy sản Phú Thịnh", "1800000002")
    make_facility(
        "TS-01",
        enterprise,
        name="Nhà máy cũ",
        commune="Xã Phong Điền",
        address="Lô 5",
        in_industrial_park=True,
        wastewater_flow_m3_day=Decimal(300),
        pollution_risk_type=True,
    )
    rows = [
        {
            "facility_code": "ts-01",
            "facility_name": "Nhà máy chế biến thủy sản",
            "enterprise_name": "công ty tnhh thủy sản phú thịnh",
            "address": "",
            "wastewater_flow_m3_day": "",
            "pollution_risk_type": "",
        }
    ]
    outcome = run(rows)
    assert outcome["ok"] and outcome["updated"] == counts(1) and outcome["created"] == counts()
    updated = get_facility("TS-01")
    assert updated.name == "Nhà máy chế biến thủy sản"
    # Blank takes its meaning: optional text None, flow 0, boolean no.
    assert (
        updated.address is None
        and updated.wastewater_flow_m3_day == 0
        and updated.pollution_risk_type is False
    )
    # Absent columns keep the stored values.
    assert updated.commune == "Xã Phong Điền" and updated.in_industrial_park is True
    assert updated.enterprise_id == enterprise.id
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "facility.imported"))
    assert event.object_id == str(updated.id)
    assert event.changes["name"] == ["Nhà máy cũ", "Nhà máy chế biến thủy sản"]
    assert set(event.changes) == {"name", "address", "wastewater_flow_m3_day", "pollution_risk_type"}
    # The same file again changes nothing.
    again = run(rows)
    assert again["unchanged"] == counts(1) and again["updated"] == counts()
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "facility.imported")) == 1


def test_enterprise_identity_by_tax_code_then_by_name(make_enterprise, make_facility) -> None:
    by_tax = make_enterprise("Công ty CP Mía đường Phụng Hiệp", "6300000009")
    by_name = make_enterprise("Công ty TNHH Bia Tây Đô", None)
    outcome = run(
        [
            facility("F1", enterprise_name="Tên viết khác", enterprise_tax_code="6300000009"),
            facility("F2", enterprise_name="  CÔNG TY TNHH BIA TÂY ĐÔ "),
            facility("F3", enterprise_name="Công ty Mới Toanh"),
            facility("F4", enterprise_name="công ty mới toanh"),
        ]
    )
    assert outcome["ok"], outcome["problems"]
    assert get_facility("F1").enterprise_id == by_tax.id
    assert get_facility("F2").enterprise_id == by_name.id
    assert get_facility("F3").enterprise_id == get_facility("F4").enterprise_id
    assert get_facility("F3").enterprise.name == "Công ty Mới Toanh"
    assert db.session.get(Enterprise, by_tax.id).name == "Công ty CP Mía đường Phụng Hiệp"


def test_moving_a_facility_to_another_enterprise_is_audited(make_enterprise, make_facility) -> None:
    old = make_enterprise("Công ty Cũ", "0100000001")
    make_enterprise("Công ty Mới", "0100000002")
    make_facility("F1", old, name="Nhà máy")
    outcome = run(
        [
            facility(
                "F1", facility_name="Nhà máy", enterprise_name="Công ty Mới", enterprise_tax_code="0100000002"
            )
        ]
    )
    assert outcome["updated"] == counts(1)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "facility.imported"))
    assert event.changes == {"enterprise": ["Công ty Cũ (0100000001)", "Công ty Mới (0100000002)"]}


def test_contradiction_with_stored_values_is_refused(make_facility) -> None:
    make_facility("F1", in_industrial_park=True, exempt_from_connection=True)
    outcome = run([facility("F1", in_industrial_park="no")])
    assert outcome["ok"] is False
    assert [(p["row"], p["column"]) for p in outcome["problems"]] == [(2, "exempt_from_connection")]
    assert get_facility("F1").in_industrial_park is True


def test_sources_and_stations_update_by_code(make_facility) -> None:
    owner = make_facility("F1")
    db.session.add(EmissionSource(code="S1", facility=owner, source_kind="boiler", fuel="coal"))
    db.session.add(Station(code="St1", code_key="st1", facility=owner, kind="wastewater", parameters=["COD"]))
    db.session.flush()
    outcome = run(
        sources=[
            {"source_code": "S1", "facility_code": "F1", "source_kind": "boiler", "fuel": "natural gas"}
        ],
        stations=[station("ST1", "F1", "wastewater", parameters="COD"), station("ST2", "f1", "wastewater")],
    )
    assert outcome["ok"], outcome["problems"]
    assert outcome["updated"] == counts(0, 1, 0)
    assert outcome["unchanged"] == counts(0, 0, 1)
    assert outcome["created"] == counts(0, 0, 1)
    assert (
        db.session.scalar(sa.select(EmissionSource.fuel).where(EmissionSource.code == "S1")) == "natural gas"
    )
    assert db.session.scalar(sa.select(Station).where(Station.code_key == "st2")).facility_id == owner.id


def test_dry_run_writes_nothing_but_counts(make_facility) -> None:
    make_facility("CT-02", name="Nhà máy CT-02")
    before = (count(Facility), count(Enterprise), count(AuditEvent), count(Obligation))
    outcome = run(**FULL, dry_run=True)
    assert outcome["ok"] is True and outcome["dry_run"] is True
    assert outcome["created"] == counts(1, 1, 3) and outcome["updated"] == counts(1)
    assert (count(Facility), count(Enterprise), count(AuditEvent), count(Obligation)) == before
    assert get_facility("CT-01") is None


def test_preview_lists_rows_and_changes(make_facility) -> None:
    make_facility("F1", name="Tên cũ")
    outcome = preview_import(parse([facility("F1", facility_name="Tên mới"), facility("F2")]))
    rows = outcome["rows"]["facilities"]
    assert [(r["code"], r["action"]) for r in rows] == [("F1", "updated"), ("F2", "created")]
    assert rows[0]["changes"]["name"] == ["Tên cũ", "Tên mới"]
    assert count(Facility) == 1


def test_ignored_columns_are_reported_and_csv_files_combine() -> None:
    facilities = csv_bytes(table(facility("F1", ghi_chu="x")), delimiter=";", bom=True)
    sources = csv_bytes(table(source("S1", "F1")))
    outcome = apply_import(
        read_import([("facilities.csv", facilities), ("sources.csv", sources)], MB), dry_run=False
    )
    assert outcome["ok"], outcome["problems"]
    assert outcome["ignored_columns"] == [
        {"file": "facilities.csv", "sheet": "facilities", "column": "ghi_chu"}
    ]
    assert outcome["created"] == counts(1, 1, 0)
