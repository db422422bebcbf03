"""An issued notice never changes: the services refuse, the ORM guard refuses, the database refuses."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError

from app.audit.actor import acting_as
from app.extensions import db
from app.notices import services
from app.notices.guard import IssuedNoticeChanged
from app.notices.models import CONTENT_COLUMNS, Notice
from app.notices.services import WrongState


@pytest.fixture
def issued(drafted, workflow):
    return workflow(drafted(1), "issued")


def test_services_refuse_every_change(issued, inspector, leader):
    with acting_as("test", inspector.id):
        for action in (
            lambda: services.update_draft(issued, {"summary": "khác"}),
            lambda: services.submit_notice(issued),
            lambda: services.approve_notice(issued, leader),
            lambda: services.return_notice(issued, "lý do"),
            lambda: services.cancel_notice(issued, "lý do"),
        ):
            with pytest.raises(WrongState):
                action()
    assert issued.status == "issued"


@pytest.mark.parametrize("column", [*CONTENT_COLUMNS, "status"])
def test_the_orm_guard_refuses_a_change_to_any_content_column(issued, column):
    value = getattr(issued, column)
    changed = {
        str: lambda v: v + "x",
        int: lambda v: v + 1,
        list: lambda v: [*v, "x"],
        dict: lambda v: {**v, "x": 1},
    }
    if value is None:
        new = "x" if column != "supersedes_id" else issued.id
        if column.endswith("_id") or column in ("number", "year"):
            new = 1
        if column in ("answer_due_on",):
            new = issued.issued_on
    else:
        new = next((f(value) for t, f in changed.items() if isinstance(value, t)), None)
        if new is None:  # dates and datetimes
            import datetime

            new = value + datetime.timedelta(days=1)
    setattr(issued, column, new)
    with pytest.raises(IssuedNoticeChanged):
        db.session.flush()
    db.session.rollback()


def test_the_orm_guard_refuses_deleting(issued):
    db.session.delete(issued)
    with pytest.raises(IssuedNoticeChanged):
        db.session.flush()
    db.session.rollback()


def test_non_content_columns_may_still_change(issued):
    issued.message_id = "<notice-1@quantrac.test>"
    db.session.flush()


@pytest.mark.parametrize("column", ["summary", "body", "pdf_sha256", "number", "status"])
def test_the_database_triggers_refuse_too(issued, column):
    value = {"number": "99", "status": "'cancelled'"}.get(column, "'khác'")
    with pytest.raises(DatabaseError):
        with db.session.begin_nested():
            db.session.execute(
                sa.text(f"UPDATE notices SET {column} = {value} WHERE id = :id"), {"id": issued.id}
            )
    assert db.session.scalar(sa.select(Notice.status).where(Notice.id == issued.id)) == "issued"


def test_the_database_refuses_deleting(issued):
    with pytest.raises(DatabaseError):
        with db.session.begin_nested():
            db.session.execute(sa.text("DELETE FROM notices WHERE id = :id"), {"id": issued.id})


@pytest.fixture
def reserved(drafted, workflow, inspector):
    from app.notices import services_issue

    notice = workflow(drafted(1), "approved")
    with acting_as("test", inspector.id):
        services_issue.reserve_number(notice, inspector, "https://quantrac.test")
    assert notice.is_reserved
    return notice


def test_services_refuse_to_change_a_reserved_notice(reserved, inspector, leader):
    with acting_as("test", inspector.id):
        for action in (
            lambda: services.update_draft(reserved, {"summary": "khác"}),
            lambda: services.return_notice(reserved, "lý do"),
            lambda: services.cancel_notice(reserved, "lý do"),
        ):
            with pytest.raises(WrongState, match="01/SNNMT-CCBVMT"):
                action()
    assert reserved.status == "approved" and reserved.number == 1


@pytest.mark.parametrize(
    "column", ["summary", "body", "requests", "number", "number_text", "issued_on", "site_url"]
)
def test_the_orm_guard_refuses_a_change_to_a_reserved_notice(reserved, column):
    value = getattr(reserved, column)
    if isinstance(value, list):
        new = [*value, "x"]
    elif isinstance(value, str):
        new = value + "x"
    elif isinstance(value, int):
        new = value + 1
    else:
        import datetime

        new = value + datetime.timedelta(days=1)
    setattr(reserved, column, new)
    with pytest.raises(IssuedNoticeChanged, match="reserved"):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("status", ["draft", "cancelled"])
def test_a_reserved_notice_only_ever_becomes_issued(reserved, status):
    reserved.status = status
    with pytest.raises(IssuedNoticeChanged, match="status"):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize(
    ("column", "value"),
    [("summary", "'khác'"), ("number", "99"), ("site_url", "'https://khac.test'"), ("status", "'cancelled'")],
)
def test_the_database_triggers_refuse_to_change_a_reserved_notice(reserved, column, value):
    with pytest.raises(DatabaseError):
        with db.session.begin_nested():
            db.session.execute(
                sa.text(f"UPDATE notices SET {column} = {value} WHERE id = :id"), {"id": reserved.id}
            )
    with pytest.raises(DatabaseError):
        with db.session.begin_nested():
            db.session.execute(sa.text("DELETE FROM notices WHERE id = :id"), {"id": reserved.id})
    assert db.session.scalar(sa.select(Notice.number).where(Notice.id == reserved.id)) == 1


def test_the_database_lets_a_reserved_notice_be_finished(reserved):
    db.session.execute(
        sa.text("UPDATE notices SET pdf_sha256 = :sha, pdf_path = 'x.pdf', status = 'issued' WHERE id = :id"),
        {"sha": "a" * 64, "id": reserved.id},
    )
    assert db.session.scalar(sa.select(Notice.status).where(Notice.id == reserved.id)) == "issued"
