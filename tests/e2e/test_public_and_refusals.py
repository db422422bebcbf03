"""In the browser: the public verification page of a notice, and the pages that refuse.

Pages without a login and error pages are held to the same checks as every
other page: no policy violation, no script error, Vietnamese text.
"""

from __future__ import annotations

import pytest

from app.db import commit
from app.extensions import db
from app.facilities.models import Enterprise, Facility
from tests.notices.test_delivery_helpers import issued_notice, notice_pdf

pytestmark = [pytest.mark.own_database, pytest.mark.browser]


@pytest.fixture(scope="module")
def notices(live) -> dict[str, tuple[int, str, str]]:
    """An issued notice of the test enterprise and one of another: id, number, verification token."""
    made = {}
    with live.app.app_context():
        other = Enterprise(name="Công ty Cổ phần Khác", tax_code="1800000002")
        db.session.add(other)
        db.session.flush()
        for key, enterprise_id in (("own", live.enterprise_id), ("other", other.id)):
            facility = Facility(code=f"CT-E2E-PUB-{key}", name=f"Nhà máy {key}", enterprise_id=enterprise_id)
            db.session.add(facility)
            db.session.flush()
            notice = issued_notice(facility)
            made[key] = (notice.id, notice.number_text, notice.verify_token)
        commit()
    return made


def test_anyone_checks_a_pdf_on_the_public_page(visit, notices, tmp_path) -> None:
    _, number, token = notices["own"]
    issued = tmp_path / "van-ban.pdf"
    issued.write_bytes(notice_pdf())
    forged = tmp_path / "van-ban-sua.pdf"
    forged.write_bytes(notice_pdf() + b"\n%% changed\n")

    anyone = visit()
    anyone.goto(f"/v/{token}")
    assert anyone.page.locator("h1").inner_text() == "Xác thực văn bản"
    assert number in anyone.page.locator("main").inner_text()
    assert anyone.page.locator("header nav").count() == 0
    anyone.step("public page")
    anyone.page.set_input_files("#file", str(issued))
    anyone.click("button:text-is('Kiểm tra tệp')")
    assert "Tệp trùng khớp với văn bản đã đăng ký." in anyone.page.locator("main").inner_text()
    anyone.step("file matches")
    anyone.page.set_input_files("#file", str(forged))
    anyone.click("button:text-is('Kiểm tra tệp')")
    assert "Tệp khác với văn bản đã đăng ký." in anyone.page.locator("main").inner_text()
    anyone.step("file differs")
    anyone.goto("/v/not-a-token", status=404)
    assert anyone.page.locator("h1").inner_text() == "Không tìm thấy trang"
    anyone.step("unknown token")


def test_an_enterprise_is_refused_staff_pages_and_another_enterprises_notice(visit, notices) -> None:
    own_id, own_number, _ = notices["own"]
    other_id, other_number, _ = notices["other"]
    enterprise = visit("enterprise")
    enterprise.goto(f"/portal/notices/{own_id}")
    assert own_number in enterprise.page.locator("h1").inner_text()
    enterprise.goto(f"/portal/notices/{other_id}", status=404)
    assert enterprise.page.locator("h1").inner_text() == "Không tìm thấy trang"
    assert other_number not in enterprise.page.content()
    enterprise.step("another enterprise's notice")
    enterprise.goto(f"/portal/notices/{other_id}/pdf", status=404)
    enterprise.goto("/cases/", status=403)
    assert enterprise.page.locator("h1").inner_text() == "Không có quyền truy cập"
    enterprise.step("staff page refused")
    enterprise.goto("/trang-khong-co", status=404)
    enterprise.step("unknown page")
