"""The administrator manages users; every change is audited."""

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth.models import User
from app.extensions import db


def events(action):
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()


def test_admin_creates_user_and_sees_password_once(client, make_user, login, make_enterprise):
    admin = make_user("admin")
    enterprise = make_enterprise("Công ty TNHH Thủy sản Mê Kông Xanh", "1800000001")
    login(admin)
    response = client.post(
        "/admin/users/new",
        data={
            "email": "ke.toan@example.vn",
            "full_name": "Trần Thị Bích",
            "role": "enterprise",
            "enterprise_id": str(enterprise.id),
            "locale": "vi",
        },
    )
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Mật khẩu của ke.toan@example.vn" in text
    user = db.session.scalar(sa.select(User).where(User.email == "ke.toan@example.vn"))
    assert user.enterprise_id == enterprise.id and user.role == "enterprise"
    [event] = events("user.created")[-1:]
    assert event.actor_label == admin.email and event.object_id == str(user.id)


def test_enterprise_user_needs_an_enterprise(client, make_user, login):
    login(make_user("admin"))
    response = client.post(
        "/admin/users/new",
        data={"email": "x@example.vn", "role": "enterprise", "enterprise_id": "0", "locale": "vi"},
    )
    assert response.status_code == 200
    assert "phải gắn với đúng một doanh nghiệp" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(User).where(User.email == "x@example.vn")) is None


def test_duplicate_email_is_refused(client, make_user, login):
    login(make_user("admin"))
    other = make_user("inspector")
    response = client.post(
        "/admin/users/new",
        data={"email": other.email.upper(), "role": "inspector", "enterprise_id": "0", "locale": "vi"},
    )
    assert "đã tồn tại" in response.get_data(as_text=True)


def test_deactivate_reset_and_change_role_are_audited(client, make_user, login):
    admin = make_user("admin")
    user = make_user("inspector")
    login(admin)
    client.post(f"/admin/users/{user.id}/active", data={"active": "0", "reason": "nghỉ việc"})
    assert user.is_active_account is False
    assert events("user.deactivated")[-1].reason == "nghỉ việc"
    response = client.post(f"/admin/users/{user.id}/password", data={"reason": "quên mật khẩu"})
    assert response.status_code == 200
    assert events("user.password_reset")[-1].object_id == str(user.id)
    client.post(
        f"/admin/users/{user.id}",
        data={"role-role": "leader", "role-enterprise_id": "0", "role-reason": "bổ nhiệm"},
    )
    assert user.role == "leader"
    assert events("user.role_changed")[-1].changes == {"role": ["inspector", "leader"]}


def test_last_admin_cannot_be_demoted(client, make_user, login):
    admin = make_user("admin")
    db.session.execute(
        sa.update(User).where(User.role == "admin", User.id != admin.id).values(is_active_account=False)
    )
    login(admin)
    response = client.post(
        f"/admin/users/{admin.id}",
        data={"role-role": "inspector", "role-enterprise_id": "0", "role-reason": "thử"},
    )
    assert "quản trị viên đang hoạt động cuối cùng" in response.get_data(as_text=True)
    assert admin.role == "admin"


def test_admin_cannot_deactivate_self(client, make_user, login):
    admin = make_user("admin")
    login(admin)
    client.post(f"/admin/users/{admin.id}/active", data={"active": "0", "reason": ""})
    assert admin.is_active_account is True
