"""Rule administration: new versions (corrections, new legal versions, JSON), verification, copies."""

from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.compliance import services
from app.compliance.models import Obligation, RuleVersion
from app.extensions import db
from app.jobs.models import JobRun


@pytest.fixture
def admin(client, make_user, login):
    user = make_user("admin")
    login(user)
    return user


def current(regime: str, kind: str, clause: str, on: date | None = None) -> RuleVersion:
    return next(r for r in services.rule_set(regime, on).rules if (r.kind, r.clause) == (kind, clause))


def count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def clause_post(version: RuleVersion, numbers: list[str], **values) -> dict[str, str]:
    """The edit form as the page fills it, with the numbers and values given."""
    data = version.data
    form = {
        "label": data["label"],
        "citation": data["citation"],
        "summary": data["summary"],
        "mode": "correction",
        "reason": "đọc lại văn bản",
    }
    form.update({f"number_{i}": n for i, n in enumerate(numbers)})
    form.update({f"sentence_{i}": o["explanation"] for i, o in enumerate(data["outcomes"])})
    if data["kind"] == "wastewater":
        form["parameters_0"] = "; ".join(data["parameters"])
    form.update(
        {f"parameters_{i}": "; ".join(t["parameters"]) for i, t in enumerate(data.get("triggers", []))}
    )
    form.update(values)
    return form


def post_json(client, version: RuleVersion, data, **values):
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    form = {"json-rule_json": text, "json-mode": "correction", "json-reason": "sửa dữ liệu", **values}
    return client.post(f"/admin/rules/versions/{version.id}/json", data=form)


def editable(version: RuleVersion) -> dict:
    return {k: v for k, v in version.data.items() if k not in ("valid_from", "valid_to", "confidence")}


def test_a_correction_changes_the_evaluation_and_keeps_the_old_version(client, admin, make_facility):
    facility = make_facility(pollution_risk_type=True, wastewater_flow_m3_day=450)
    old = current("decree-40-2019", "wastewater", "b")
    page = client.get(f"/admin/rules/versions/{old.id}/edit").get_data(as_text=True)
    assert 'value="500"' in page and "lưu lượng nước thải thiết kế ≥" in page
    response = client.post(f"/admin/rules/versions/{old.id}/edit", data=clause_post(old, ["450"]))
    assert response.status_code == 302, response.get_data(as_text=True)
    new = current("decree-40-2019", "wastewater", "b")
    assert new.id != old.id and db.session.get(RuleVersion, old.id).data["condition"]["of"][1]["value"] == 500
    assert new.data["condition"]["of"][1]["value"] == 450
    assert (new.supersedes_id, new.valid_from, new.valid_to) == (old.id, old.valid_from, old.valid_to)
    assert new.recorded_by_id == admin.id and new.change_reason == "đọc lại văn bản"
    assert new.confidence == "to_verify"  # a threshold changed
    # The re-evaluation ran after the commit: the stored obligation follows the new version.
    run = db.session.scalars(sa.select(JobRun).where(JobRun.name == "compliance.reevaluate_all")).one()
    assert run.status == "finished" and run.progress_total == run.progress_done >= 1
    stored = db.session.scalar(
        sa.select(Obligation).where(
            Obligation.facility_id == facility.id,
            Obligation.regime == "decree-40-2019",
            Obligation.kind == "wastewater",
        )
    )
    assert stored.status == "required" and stored.clauses == ["b"] and new.id in stored.rule_version_ids
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'href="/admin/jobs/{run.id}"' in shown


def test_an_unchanged_form_records_nothing(client, admin):
    steel = current("decree-05-2025", "emission", "steel")
    before = count(RuleVersion)
    response = client.post(f"/admin/rules/versions/{steel.id}/edit", data=clause_post(steel, ["200000"]))
    assert response.status_code == 400
    assert count(RuleVersion) == before and count(JobRun) == 0


@pytest.mark.parametrize("typed", ["1.000", "abc", "-5", ""])
def test_a_malformed_number_is_refused(client, admin, typed):
    old = current("decree-40-2019", "wastewater", "d")
    before = count(RuleVersion)
    response = client.post(f"/admin/rules/versions/{old.id}/edit", data=clause_post(old, [typed]))
    assert response.status_code == 400
    assert count(RuleVersion) == before


def test_a_new_legal_version_applies_only_from_its_date(client, admin, make_facility):
    old = current("decree-05-2025", "wastewater", "row2")
    form = clause_post(
        old, ["100", "500"], mode="new_version", valid_from="2027-01-01", reason="Nghị định mới"
    )
    response = client.post(f"/admin/rules/versions/{old.id}/edit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    before, after = date(2026, 12, 31), date(2027, 1, 1)
    assert current("decree-05-2025", "wastewater", "row2", before).data["condition"]["of"][1]["value"] == 200
    new = current("decree-05-2025", "wastewater", "row2", after)
    assert (new.valid_from, new.valid_to, new.data["valid_from"]) == (after, None, "2027-01-01")
    # The old data keeps the days before, as a version of its own; the old version stays.
    kept = current("decree-05-2025", "wastewater", "row2", before)
    assert (kept.valid_from, kept.valid_to) == (date(2025, 1, 6), before) and kept.supersedes_id == old.id
    assert db.session.get(RuleVersion, old.id) is not None
    facility = make_facility(pollution_risk_type=True, wastewater_flow_m3_day=150)
    [early, _] = services.evaluate_facility(facility, services.rule_set("decree-05-2025", before))
    [late, _] = services.evaluate_facility(facility, services.rule_set("decree-05-2025", after))
    assert (early["status"], late["status"]) == ("not_required", "optional")


def test_a_new_legal_version_must_start_within_the_regime(client, admin):
    old = current("decree-40-2019", "wastewater", "d")
    form = clause_post(old, ["900"], mode="new_version", valid_from="2023-01-01")
    before = count(RuleVersion)
    assert client.post(f"/admin/rules/versions/{old.id}/edit", data=form).status_code == 400
    assert count(RuleVersion) == before


def test_verify_records_a_verified_version_and_keeps_the_old_one(client, admin):
    old = current("decree-05-2025", "wastewater", "row1")
    assert client.get(f"/admin/rules/versions/{old.id}/verify").status_code == 200
    before = count(RuleVersion)
    assert client.post(f"/admin/rules/versions/{old.id}/verify", data={"source": " "}).status_code == 400
    assert count(RuleVersion) == before
    source = "Nghị định 05/2025/NĐ-CP ngày 06/01/2025, khoản 1 Điều 97 (bản Công báo)"
    response = client.post(f"/admin/rules/versions/{old.id}/verify", data={"source": source})
    assert response.status_code == 302
    new = current("decree-05-2025", "wastewater", "row1")
    assert new.supersedes_id == old.id and new.data == old.data and new.confidence == "to_verify"
    assert (new.verified_source, new.verified_by_id) == (source, admin.id) and new.verified_at is not None
    assert new.is_verified and not db.session.get(RuleVersion, old.id).is_verified
    assert client.post(f"/admin/rules/versions/{old.id}/verify", data={"source": source}).status_code == 400
    assert client.post(f"/admin/rules/versions/{new.id}/verify", data={"source": source}).status_code == 400
    header = services.rule_set("decree-05-2025").header
    client.post(f"/admin/rules/versions/{header.id}/verify", data={"source": source})
    services.ensure_verified(services.rule_set("decree-05-2025"), {"wastewater": ["row1"]})


def test_copy_a_regime_and_end_the_previous_one(client, admin, make_facility):
    facility = make_facility(pollution_risk_type=True, wastewater_flow_m3_day=600)
    form = {
        "code": "decree-48-2026",
        "name": "Nghị định 08/2022/NĐ-CP, sửa đổi bởi Nghị định 48/2026/NĐ-CP",
        "valid_from": "2026-07-01",
        "end_source": "y",
        "reason": "Nghị định 48/2026 có hiệu lực",
    }
    response = client.post("/admin/rules/decree-05-2025/copy", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert services.regime_codes()[-1] == "decree-48-2026"
    assert services.regime_in_force(date(2026, 6, 30)) == "decree-05-2025"
    assert services.regime_in_force(date(2026, 7, 1)) == "decree-48-2026"
    copied = services.rule_set("decree-48-2026", date(2026, 8, 1))
    source = services.rule_set("decree-05-2025")
    assert source.as_of == date(2026, 6, 30)
    assert sorted((r.kind, r.clause) for r in copied.rules) == sorted(
        (r.kind, r.clause) for r in source.rules
    )
    assert all(v.confidence == "to_verify" and v.data["regime"] == "decree-48-2026" for v in copied.rules)
    assert copied.header.data["deadline"] == "2024-12-31" and copied.header.valid_from == date(2026, 7, 1)
    assert services.evaluate_facility(facility, copied)[0]["clauses"] == ["row2"]
    stored = {
        o.regime
        for o in db.session.scalars(sa.select(Obligation).where(Obligation.facility_id == facility.id))
    }
    assert "decree-48-2026" in stored
    assert client.get("/admin/rules/decree-48-2026").status_code == 200


@pytest.mark.parametrize("code", ["decree-05-2025", "Decree 48", "decree48"])
def test_a_copy_with_a_taken_or_malformed_code_is_refused(client, admin, code):
    before = count(RuleVersion)
    form = {"code": code, "name": "Tên", "valid_from": "2026-07-01", "reason": "thử"}
    assert client.post("/admin/rules/decree-05-2025/copy", data=form).status_code == 400
    assert count(RuleVersion) == before


def _bad(data: dict, path: list, value) -> dict:
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda d: "{not json", "JSON không hợp lệ"),
        (lambda d: _bad(d, ["condition", "of", 1, "op"], "≈"), "≈"),
        (lambda d: _bad(d, ["condition", "of", 1, "attr"], "flow"), "flow"),
        (lambda d: _bad(d, ["parameters"], ["FLOW_IN", "ph"]), "pH"),
        (lambda d: _bad(d, ["parameters"], ["FLOW_IN", "XYZ"]), "XYZ"),
        (lambda d: _bad(d, ["parameters"], ["COD", "COD"]), "COD"),
        (lambda d: _bad(d, ["clause"], "d"), "clause"),
        (lambda d: _bad(d, ["valid_from"], "2020-01-01"), "valid_from"),
        (lambda d: _bad(d, ["paramters"], []), "paramters"),
        (lambda d: _bad(d, ["outcomes", 0, "explanation"], "Lưu lượng {flow m3}"), "flow m3"),
        (lambda d: _bad(d, ["outcomes", 0, "status"], "maybe"), "outcomes.0.status"),
        (lambda d: [], "JSON"),
    ],
)
def test_invalid_json_is_refused_and_nothing_saved(client, admin, change, named):
    old = current("decree-40-2019", "wastewater", "b")
    before = (count(RuleVersion), count(JobRun), count(AuditEvent, AuditEvent.action.like("rule.%")))
    response = post_json(client, old, change(editable(old)))
    assert response.status_code == 400
    assert named in response.get_data(as_text=True)
    assert (count(RuleVersion), count(JobRun), count(AuditEvent, AuditEvent.action.like("rule.%"))) == before


def test_valid_json_records_a_new_version(client, admin, make_facility):
    old = current("decree-40-2019", "wastewater", "e")
    data = editable(old)
    data["exemptions"] = [
        {"condition": {"attr": "aquaculture", "op": "is_true"}, "reason": "nuôi trồng thủy sản"}
    ]
    assert post_json(client, old, editable(old)).status_code == 400  # nothing changed
    response = post_json(client, old, data)
    assert response.status_code == 302, response.get_data(as_text=True)
    new = current("decree-40-2019", "wastewater", "e")
    assert new.data["exemptions"] == data["exemptions"] and new.supersedes_id == old.id
    facility = make_facility(ppc_designated=True, aquaculture=True)
    [ww, _] = services.evaluate_facility(facility, services.rule_set("decree-40-2019"))
    assert ww["status"] == "not_required"


def test_a_header_change_is_a_new_version(client, admin):
    header = services.rule_set("decree-05-2025").header
    form = {
        "name": header.data["name"],
        "deadline": "2025-12-31",
        "deadline_note": "Thời hạn: {deadline}.",
        "valid_from": "2025-01-06",
        "reason": "gia hạn",
    }
    assert client.post(f"/admin/rules/versions/{header.id}/edit", data=form).status_code == 302
    new = services.rule_set("decree-05-2025").header
    assert new.id != header.id and new.data["deadline"] == "2025-12-31" and new.confidence == "to_verify"


@pytest.mark.parametrize("role", ["inspector", "leader", "enterprise"])
def test_only_administrators_reach_the_rule_pages(client, make_user, login, role):
    login(make_user(role))
    version = current("decree-40-2019", "wastewater", "b")
    for url in ("/admin/rules/", "/admin/rules/decree-40-2019", f"/admin/rules/versions/{version.id}/edit"):
        assert client.get(url).status_code == 403
    before = count(RuleVersion)
    assert (
        client.post(f"/admin/rules/versions/{version.id}/edit", data=clause_post(version, ["1"])).status_code
        == 403
    )
    assert client.post(f"/admin/rules/versions/{version.id}/verify", data={"source": "x"}).status_code == 403
    assert count(RuleVersion) == before


def test_the_pages_list_regimes_clauses_and_versions(client, admin):
    listing = client.get("/admin/rules/").get_data(as_text=True)
    assert all(code in listing for code in services.regime_codes())
    page = client.get("/admin/rules/decree-05-2025").get_data(as_text=True)
    assert "badge to-verify" in page and "row2" in page and "incinerator" in page
    assert "lưu lượng nước thải thiết kế ≥ 200 m³/ngày" in page
    assert client.get("/admin/rules/no-such-regime").status_code == 404
    assert client.get("/admin/rules/versions/999999/edit").status_code == 404
    assert client.get("/admin/rules/decree-05-2025/copy").status_code == 200
    header = services.rule_set("decree-05-2025").header
    assert "2024-12-31" in client.get(f"/admin/rules/versions/{header.id}/edit").get_data(as_text=True)
    incinerator = current("decree-05-2025", "emission", "incinerator")
    page = client.get(f"/admin/rules/versions/{incinerator.id}/edit").get_data(as_text=True)
    assert 'value="0,5"' in page and "lò đốt chất thải (incinerator)" in page
    unchanged = client.post(
        f"/admin/rules/versions/{incinerator.id}/edit", data=clause_post(incinerator, ["0,5"])
    )
    assert unchanged.status_code == 400 and "Không có gì thay đổi" in unchanged.get_data(as_text=True)


def test_the_audit_trail_shows_each_change(client, admin):
    old = current("decree-40-2019", "wastewater", "d")
    client.post(f"/admin/rules/versions/{old.id}/edit", data=clause_post(old, ["900"]))
    new = current("decree-40-2019", "wastewater", "d")
    client.post(f"/admin/rules/versions/{new.id}/verify", data={"source": "Nghị định 40/2019/NĐ-CP"})
    client.post(
        "/admin/rules/decree-40-2019/copy",
        data={"code": "decree-40-test", "name": "Bản sao", "valid_from": "2021-01-01", "reason": "thử"},
    )
    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    actions = [e.action for e in events if e.action.startswith(("rule.", "regime."))]
    assert actions == ["rule.version_recorded", "rule.verified", "regime.copied"]
    recorded = next(e for e in events if e.action == "rule.version_recorded")
    assert recorded.changes["condition.value"] == [1000, 900] and recorded.actor_id == admin.id
    assert recorded.reason == "đọc lại văn bản"
    trail = client.get("/admin/audit/?action=rule").get_data(as_text=True)
    assert "rule.version_recorded" in trail and "rule.verified" in trail and "condition.value" in trail
    assert "regime.copied" in client.get("/admin/audit/?action=regime").get_data(as_text=True)


def test_a_clause_of_a_regime_without_start_can_be_corrected(client, admin):
    old = current("decree-38-2015", "wastewater", "flow", date(2018, 1, 1))
    assert old.valid_from is None
    response = client.post(f"/admin/rules/versions/{old.id}/edit", data=clause_post(old, ["1200"]))
    assert response.status_code == 302, response.get_data(as_text=True)
    new = current("decree-38-2015", "wastewater", "flow", date(2018, 1, 1))
    assert (new.valid_from, new.valid_to) == (None, date(2019, 6, 30))
    assert new.data["condition"]["value"] == 1200
