"""In the browser: each role logs in and sees its own home page and menu; the watch sees a violation."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ENTERPRISE_NAME

pytestmark = [pytest.mark.own_database, pytest.mark.browser]

# Role -> (its label, heading of its home page, a menu entry it has, a menu entry it must not have).
HOMES = {
    "admin": ("Quản trị viên", "Quản trị hệ thống", "Người dùng", "Trạm của tôi"),
    "inspector": ("Cán bộ", "Bàn làm việc của cán bộ", "Hồ sơ vi phạm", "Người dùng"),
    "leader": ("Lãnh đạo", "Tổng quan dành cho lãnh đạo", "Hồ sơ vi phạm", "Người dùng"),
    "enterprise": ("Người dùng doanh nghiệp", ENTERPRISE_NAME, "Trạm của tôi", "Hồ sơ vi phạm"),
}


@pytest.mark.parametrize("role", sorted(HOMES))
def test_each_role_logs_in_and_sees_its_home(visit, role) -> None:
    label, heading, has, lacks = HOMES[role]
    user = visit()
    user.goto("/")
    assert user.page.url.endswith("/login") and user.page.locator("h1").inner_text() == "Đăng nhập"
    user.step("login page")
    user.log_in(role)
    assert user.page.locator("main h1").inner_text() == heading
    menu = user.page.locator("header nav").inner_text()
    assert has in menu and lacks not in menu
    assert user.page.locator(".who .role").inner_text() == label
    user.step(f"home of {role}")

    user.click("text=Đăng xuất")
    assert user.page.url.endswith("/login") and "Bạn đã đăng xuất." in user.flash()
    user.goto("/cases/")  # logged out: the login page again
    assert "/login" in user.page.url and user.page.locator("h1").inner_text() == "Đăng nhập"
    user.step("logged out")


def test_a_wrong_password_is_refused_in_vietnamese(visit, live) -> None:
    stranger = visit()
    stranger.goto("/login")
    stranger.page.fill("#email", live.emails["inspector"])
    stranger.page.fill("#password", "not-the-password")
    stranger.click("button[type=submit].primary", status=401)
    assert stranger.page.url.endswith("/login")
    assert "Sai e-mail hoặc mật khẩu" in stranger.flash()
    assert stranger.page.locator("header nav").count() == 0
    stranger.step("wrong password")


def test_the_watch_reports_a_csp_violation_and_a_javascript_error(visit) -> None:
    """The checks every step makes would see inline code blocked by the policy, or a script error."""
    user = visit("inspector")
    user.page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1;';"
        " document.body.appendChild(s); }"
    )
    user.page.evaluate("() => { setTimeout(() => { throw new Error('boom'); }, 0); }")

    def seen() -> bool:
        return any(p.startswith("CSP: script-src") for p in user.problems) and any(
            "boom" in p for p in user.problems
        )

    for _ in range(100):  # the reports arrive asynchronously
        if seen():
            break
        user.page.wait_for_timeout(50)
    assert seen(), user.problems
    with pytest.raises(AssertionError):
        user.step("violations seen")
    user.problems.clear()
