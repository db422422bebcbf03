"""In the browser: hostile text an enterprise sends is shown as text to staff, never run or laid out wrong."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.db import commit
from app.extensions import db
from app.facilities.models import Facility
from app.notices.models import NoticeAnswer
from app.text import clean_text
from tests.notices.test_delivery_helpers import issued_notice

pytestmark = [pytest.mark.own_database, pytest.mark.browser]

HOSTILE = "\n".join(
    [
        '<script>alert("xss")</script><img src=x onerror=alert(1)>',
        "'; DROP TABLE notice_answers; --",
        "Công ty \u202eRTL\u202c ‏مرحبا‏ " + "Trách nhiệm hữu hạn Một thành viên Thủy sản " * 8,
        "https://quantrac.example.gov.vn/" + "duong-dan-rat-dai-" * 20,
    ]
)


@pytest.fixture
def notice_id(live) -> int:
    """An issued notice to a facility of the test enterprise."""
    with live.app.app_context():
        facility = Facility(code="CT-E2E-HOSTILE-01", name="Nhà máy thử", enterprise_id=live.enterprise_id)
        db.session.add(facility)
        db.session.flush()
        notice = issued_notice(facility)
        commit()
        return notice.id


def test_hostile_answer_text_is_shown_as_text(visit, live, notice_id) -> None:
    enterprise = visit("enterprise")
    enterprise.goto(f"/portal/notices/{notice_id}")
    enterprise.page.fill("#text", HOSTILE)
    enterprise.click("button:text-is('Gửi trả lời')")
    assert "Đã gửi văn bản trả lời cho Sở." in enterprise.flash()
    enterprise.step("answer sent")
    with live.app.app_context():
        [stored] = db.session.scalars(
            sa.select(NoticeAnswer).where(NoticeAnswer.notice_id == notice_id)
        ).all()
        # The browser sends CRLF line ends; bidi override characters are removed on input, the rest kept.
        assert stored.text.replace("\r\n", "\n") == clean_text(HOSTILE)
        assert "\u202e" not in stored.text and "\u200f" in stored.text

    for user, path in (
        (enterprise, f"/portal/notices/{notice_id}"),
        (visit("inspector"), f"/notices/{notice_id}"),
    ):
        user.goto(path)
        main = user.page.locator("main")
        shown = main.inner_text()
        # Shown as typed, line by line.
        assert (
            '<script>alert("xss")</script><img src=x onerror=alert(1)>\n\'; DROP TABLE notice_answers; --'
            in shown
        )
        assert "Công ty RTL \u200fمرحبا\u200f" in shown and "duong-dan-rat-dai-" * 20 in shown
        assert main.locator("script").count() == 0 and main.locator("img[src=x]").count() == 0
        user.step("answer shown")
