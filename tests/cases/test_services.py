"""Case use cases on the database: an inspector's close, assignment and notes; the ladder; effectiveness."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.audit.actor import acting_as
from app.audit.models import AuditEvent
from app.cases import services
from app.cases.ladder_services import current_step, current_steps, history, supersede_step
from app.cases.models import Case, CaseEvent, LadderStep
from app.db import utcnow
from app.errors import DomainError
from app.extensions import db
from app.formatting import LOCAL_TZ
from app.notices.models import Notice, NoticeAnswer, NoticeReceipt
from tests.cases.conftest import AS_OF


@pytest.fixture
def case(facility) -> Case:
    made = Case(facility_id=facility.id, kind="not_installed", evidence={"sentence": "chưa lắp đặt."})
    db.session.add(made)
    db.session.flush()
    return made


@pytest.fixture
def inspector(make_user):
    return make_user("inspector", full_name="Trần Văn Lộc")


def audit_actions(obj) -> list[str]:
    query = (
        sa.select(AuditEvent.action)
        .where(AuditEvent.object_type == obj.__tablename__, AuditEvent.object_id == str(obj.id))
        .order_by(AuditEvent.id)
    )
    return list(db.session.scalars(query))


NUMBERS = iter(range(1, 10_000))


def issue(case: Case, position: int, issued_on: date, **values) -> Notice:
    number = next(NUMBERS)
    notice = Notice(
        case_id=case.id,
        facility_id=case.facility_id,
        step_position=position,
        ladder_step_id=values.pop("ladder_step_id", current_step(position).id),
        document_type="CV",
        register="CV",
        status="issued",
        summary="V/v đôn đốc",
        number=number,
        year=issued_on.year,
        number_text=f"{number:02d}/SNNMT-CCBVMT",
        issued_on=issued_on,
        issued_at=values.pop("issued_at", None),
        pdf_sha256="0" * 64,
        verify_token=uuid.uuid4().hex,
        **values,
    )
    db.session.add(notice)
    db.session.flush()
    return notice


def close_event(case: Case, on: date) -> None:
    from datetime import datetime, time

    db.session.add(CaseEvent(case_id=case.id, kind="closed", at=datetime.combine(on, time(9), LOCAL_TZ)))
    db.session.flush()


def test_an_inspector_closes_a_case_with_a_reason(case, inspector):
    with acting_as(inspector.email, inspector.id):
        with pytest.raises(DomainError):
            services.close_case(case, "  ")
        services.close_case(case, "Đã kiểm tra thực tế: cơ sở ngừng xả thải.")
        with pytest.raises(DomainError):
            services.close_case(case, "lần nữa")
    assert (case.status, case.closed_by_id) == ("closed", inspector.id)
    event = db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id)).one()
    assert (event.kind, event.by_id, event.text) == ("closed", inspector.id, case.close_reason)
    assert event.evidence == case.evidence
    assert audit_actions(case) == ["case.closed"]


def test_assigning_an_inspector_and_adding_a_note(case, inspector, make_user):
    with acting_as(inspector.email, inspector.id):
        services.assign_inspector(case, inspector.id)
        services.assign_inspector(case, inspector.id)  # no change, no record
        with pytest.raises(DomainError):
            services.assign_inspector(case, make_user("leader").id)
        services.add_note(case, "Đã gọi điện cho cơ sở.")
        with pytest.raises(DomainError):
            services.add_note(case, "")
    assert case.inspector_id == inspector.id
    assert [e.kind for e in services.events(case)] == ["note"]
    assert audit_actions(case) == ["case.assigned", "case.note"]
    assert inspector in services.inspectors()


def test_the_list_shows_the_proposal_and_filters_on_it(case, facility):
    rows = services.list_cases(services.Filters(), AS_OF)
    assert [r.case for r in rows] == [case]
    assert (rows[0].proposal.position, rows[0].proposal.reason) == (1, "first_step")
    case.step, case.step_issued_on = 1, AS_OF - timedelta(days=16)
    db.session.flush()
    (row,) = services.list_cases(services.Filters(flag="overdue"), AS_OF)
    assert row.answer_due_on == AS_OF - timedelta(days=1) and row.is_overdue
    assert row.proposal.position == 2
    assert services.list_cases(services.Filters(flag="proposed", step=1, commune=facility.commune), AS_OF)
    assert not services.list_cases(services.Filters(step=2), AS_OF)
    assert not services.list_cases(services.Filters(kind="exceedance"), AS_OF)
    assert not services.list_cases(services.Filters(status="closed"), AS_OF)
    assert services.communes() == [facility.commune]
    assert services.counts_by_step() == {1: 1}


def test_current_steps_are_the_seeded_ladder_ordered_by_position():
    steps = current_steps()
    assert [(s.position, s.document_type, s.answer_days, s.wait_days) for s in steps] == [
        (1, "CV", 15, 15),
        (2, "CV", 10, 10),
        (3, "GM", 10, 10),
        (4, "TTr", None, None),
    ]


def test_editing_a_step_supersedes_its_row_never_edits_it(make_user):
    admin = make_user("admin")
    old = current_step(1)
    old_id, old_body = old.id, old.body_template
    with acting_as(admin.email, admin.id):
        new = supersede_step(1, {"answer_days": 20, "wait_days": 20}, "Quyết định mới của Sở")
    assert new.id != old_id and new.answer_days == 20 and new.body_template == old_body
    assert db.session.get(LadderStep, old_id).superseded_at is not None
    assert db.session.get(LadderStep, old_id).answer_days == 15
    assert [s.id for s in history(1)] == [new.id, old_id]
    assert current_steps()[0].id == new.id
    assert new.recorded_by_id == admin.id and new.reason == "Quyết định mới của Sở"
    assert audit_actions(new) == ["ladder_step.superseded"]


@pytest.mark.parametrize(
    ("values", "reason", "field"),
    [
        ({"answer_days": 5}, "", "reason"),
        ({"summary_template": "V/v {unknown}"}, "sửa", "summary_template"),
        ({"body_template": "Căn cứ {legal_basis"}, "sửa", "body_template"),
        ({"document_type": "QĐ"}, "sửa", "document_type"),
        ({"name": " "}, "sửa", "name"),
        ({}, "không đổi gì", "name"),
    ],
)
def test_a_bad_step_edit_is_refused_naming_the_field(values, reason, field):
    with pytest.raises(DomainError) as refused:
        supersede_step(2, values, reason)
    assert refused.value.field == field
    assert len(history(2)) == 1


def test_notice_effectiveness_from_issued_notices_and_closings(facility, make_facility):
    first = Case(facility_id=facility.id, kind="not_installed")
    other = make_facility()
    second = Case(facility_id=other.id, kind="lost_connection")
    db.session.add_all([first, second])
    db.session.flush()
    issue(first, 1, date(2026, 1, 5))
    close_event(first, date(2026, 1, 12))  # 7 days: within 15
    issue(second, 1, date(2026, 1, 5))  # still open
    notice = issue(second, 2, date(2026, 2, 1))
    close_event(second, date(2026, 1, 20))  # before the step-2 notice: does not count for it
    db.session.add(NoticeAnswer(notice_id=notice.id, text="Đã khắc phục"))
    db.session.add(NoticeReceipt(notice_id=notice.id, kind="opened", at=utcnow()))
    db.session.flush()
    by_position = {f.position: f for f in services.notice_effectiveness()}
    assert set(by_position) == {1, 2, 3, 4}
    step1 = by_position[1]
    assert (step1.notices, step1.cleared, step1.cleared_within, step1.share_within) == (2, 2, 2, 1.0)
    assert step1.median_days == (7 + 15) / 2
    step2 = by_position[2]
    assert (step2.notices, step2.cleared, step2.median_days, step2.share_within) == (1, 0, None, 0.0)
    listed = services.case_notices(second)
    assert [(i["notice"].step_position, i["answers"], len(i["receipts"])) for i in listed] == [
        (1, 0, 0),
        (2, 1, 1),
    ]
