"""Login, logout, throttling, password changes and sessions."""

import sqlalchemy as sa

from app.auth.models import LoginAttempt
from app.extensions import db
from tests.conftest import PASSWORD


def test_login_then_home_then_logout(client, make_user, login):
    user = make_user("inspector")
    login(user)
    page = client.get("/home")
    assert page.status_code == 200
    assert user.email in page.get_data(as_text=True)
    assert client.post("/logout").status_code == 302
    assert client.get("/home").status_code == 302


def test_wrong_password_is_refused_in_vietnamese(client, make_user):
    user = make_user("leader")
    response = client.post("/login", data={"email": user.email, "password": "wrong-password"})
    assert response.status_code == 401
    assert "Sai e-mail hoặc mật khẩu" in response.get_data(as_text=True)


def test_email_is_case_insensitive(client, make_user):
    user = make_user("leader")
    response = client.post("/login", data={"email": "  " + user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302


def test_login_is_throttled_after_five_failures(app, client, make_user):
    user = make_user("inspector")
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_EMAIL"]):
        assert (
            client.post("/login", data={"email": user.email, "password": "nope-nope-nope"}).status_code == 401
        )
    # Even the right password is refused now.
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 429
    attempts = db.session.scalars(sa.select(LoginAttempt).where(LoginAttempt.email == user.email)).all()
    assert len(attempts) == 6 and not any(a.succeeded for a in attempts)


def test_deactivated_user_cannot_log_in(client, make_user):
    from app.auth.services import set_active

    user = make_user("inspector")
    make_user("admin")
    set_active(user, False, "left the department")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 401


def test_deactivation_ends_open_sessions(client, make_user, login):
    from app.auth.services import set_active

    user = make_user("inspector")
    login(user)
    assert client.get("/home").status_code == 200
    set_active(user, False, "left")
    assert client.get("/home").status_code == 302


def test_change_password_checks_policy_and_current(client, make_user, login):
    user = make_user("inspector")
    login(user)
    weak = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": "1234567890", "confirm": "1234567890"},
    )
    assert weak.status_code == 200
    assert "không thể chỉ gồm chữ số" in weak.get_data(as_text=True)
    wrong = client.post(
        "/account/password",
        data={"current_password": "bad", "password": "Moi-mat-khau-99", "confirm": "Moi-mat-khau-99"},
    )
    assert "Mật khẩu hiện tại không đúng" in wrong.get_data(as_text=True)
    ok = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": "Moi-mat-khau-99", "confirm": "Moi-mat-khau-99"},
    )
    assert ok.status_code == 302
    assert client.get("/home").status_code == 200  # this session survives
    client.post("/logout")
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 401
    assert client.post("/login", data={"email": user.email, "password": "Moi-mat-khau-99"}).status_code == 302


def test_open_redirect_is_refused(client, make_user):
    user = make_user("inspector")
    response = client.post(
        "/login?next=https://evil.example/", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"].endswith("/home")
    response = client.post("/logout")
    response = client.post("/login?next=/facilities/", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/facilities/")


def test_passwords_are_argon2id_hashes(make_user):
    user = make_user("inspector")
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_english_per_user(client, make_user, login):
    user = make_user("inspector", locale="en")
    login(user)
    assert "Inspector's desk" in client.get("/home").get_data(as_text=True)


def test_vietnamese_by_default(client, make_user, login):
    login(make_user("inspector"))
    text = client.get("/home").get_data(as_text=True)
    assert 'lang="vi"' in text
    assert "Đăng xuất" in text
