"""Stored obligations: rule versions picked by date and record time, evaluation stored per regime."""

from datetime import date, timedelta

import sqlalchemy as sa

from app.compliance import services
from app.compliance.models import RuleVersion
from app.db import utcnow
from app.extensions import db


def test_regimes_seeded_by_the_migration_in_legal_order():
    assert services.regime_codes() == ["decree-38-2015", "decree-40-2019", "decree-08-2022", "decree-05-2025"]
    assert services.regime_in_force(date(2020, 5, 1)) == "decree-40-2019"
    assert services.regime_in_force(date(2026, 11, 23)) == "decree-05-2025"


def test_rule_set_of_an_ended_regime_uses_its_last_day():
    rules = services.rule_set("decree-40-2019", date(2026, 1, 1))
    assert rules.as_of == date(2022, 1, 9)
    assert [r.clause for r in rules.rules if r.kind == "wastewater"] == ["a", "b", "c", "d", "dd", "e"]


def test_store_obligations_for_the_example_facility(make_facility):
    facility = make_facility(pollution_risk_type=True, wastewater_flow_m3_day=620)
    obligations = services.store_obligations(facility, date(2026, 11, 23))
    by_key = {(o.regime, o.kind): o for o in obligations}
    ww = by_key[("decree-40-2019", "wastewater")]
    assert ww.status == "required" and ww.clauses == ["b"]
    assert "620 m³/ngày ≥ 500 m³/ngày" in ww.explanation
    assert ww.deadline == date(2021, 12, 31)
    assert ww.rule_version_ids[0] == services.rule_set("decree-40-2019").header.id
    assert by_key[("decree-05-2025", "wastewater")].status == "required"
    assert by_key[("decree-38-2015", "wastewater")].status == "not_required"
    assert len(obligations) == 8


def test_a_correction_supersedes_by_record_time_and_keeps_the_old_version(make_facility):
    old = db.session.scalar(
        sa.select(RuleVersion).where(RuleVersion.regime == "decree-40-2019", RuleVersion.clause == "d")
    )
    data = dict(old.data)
    data["condition"] = {"attr": "wastewater_flow_m3_day", "op": ">=", "value": 600}
    new = RuleVersion(
        regime=old.regime,
        kind=old.kind,
        clause=old.clause,
        data=data,
        valid_from=old.valid_from,
        valid_to=old.valid_to,
        confidence="confirmed",
        recorded_at=utcnow() + timedelta(seconds=1),
        supersedes_id=old.id,
        change_reason="sửa ngưỡng đọc sai",
    )
    db.session.add(new)
    db.session.flush()
    rules = services.rule_set("decree-40-2019")
    assert new.id in rules.version_ids and old.id not in rules.version_ids
    facility = make_facility(wastewater_flow_m3_day=550)
    [ww, _] = services.evaluate_facility(facility, rules)
    assert ww["status"] == "not_required"
    assert db.session.get(RuleVersion, old.id) is not None


def test_unverified_rules_block(make_facility):
    rules = services.rule_set("decree-05-2025")
    assert rules.unverified  # the whole regime is marked to verify
    import pytest

    from app.errors import DomainError

    with pytest.raises(DomainError, match="cần kiểm tra lại"):
        services.ensure_verified(rules, {"wastewater": ["row2"]})
