"""Case pages: who sees and who acts, the list's filters, a case's page, the ladder's administration."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.cases.ladder_services import current_step, history
from app.cases.models import Case, CaseEvent
from app.cases.sweep_services import run_sweep
from app.extensions import db
from tests.cases.conftest import AS_OF


@pytest.fixture
def case(facility) -> Case:
    run_sweep(AS_OF)
    return db.session.scalars(sa.select(Case).where(Case.facility_id == facility.id)).one()


@pytest.mark.parametrize(
    ("role", "status"), [("inspector", 200), ("leader", 200), ("admin", 200), ("enterprise", 403)]
)
def test_staff_read_the_list_and_a_case(client, login, make_user, case, role, status):
    login(make_user(role))
    assert client.get("/cases/").status_code == status
    assert client.get(f"/cases/{case.id}").status_code == status
    assert client.get("/cases/ladder/").status_code == status


def test_the_list_shows_the_case_its_proposal_and_the_effectiveness(client, login, make_user, case, facility):
    login(make_user("leader"))
    page = client.get("/cases/").get_data(as_text=True)
    assert facility.code in page and f"/cases/{case.id}" in page
    assert "Công văn đôn đốc lần 1" in page
    assert "Hiệu quả của văn bản" in page or "Notice effectiveness" in page
    assert facility.code not in client.get("/cases/?kind=exceedance").get_data(as_text=True)
    assert facility.code not in client.get("/cases/?status=closed").get_data(as_text=True)
    assert facility.code in client.get("/cases/?flag=proposed&step=0").get_data(as_text=True)
    assert facility.code not in client.get("/cases/?flag=overdue").get_data(as_text=True)
    assert facility.code in client.get(f"/cases/?commune={facility.commune}&status=all").get_data(
        as_text=True
    )


def test_a_case_page_shows_evidence_history_and_the_draft_link(client, login, make_user, case, facility):
    login(make_user("inspector"))
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert case.evidence["sentence"] in page
    assert case.evidence["table"]["caption"] in page
    assert case.evidence["legal_basis"][0] in page
    assert f'href="/notices/new?case={case.id}&amp;step=1"' in page
    assert f'action="/cases/{case.id}/close"' in page


def test_a_leader_reads_but_cannot_act(client, login, make_user, case):
    login(make_user("leader"))
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "/notices/new" not in page and "/close" not in page
    assert client.post(f"/cases/{case.id}/close", data={"close-reason": "x"}).status_code == 403
    assert client.post(f"/cases/{case.id}/note", data={"note-text": "x"}).status_code == 403


def test_an_inspector_closes_with_a_reason_assigns_and_notes(client, login, make_user, case):
    inspector = make_user("inspector", full_name="Trần Văn Lộc")
    login(inspector)
    refused = client.post(f"/cases/{case.id}/close", data={"close-reason": ""})
    assert refused.status_code == 400 and case.status == "open"
    assert client.post(f"/cases/{case.id}/note", data={"note-text": "Đã gọi điện."}).status_code == 302
    assert (
        client.post(f"/cases/{case.id}/assign", data={"assign-inspector_id": str(inspector.id)}).status_code
        == 302
    )
    bad = client.post(f"/cases/{case.id}/assign", data={"assign-inspector_id": "999999"})
    assert bad.status_code == 400
    closed = client.post(f"/cases/{case.id}/close", data={"close-reason": "Cơ sở ngừng hoạt động."})
    assert closed.status_code == 302
    db.session.refresh(case)
    assert (case.status, case.close_reason, case.inspector_id) == (
        "closed",
        "Cơ sở ngừng hoạt động.",
        inspector.id,
    )
    kinds = db.session.scalars(
        sa.select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    )
    assert list(kinds) == ["opened", "note", "closed"]
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Đã gọi điện." in page and "Trần Văn Lộc" in page
    again = client.post(f"/cases/{case.id}/close", data={"close-reason": "lần nữa"})
    assert again.status_code == 400


def test_an_unknown_case_is_404(client, login, make_user):
    login(make_user("inspector"))
    assert client.get("/cases/999999").status_code == 404


def step_form(step, **values) -> dict:
    data = {
        "document_type": step.document_type,
        "name": step.name,
        "summary_template": step.summary_template,
        "body_template": step.body_template,
        "request_template": step.request_template,
        "answer_days": str(step.answer_days or ""),
        "wait_days": str(step.wait_days or ""),
        "reason": "Quyết định của Giám đốc Sở",
    }
    data.update(values)
    return data


def test_only_an_administrator_edits_a_step_and_it_becomes_a_new_version(client, login, make_user):
    step = current_step(2)
    login(make_user("inspector"))
    assert client.get("/cases/ladder/2/edit").status_code == 403
    client.post("/logout")
    login(make_user("admin"))
    form = client.get("/cases/ladder/2/edit")
    assert form.status_code == 200 and step.name in form.get_data(as_text=True)
    bad = client.post("/cases/ladder/2/edit", data=step_form(step, summary_template="V/v {nope}"))
    assert bad.status_code == 400 and "{nope}" in bad.get_data(as_text=True)
    no_reason = client.post("/cases/ladder/2/edit", data=step_form(step, answer_days="7", reason=""))
    assert no_reason.status_code == 400
    assert client.post("/cases/ladder/2/edit", data=step_form(step, answer_days="7")).status_code == 302
    versions = history(2)
    assert [v.answer_days for v in versions] == [7, 10]
    assert versions[1].superseded_at is not None
    page = client.get("/cases/ladder/").get_data(as_text=True)
    assert "Quyết định của Giám đốc Sở" in page
    assert client.get("/cases/ladder/9/edit").status_code == 404


def test_the_case_page_lists_its_notices_and_the_list_their_effectiveness(client, login, make_user, case):
    from datetime import date

    from app.notices.models import NoticeAnswer
    from tests.cases.test_services import close_event, issue

    notice = issue(case, 1, date(2026, 1, 5), answer_due_on=date(2026, 1, 20))
    db.session.add(NoticeAnswer(notice_id=notice.id, text="Đang lắp đặt."))
    close_event(case, date(2026, 1, 10))
    login(make_user("inspector"))
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert notice.number_text in page and "20/01/2026" in page
    listing = client.get("/cases/?status=all").get_data(as_text=True)
    assert "100,0% (1/1)" in listing
