"""The same step for many cases: candidates, drafting, approving many, issuing by a job with a result."""

from __future__ import annotations

import sqlalchemy as sa

from app.audit.actor import acting_as
from app.db import commit
from app.extensions import db
from app.jobs.models import JobRun
from app.notices import services_bulk
from app.notices.models import Notice
from tests.notices.test_views import as_user  # noqa: F401  (the fixture)


def test_candidates_are_open_cases_proposing_the_step(make_case):
    fresh = make_case()
    other = make_case(kind="not_installed")
    closed = make_case(status="closed")
    found = {c.case.id for c in services_bulk.candidates(1, "not_connected")}
    assert fresh.id in found and other.id not in found and closed.id not in found
    assert other.id in {c.case.id for c in services_bulk.candidates(1)}
    assert fresh.id not in {c.case.id for c in services_bulk.candidates(2)}


def test_draft_approve_and_issue_many_through_the_pages(make_case, make_facility, inspector, leader, as_user):  # noqa: F811
    cases = [make_case() for _ in range(4)]
    staff, boss = as_user(inspector), as_user(leader)
    page = staff.get("/notices/bulk?kind=not_connected&step=1").get_data(as_text=True)
    assert f'value="{cases[0].id}"' in page
    staff.post("/notices/bulk/draft", data={"step": "1", "case_ids": [str(c.id) for c in cases]})
    ids = db.session.scalars(sa.select(Notice.id).where(Notice.case_id.in_([c.id for c in cases]))).all()
    assert len(ids) == 4
    staff.post("/notices/bulk/submit", data={"notice_ids": [str(i) for i in ids]})
    boss.post("/notices/bulk/approve", data={"notice_ids": [str(i) for i in ids]})
    assert set(db.session.scalars(sa.select(Notice.status).where(Notice.id.in_(ids)))) == {"approved"}
    # One of them rests on a rule version still to verify: it fails alone.
    from app.compliance.models import RuleVersion

    rule = RuleVersion(regime="nd08", kind="wastewater", clause="97", data={}, confidence="to_verify")
    db.session.add(rule)
    db.session.flush()
    blocked = db.session.get(Notice, ids[1])
    blocked.rule_version_ids = [rule.id]
    commit()
    response = staff.post("/notices/bulk/issue", data={"notice_ids": [str(i) for i in ids]})
    assert response.status_code == 302 and "/notices/bulk/runs/" in response.headers["Location"]
    run = db.session.scalar(sa.select(JobRun).where(JobRun.name == "notices.bulk_issue"))
    assert run.status == "finished" and run.progress_done == run.progress_total == 4
    assert [f["notice_id"] for f in run.result["failed"]] == [ids[1]]
    db.session.expire_all()
    numbers = sorted(db.session.scalars(sa.select(Notice.number).where(Notice.status == "issued")))
    assert numbers == [1, 2, 3]
    assert db.session.get(Notice, ids[1]).status == "approved"
    result = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "01/SNNMT-CCBVMT" in result and f"#{ids[1]}" in result
    status = staff.get(f"/notices/bulk/runs/{run.id}.json").get_json()
    assert status["percent"] == 100


def test_approve_many_is_for_leaders(drafted, workflow, inspector):
    notice = workflow(drafted(1), "submitted")
    with acting_as("test", inspector.id):
        assert services_bulk.approve_many([notice.id], inspector) == 1
    assert notice.status == "approved"


def test_a_step_typed_into_the_address_is_not_a_server_error(inspector, as_user):  # noqa: F811
    staff = as_user(inspector)
    for step in ("<script>", "x", "²", ""):
        response = staff.get("/notices/bulk", query_string={"step": step})
        assert response.status_code == 200, step
        assert "<script>" not in response.get_data(as_text=True)
