"""The notice pages: drafting from a case, editing, the workflow's buttons, PDFs, lists, and refusals."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from flask import g
from flask.testing import FlaskClient

from app.extensions import db
from app.notices.models import CONTENT_COLUMNS, Notice
from tests.conftest import PASSWORD


class OwnUserClient(FlaskClient):
    """A client whose requests never reuse another client's user cached on ``g`` (one app context in tests)."""

    def open(self, *args, **kwargs):
        g.pop("_login_user", None)
        return super().open(*args, **kwargs)


@pytest.fixture
def as_user(app):
    """A test client logged in as the user."""

    def make(user):
        client = OwnUserClient(app, app.response_class, use_cookies=True)
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302
        return client

    return make


def test_draft_edit_submit_approve_issue_through_the_pages(make_case, inspector, leader, as_user):
    case = make_case()
    staff = as_user(inspector)
    page = staff.get(f"/notices/new?case={case.id}&step=1")
    assert page.status_code == 200 and "Công văn đôn đốc lần 1" in page.get_data(as_text=True)
    response = staff.post(f"/notices/new?case={case.id}&step=1")
    assert response.status_code == 302
    notice = db.session.scalar(sa.select(Notice).where(Notice.case_id == case.id))
    assert (
        staff.get(f"/notices/new?case={case.id}&step=1")
        .headers["Location"]
        .endswith(f"/notices/{notice.id}/edit")
    )
    form = staff.get(f"/notices/{notice.id}/edit")
    assert "V/v đôn đốc" in form.get_data(as_text=True)
    data = {
        "summary": "V/v đôn đốc kết nối truyền số liệu",
        "addressee": "Công ty TNHH Thủy sản Mê Kông",
        "body": notice.body + "\n\nĐoạn bổ sung.",
        "requests": "\n".join(notice.requests),
        "copies_to": "Như trên\nUBND phường Trà Nóc",
        "signer_authority": "KT. GIÁM ĐỐC",
        "signer_title": "PHÓ GIÁM ĐỐC",
        "signer_name": "Trần Thị Bình",
    }
    assert staff.post(f"/notices/{notice.id}/edit", data=data).status_code == 302
    assert (
        notice.summary == "V/v đôn đốc kết nối truyền số liệu"
        and notice.copies_to[1] == "UBND phường Trà Nóc"
    )
    preview = staff.get(f"/notices/{notice.id}/preview.pdf")
    assert preview.status_code == 200 and preview.data.startswith(b"%PDF")
    assert staff.post(f"/notices/{notice.id}/submit").status_code == 302 and notice.status == "submitted"
    boss = as_user(leader)
    refused = boss.post(f"/notices/{notice.id}/issue")
    assert refused.status_code == 403, refused.headers.get("Location")
    boss.post(f"/notices/{notice.id}/approve")
    assert notice.status == "approved"
    staff.post(f"/notices/{notice.id}/issue")
    assert notice.status == "issued" and notice.number_text.endswith("/SNNMT-CCBVMT")
    download = staff.get(f"/notices/{notice.id}/pdf")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    detail = staff.get(f"/notices/{notice.id}").get_data(as_text=True)
    # The history names the issue in words (the audit action code stays out of the page).
    assert notice.pdf_sha256 in detail and "<td>Đã ban hành</td>" in detail and "notice.issued" not in detail
    listing = staff.get("/notices/?status=issued").get_data(as_text=True)
    assert notice.number_text in listing


def test_a_leader_returns_with_a_reason(drafted, workflow, leader, as_user):
    notice = workflow(drafted(1), "submitted")
    boss = as_user(leader)
    boss.post(f"/notices/{notice.id}/return", data={"return-reason": ""})
    assert notice.status == "submitted"
    boss.post(f"/notices/{notice.id}/return", data={"return-reason": "Bổ sung số liệu"})
    assert notice.status == "draft" and notice.returned_reason == "Bổ sung số liệu"


def test_an_enterprise_user_sees_no_notice_page(drafted, make_user, as_user):
    notice = drafted(1)
    outsider = as_user(make_user("enterprise"))
    assert outsider.get(f"/notices/{notice.id}").status_code == 403
    assert outsider.get("/notices/").status_code == 403


def _snapshot(notice_id: int) -> dict:
    db.session.expire_all()
    notice = db.session.get(Notice, notice_id)
    return {name: getattr(notice, name) for name in (*CONTENT_COLUMNS, "status")}


def _post_everywhere(app, clients, notice, skip: tuple[str, ...] = ()) -> None:
    """POST every notice route as each client; the notice's content and status never change."""
    before = _snapshot(notice.id)
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("notices.") and "POST" in r.methods]
    assert len(rules) >= 10
    edit = {
        "summary": "đổi",
        "addressee": "khác",
        "body": "khác",
        "requests": "x",
        "copies_to": "y",
        "signer_title": "a",
        "signer_name": "b",
        "reason": "lý do",
        "return-reason": "lý do",
        "cancel-reason": "lý do",
        "notice_ids": str(notice.id),
        "case_ids": str(notice.case_id),
        "step": "1",
    }
    for client in clients:
        for rule in rules:
            if rule.endpoint in skip:
                continue
            url = rule.rule.replace("<int:notice_id>", str(notice.id)).replace("<int:run_id>", "1")
            if "new" in url:
                url += f"?case={notice.case_id}&step=1"
            response = client.post(url, data=edit)
            assert response.status_code < 500, url
            assert _snapshot(notice.id) == before, url


def test_no_route_changes_an_issued_notice(app, drafted, workflow, inspector, leader, as_user):
    notice = workflow(drafted(1), "issued")
    _post_everywhere(app, (as_user(inspector), as_user(leader)), notice)


def test_a_reserved_notice_only_changes_by_finishing_its_issue(
    app, drafted, workflow, inspector, leader, as_user
):
    from app.audit.actor import acting_as
    from app.notices import services_issue

    notice = workflow(drafted(1), "approved")
    with acting_as("test", inspector.id):
        services_issue.reserve_number(notice, inspector, "https://quantrac.test")
    staff = as_user(inspector)
    # Issuing, one or many, finishes it: that is tested below and in the bulk tests.
    _post_everywhere(app, (staff, as_user(leader)), notice, skip=("notices.issue", "notices.bulk_issue"))
    detail = staff.get(f"/notices/{notice.id}").get_data(as_text=True)
    assert "Số 01/SNNMT-CCBVMT đã được giữ" in detail and "Hoàn tất phát hành" in detail
    assert "Hủy văn bản" not in detail
    staff.post(f"/notices/{notice.id}/issue")
    db.session.expire_all()
    notice = db.session.get(Notice, notice.id)
    assert notice.status == "issued" and notice.number_text == "01/SNNMT-CCBVMT" and notice.pdf_sha256
    assert notice.site_url == "https://quantrac.test"  # the link printed is the one fixed at reservation


def test_the_verification_page_shows_the_facts_and_checks_a_file(app, drafted, workflow, client):
    notice = workflow(drafted(1), "issued")
    page = client.get(f"/v/{notice.verify_token}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and notice.number_text in text and notice.pdf_sha256 in text
    assert "Công ty TNHH Thủy sản Mê Kông" in text and "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG" in text
    assert notice.body[:40] not in text  # nothing else is shown
    with open(f"{app.instance_path}/{notice.pdf_path}", "rb") as stream:
        original = stream.read()
    same = client.post(f"/v/{notice.verify_token}", data={"file": (io.BytesIO(original), "a.pdf")})
    assert "identical" in same.get_data(as_text=True) or "trùng khớp" in same.get_data(as_text=True)
    other = client.post(f"/v/{notice.verify_token}", data={"file": (io.BytesIO(original + b"x"), "a.pdf")})
    assert other.status_code == 200 and notice.pdf_sha256 in other.get_data(as_text=True)
    assert "differs" in other.get_data(as_text=True) or "khác" in other.get_data(as_text=True)


def test_the_verification_page_is_404_for_unknown_or_unissued(drafted, client):
    draft = drafted(1)
    assert client.get(f"/v/{draft.verify_token}").status_code == 404
    assert client.get("/v/not-a-token").status_code == 404
