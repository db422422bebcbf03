"""``flask users create`` exactly as the CLI contract gives it."""

import getpass

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth.models import User
from app.extensions import db


def run(app, *args):
    return app.test_cli_runner().invoke(args=["users", "create", *args])


def test_create_with_random_password_printed(app):
    result = run(app, "--email", "Can.Bo@Example.vn", "--role", "inspector")
    assert result.exit_code == 0, result.output
    assert "password:" in result.output
    password = result.output.rsplit("password:", 1)[1].strip()
    user = db.session.scalar(sa.select(User).where(User.email == "can.bo@example.vn"))
    from app.auth.passwords import verify_password

    assert verify_password(user.password_hash, password)
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.object_id == str(user.id))).first()
    assert event.actor_label == f"cli:{getpass.getuser()}"


def test_enterprise_by_tax_code_or_name(app, make_enterprise):
    enterprise = make_enterprise("Công ty CP Mía đường Phụng Hiệp", "6300000001")
    assert (
        run(
            app,
            "--email",
            "a@x.vn",
            "--role",
            "enterprise",
            "--enterprise",
            "6300000001",
            "--password",
            "Mat-khau-dai-01",
        ).exit_code
        == 0
    )
    assert (
        run(
            app,
            "--email",
            "b@x.vn",
            "--role",
            "enterprise",
            "--enterprise",
            "  công ty cp mía đường phụng hiệp ",
            "--password",
            "Mat-khau-dai-01",
        ).exit_code
        == 0
    )
    users = db.session.scalars(sa.select(User).where(User.email.in_(["a@x.vn", "b@x.vn"]))).all()
    assert {u.enterprise_id for u in users} == {enterprise.id}


def test_refusals_exit_1_with_one_line(app, make_user):
    existing = make_user("leader")
    cases = [
        ["--email", existing.email, "--role", "leader"],
        ["--email", "c@x.vn", "--role", "enterprise"],
        ["--email", "d@x.vn", "--role", "enterprise", "--enterprise", "no such"],
        ["--email", "e@x.vn", "--role", "inspector", "--password", "short"],
    ]
    for args in cases:
        result = run(app, *args)
        assert result.exit_code == 1, args
        assert len(result.output.strip().splitlines()) == 1, result.output
    assert run(app, "--email", "f@x.vn", "--role", "boss").exit_code == 2  # click's usage error
