"""The portal's notices: the enterprise's own issued notices, receipts, answers; nothing of others."""

from __future__ import annotations

import hashlib
from io import BytesIO

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.audit.models import AuditEvent
from app.extensions import db
from app.notices.models import NoticeAnswer, NoticeReceipt
from app.settings import services as settings
from app.stations.models import EvidenceFile
from tests.notices.test_delivery_helpers import issued_notice
from tests.portal.helpers import pdf_bytes, png_bytes, upload


@pytest.fixture
def own(make_enterprise, make_facility, make_user):
    """An enterprise with a facility and a user; its notices: a letter, a draft and a submission."""
    enterprise = make_enterprise("Công ty CP Thực phẩm Cửu Long")
    facility = make_facility(enterprise=enterprise, name="Nhà máy Cửu Long")
    user = make_user("enterprise", enterprise=enterprise)
    letter = issued_notice(facility, summary="V/v đôn đốc kết nối truyền số liệu")
    draft = issued_notice(facility, status="draft", summary="Dự thảo chưa ban hành")
    submission = issued_notice(facility, document_type="TTr", summary="Đề xuất kiểm tra đột xuất")
    return {"user": user, "facility": facility, "letter": letter, "draft": draft, "submission": submission}


@pytest.fixture
def other(make_facility, make_user):
    """Another enterprise's user and an issued notice of its own."""
    facility = make_facility(name="Nhà máy khác")
    return {
        "user": make_user("enterprise", enterprise=facility.enterprise),
        "notice": issued_notice(facility),
    }


def receipts(notice, kind: str) -> list[NoticeReceipt]:
    return list(
        db.session.scalars(
            sa.select(NoticeReceipt).where(NoticeReceipt.notice_id == notice.id, NoticeReceipt.kind == kind)
        )
    )


def test_the_list_shows_only_the_enterprises_issued_notices(client, login, own, other):
    login(own["user"])
    page = client.get("/portal/notices/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert own["letter"].number_text in html and "V/v đôn đốc kết nối truyền số liệu" in html
    for hidden in ("Dự thảo chưa ban hành", "Đề xuất kiểm tra đột xuất", other["notice"].number_text):
        assert hidden not in html
    assert 'href="/portal/notices/"' in client.get("/portal/").get_data(as_text=True)  # in the navigation


def test_guessed_urls_of_other_notices_are_404(client, login, own, other):
    login(own["user"])
    for notice in (other["notice"], own["draft"], own["submission"]):
        base = f"/portal/notices/{notice.id}"
        assert client.get(base).status_code == 404
        assert client.get(f"{base}/pdf").status_code == 404
        assert client.post(f"{base}/acknowledge").status_code == 404
        assert client.post(f"{base}/answers", data={"text": "x"}).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(NoticeReceipt.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(NoticeAnswer.id))) == 0


def test_opening_is_recorded_once_per_user_and_the_pdf_is_the_stored_one(client, login, own, make_user, app):
    letter = own["letter"]
    login(own["user"])
    page = client.get(f"/portal/notices/{letter.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert letter.number_text in html and letter.pdf_sha256 in html
    client.get(f"/portal/notices/{letter.id}")
    pdf = client.get(f"/portal/notices/{letter.id}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert hashlib.sha256(pdf.data).hexdigest() == letter.pdf_sha256
    assert len(receipts(letter, "opened")) == 1
    colleague = make_user("enterprise", enterprise=own["facility"].enterprise)
    client.post("/logout")
    login(colleague)
    client.get(f"/portal/notices/{letter.id}/pdf")  # downloading counts as opening
    assert sorted(r.user_id for r in receipts(letter, "opened")) == sorted([own["user"].id, colleague.id])


def test_a_simultaneous_first_opening_is_recorded_once(own, monkeypatch):
    """Two first openings at once: both see nothing recorded, the unique index keeps one receipt."""
    from app.portal import notices_services

    letter, user = own["letter"], own["user"]
    assert notices_services.record_opened(letter, user.id) is not None
    monkeypatch.setattr(notices_services, "has_opened", lambda notice_id, user_id: False)
    assert notices_services.record_opened(letter, user.id) is None
    assert len(receipts(letter, "opened")) == 1
    db.session.flush()  # the session goes on after the refused insert


def test_the_database_keeps_one_acknowledgement_per_notice(own, make_user):
    letter = own["letter"]
    colleague = make_user("enterprise", enterprise=own["facility"].enterprise)
    db.session.add(NoticeReceipt(notice_id=letter.id, kind="acknowledged", user_id=own["user"].id))
    db.session.flush()
    with pytest.raises(sa.exc.IntegrityError), db.session.begin_nested():
        db.session.add(NoticeReceipt(notice_id=letter.id, kind="acknowledged", user_id=colleague.id))
    assert len(receipts(letter, "acknowledged")) == 1


def test_receipt_is_acknowledged_once_and_audited(client, login, own):
    letter = own["letter"]
    login(own["user"])
    response = client.post(f"/portal/notices/{letter.id}/acknowledge")
    assert response.status_code == 302
    again = client.post(f"/portal/notices/{letter.id}/acknowledge", follow_redirects=True)
    assert "đã được xác nhận" in again.get_data(as_text=True)
    [receipt] = receipts(letter, "acknowledged")
    assert receipt.user_id == own["user"].id
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "notice.acknowledged")).all()
    assert [(e.object_id, e.actor_id) for e in events] == [(str(letter.id), own["user"].id)]
    assert "Đã xác nhận nhận văn bản" in client.get(f"/portal/notices/{letter.id}").get_data(as_text=True)


def test_an_answer_with_attachments_is_stored_listed_audited_and_served_to_the_right_people(
    client, login, own, other, make_user
):
    letter = own["letter"]
    login(own["user"])
    pdf, png = pdf_bytes(), png_bytes()
    response = client.post(
        f"/portal/notices/{letter.id}/answers",
        data={
            "text": "Công ty đã kết nối trạm NT-01 từ ngày 02/12/2026.",
            "evidence": [upload(pdf, "bien-ban.pdf"), upload(png, "anh-chup.png")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    [answer] = db.session.scalars(sa.select(NoticeAnswer).where(NoticeAnswer.notice_id == letter.id)).all()
    assert answer.author_id == own["user"].id and answer.text.startswith("Công ty đã kết nối")
    files = db.session.scalars(
        sa.select(EvidenceFile).where(EvidenceFile.object_type == "notice_answers").order_by(EvidenceFile.id)
    ).all()
    assert [(f.object_id, f.mime_type, f.enterprise_id) for f in files] == [
        (answer.id, "application/pdf", own["facility"].enterprise_id),
        (answer.id, "image/png", own["facility"].enterprise_id),
    ]
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "notice.answered"))
    assert event.changes["evidence"] == [None, ["bien-ban.pdf", "anh-chup.png"]]
    page = client.get(f"/portal/notices/{letter.id}").get_data(as_text=True)
    assert "Công ty đã kết nối trạm NT-01" in page and f"/portal/evidence/{files[0].id}" in page
    assert client.get(f"/portal/evidence/{files[0].id}").data == pdf
    client.post("/logout")
    login(other["user"])
    assert client.get(f"/portal/evidence/{files[0].id}").status_code == 404  # another enterprise guessing
    client.post("/logout")
    login(make_user("inspector"))
    assert client.get(f"/verification/evidence/{files[1].id}").data == png
    staff_page = client.get(f"/notices/{letter.id}/delivery").get_data(as_text=True)
    assert (
        "Công ty đã kết nối trạm NT-01" in staff_page
        and f"/verification/evidence/{files[1].id}" in staff_page
    )


def test_a_refused_answer_keeps_nothing_and_says_why_in_vietnamese(client, login, own):
    letter = own["letter"]
    login(own["user"])
    not_a_pdf = client.post(
        f"/portal/notices/{letter.id}/answers",
        data={"text": "Trả lời", "evidence": [upload(b"MZ\x90\x00 not a document", "tra-loi.pdf")]},
        content_type="multipart/form-data",
    )
    assert not_a_pdf.status_code == 400
    assert "tra-loi.pdf" in not_a_pdf.get_data(as_text=True)
    assert "Trả lời" in not_a_pdf.get_data(as_text=True)  # the text typed is kept in the form
    settings.update({"receipt.evidence_max_mb": 1})
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024) + b"\n%%EOF\n"
    # Encoded here without a temporary file (the test client would leave its own one open).
    boundary, body = encode_multipart({"text": "Trả lời", "evidence": FileStorage(BytesIO(big), "lon.pdf")})
    too_large = client.post(
        f"/portal/notices/{letter.id}/answers",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert too_large.status_code == 400 and "1 MB" in too_large.get_data(as_text=True)
    empty = client.post(f"/portal/notices/{letter.id}/answers", data={"text": "  "})
    assert empty.status_code == 400 and "Hãy nhập nội dung trả lời." in empty.get_data(as_text=True)
    long = client.post(f"/portal/notices/{letter.id}/answers", data={"text": "x" * 20001})
    assert long.status_code == 400 and "dài quá 20000 ký tự" in long.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(NoticeAnswer.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(EvidenceFile.id))) == 0


def test_the_delivery_page_is_for_staff_only(client, login, own, make_user):
    login(own["user"])
    assert client.get(f"/notices/{own['letter'].id}/delivery").status_code == 403
    client.post("/logout")
    login(make_user("leader"))
    page = client.get(f"/notices/{own['letter'].id}/delivery")
    assert page.status_code == 200
    assert client.get(f"/notices/{own['draft'].id}/delivery").status_code == 404
