"""Drafting from the ladder, the workflow's transitions, issue with its number, PDF and case step."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from app.audit.actor import acting_as
from app.audit.models import AuditEvent
from app.cases.models import CaseEvent
from app.errors import DomainError
from app.extensions import db
from app.notices import services, services_issue
from app.notices.services import WrongState


def test_a_draft_is_filled_from_the_step_and_the_case_evidence(drafted):
    notice = drafted(1)
    assert notice.status == "draft" and notice.document_type == "CV" and notice.register == "CV"
    assert notice.summary == "V/v đôn đốc lắp đặt, kết nối truyền số liệu quan trắc tự động"
    assert notice.addressee == "Công ty TNHH Thủy sản Mê Kông"
    assert "Nhà máy chế biến thủy sản Trà Nóc (Công ty TNHH Thủy sản Mê Kông) chưa kết nối" in notice.body
    assert "Căn cứ Khoản 3 Điều 97 Nghị định số 08/2022/NĐ-CP" in notice.body
    assert "Sở Nông nghiệp và Môi trường nhận thấy" in notice.body
    assert "{facts}" in notice.body and "{deadline}" in notice.requests[0]
    assert notice.facts["header"][0] == "Trạm" and notice.copies_to[0] == "Như trên"
    assert notice.signer_authority == "KT. GIÁM ĐỐC" and len(notice.verify_token) >= 40
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "notice.drafted"))


def test_drafting_the_same_step_twice_gives_the_open_draft(drafted, inspector):
    notice = drafted(1)
    with acting_as("test", inspector.id):
        assert services.draft_notice(notice.case, 1, inspector) is notice


def test_the_whole_workflow_issues_with_number_pdf_and_case_step(drafted, workflow, app):
    notice = drafted(1)
    workflow(notice, "issued")
    assert notice.status == "issued" and notice.number == 1 and notice.year == notice.issued_on.year
    assert notice.number_text == "01/SNNMT-CCBVMT"
    assert notice.answer_due_on == notice.issued_on + __import__("datetime").timedelta(days=15)
    assert (
        "{deadline}" not in notice.requests[0]
        and notice.answer_due_on.strftime("%d/%m/%Y") in notice.requests[0]
    )
    path = os.path.join(app.instance_path, notice.pdf_path)
    assert notice.pdf_path == f"notices/{notice.pdf_sha256[:2]}/{notice.pdf_sha256}.pdf"
    with open(path, "rb") as stream:
        data = stream.read()
    import hashlib

    assert hashlib.sha256(data).hexdigest() == notice.pdf_sha256
    case = notice.case
    assert case.step == 1 and case.step_issued_on == notice.issued_on
    event = db.session.scalar(sa.select(CaseEvent).where(CaseEvent.notice_id == notice.id))
    assert event.kind == "notice_issued"
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.object_type == "notices")
    ).all()
    assert {"notice.drafted", "notice.submitted", "notice.approved", "notice.issued"} <= set(actions)


def test_the_second_step_cites_the_first_notice(drafted, workflow, inspector):
    first = workflow(drafted(1), "issued")
    with acting_as("test", inspector.id):
        second = services.draft_notice(first.case, 2, inspector)
    assert f"Công văn số {first.number_text}" in second.body
    assert first.issued_on.strftime("%d/%m/%Y") in second.body


def test_only_an_approved_notice_is_issued(drafted, inspector):
    notice = drafted(1)
    with acting_as("test", inspector.id), pytest.raises(WrongState):
        services_issue.issue_notice(notice, inspector, "https://quantrac.test")


def test_return_needs_a_reason_and_goes_back_to_draft(drafted, workflow, inspector):
    notice = workflow(drafted(1), "submitted")
    with acting_as("test", inspector.id):
        with pytest.raises(DomainError):
            services.return_notice(notice, " ")
        services.return_notice(notice, "Sửa lại căn cứ pháp lý")
    assert notice.status == "draft" and notice.returned_reason == "Sửa lại căn cứ pháp lý"


def test_cancel_before_issue_only(drafted, workflow, inspector):
    notice = drafted(1)
    with acting_as("test", inspector.id):
        services.cancel_notice(notice, "Trùng văn bản")
    assert notice.status == "cancelled"
    issued = workflow(drafted(1), "issued")
    with acting_as("test", inspector.id), pytest.raises(WrongState):
        services.cancel_notice(issued, "không được")


def test_no_issue_on_a_rule_version_to_verify(drafted, workflow, inspector):
    from app.compliance.models import RuleVersion

    rule = RuleVersion(regime="nd08", kind="wastewater", clause="97.3", data={}, confidence="to_verify")
    db.session.add(rule)
    db.session.flush()
    notice = workflow(drafted(1, rule_version_ids=[rule.id]), "approved")
    with acting_as("test", inspector.id), pytest.raises(DomainError) as error:
        services_issue.issue_notice(notice, inspector, "https://quantrac.test")
    assert "xác minh" in error.value.message or "verify" in error.value.message
    assert notice.status == "approved"


def test_a_correction_is_a_new_draft_superseding_the_issued(drafted, workflow, inspector):
    issued = workflow(drafted(1), "issued")
    with acting_as("test", inspector.id):
        correction = services_issue.correct_notice(issued, inspector)
    assert correction.status == "draft" and correction.supersedes_id == issued.id
    assert correction.verify_token != issued.verify_token and issued.status == "issued"
    workflow(correction, "issued")
    assert correction.number == 2
