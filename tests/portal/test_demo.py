"""The portal's demo items."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.portal.demo import evidence_pdf, seed_portal_demo
from app.stations.evidence import sniff_type
from app.stations.models import Declaration, EvidenceFile, ExcuseWindow
from tests.portal.helpers import make_station

NOTHING = {"pending_declarations": 0, "rejected_declarations": 0, "approved_windows": 0, "pending_windows": 0}


def test_without_stations_it_does_nothing(app) -> None:
    assert seed_portal_demo() == NOTHING
    assert db.session.scalars(sa.select(Declaration)).all() == []
    assert db.session.scalars(sa.select(ExcuseWindow)).all() == []


def test_the_demo_evidence_is_a_pdf() -> None:
    assert sniff_type(evidence_pdf("Bien ban (nghiem thu)")) == "application/pdf"


def test_seeds_each_kind_of_item_once(app, make_enterprise, make_facility, make_user) -> None:
    enterprise = make_enterprise()
    facility = make_facility(enterprise=enterprise)
    user = make_user("enterprise", enterprise=enterprise)
    inspector = make_user("inspector")
    stations = [make_station(facility, f"CT-DEMO-0{n}") for n in range(1, 4)]
    stations[1].installed_at = stations[2].installed_at = date(2025, 6, 1)  # these declare connections
    db.session.flush()

    made = seed_portal_demo()
    assert made == {
        "pending_declarations": 3,
        "rejected_declarations": 1,
        "approved_windows": 1,
        "pending_windows": 1,
    }
    declarations = db.session.scalars(sa.select(Declaration)).all()
    assert sorted(d.status for d in declarations) == ["pending", "pending", "pending", "rejected"]
    assert {d.kind for d in declarations} == {"installation", "connection"}
    rejected = next(d for d in declarations if d.status == "rejected")
    assert rejected.decision_reason and rejected.decided_by_id == inspector.id
    assert {d.declared_by_id for d in declarations} == {user.id}
    windows = {w.kind: w for w in db.session.scalars(sa.select(ExcuseWindow))}
    assert windows["maintenance"].status == "approved" and windows["maintenance"].ends_at is not None
    assert windows["incident"].status == "pending"
    files = db.session.scalars(sa.select(EvidenceFile)).all()
    assert len(files) == 6 and {f.enterprise_id for f in files} == {enterprise.id}

    assert seed_portal_demo() == NOTHING
