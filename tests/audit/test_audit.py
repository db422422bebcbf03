"""The audit trail: written by services, append-only, browsable by administrators."""

import pytest
import sqlalchemy as sa

from app.audit.actor import acting_as
from app.audit.models import AuditEvent
from app.audit.services import record
from app.extensions import db


def test_record_names_actor_object_changes_and_reason(make_facility):
    facility = make_facility(code="CT-001")
    with acting_as("cli:tester"):
        event = record("facility.updated", facility, changes={"name": ["A", "B"]}, reason="sửa lỗi chính tả")
    assert event.actor_label == "cli:tester"
    assert (event.object_type, event.object_id) == ("facilities", str(facility.id))
    assert event.changes == {"name": ["A", "B"]}
    assert event.at.tzinfo is not None


def test_orm_refuses_to_change_an_event():
    event = record("x.test", object_type="system")
    event.reason = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        db.session.flush()
    db.session.rollback()


def test_database_refuses_update_and_delete():
    event = record("x.test", object_type="system")
    db.session.flush()
    for statement in (
        sa.update(AuditEvent).where(AuditEvent.id == event.id).values(reason="x"),
        sa.delete(AuditEvent).where(AuditEvent.id == event.id),
    ):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            with db.session.begin_nested():
                db.session.execute(statement)


def test_admin_browses_and_filters(client, make_user, login):
    admin = make_user("admin")
    with acting_as("cli:importer"):
        record("facility.imported", object_type="facilities", object_id=7, label="CT-007 Nhà máy A")
    record("settings.changed", object_type="settings")
    login(admin)
    page = client.get("/admin/audit/?action=facility.imported").get_data(as_text=True)
    assert "CT-007 Nhà máy A" in page
    assert "settings.changed" not in page.split("<tbody>")[1]
    by_actor = client.get("/admin/audit/?actor=importer").get_data(as_text=True)
    assert "cli:importer" in by_actor


def test_only_admin_reads_the_trail(client, make_user, login):
    login(make_user("inspector"))
    assert client.get("/admin/audit/").status_code == 403
