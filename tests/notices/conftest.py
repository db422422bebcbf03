"""Fixtures of the notices tests: a case with the sweep's evidence, notices along the workflow."""

from __future__ import annotations

import pytest

from app.audit.actor import acting_as
from app.extensions import db

EVIDENCE = {
    "subject": "lắp đặt, kết nối truyền số liệu quan trắc tự động",
    "sentence": "chưa kết nối truyền số liệu quan trắc nước thải tự động theo quy định.",
    "table": {
        "caption": "Bảng 1. Trạm quan trắc của cơ sở",
        "header": ["Trạm", "Lắp đặt", "Kết nối", "Tỷ lệ dữ liệu"],
        "rows": [
            ["NT-01 Cửa xả nước thải", "Đã lắp đặt", "Chưa kết nối", "0,0%"],
            ["NT-02", "Đã lắp đặt", "Chưa kết nối", None],
        ],
    },
    "legal_basis": [
        "Khoản 3 Điều 97 Nghị định số 08/2022/NĐ-CP ngày 10 tháng 01 năm 2022 của Chính phủ",
        "Thông tư số 10/2021/TT-BTNMT ngày 30 tháng 6 năm 2021",
    ],
    "as_of": "2026-12-01",
}


@pytest.fixture
def make_case(make_facility, make_enterprise):
    """Create an open case with the sweep's evidence."""
    from app.cases.models import Case

    def make(kind: str = "not_connected", rule_version_ids=None, **values):
        enterprise = make_enterprise("Công ty TNHH Thủy sản Mê Kông")
        facility = make_facility(enterprise=enterprise, name="Nhà máy chế biến thủy sản Trà Nóc")
        case = Case(
            facility_id=facility.id,
            kind=kind,
            evidence=values.pop("evidence", EVIDENCE),
            rule_version_ids=rule_version_ids or [],
            **values,
        )
        db.session.add(case)
        db.session.flush()
        return case

    return make


@pytest.fixture
def inspector(make_user):
    return make_user("inspector")


@pytest.fixture
def leader(make_user):
    return make_user("leader")


@pytest.fixture
def workflow(inspector, leader):
    """Move a notice along: draft → submitted → approved → issued."""
    from app.notices import services, services_issue

    def to(notice, status: str):
        with acting_as("test", inspector.id):
            if notice.status == "draft" and status != "draft":
                services.submit_notice(notice)
            if notice.status == "submitted" and status in ("approved", "issued"):
                services.approve_notice(notice, leader)
            if notice.status == "approved" and status == "issued":
                services_issue.issue_notice(notice, inspector, "https://quantrac.test")
        return notice

    return to


@pytest.fixture
def drafted(make_case, inspector):
    """Draft the step ``position`` of a fresh case."""
    from app.notices import services

    def make(position: int = 1, **case_values):
        case = make_case(**case_values)
        with acting_as("test", inspector.id):
            return services.draft_notice(case, position, inspector)

    return make
