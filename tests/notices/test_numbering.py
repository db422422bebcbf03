"""Register numbers: per register and year from 01, gapless; concurrent issuers on PostgreSQL."""

from __future__ import annotations

import threading
import uuid

import pytest
import sqlalchemy as sa

from app import create_app
from app.audit.actor import acting_as
from app.db import commit
from app.extensions import db
from app.notices import numbering, services, services_issue
from app.notices.models import Notice
from tests.conftest import app_config
from tests.notices.conftest import EVIDENCE


def test_numbers_run_per_register_and_year_from_one():
    assert [numbering.take_number("CV", 2026) for _ in range(3)] == [1, 2, 3]
    assert numbering.take_number("GM", 2026) == 1
    assert numbering.take_number("CV", 2027) == 1
    assert numbering.last_number("CV", 2026) == 3


def test_a_rolled_back_issue_gives_its_number_back(drafted, workflow, inspector):
    notice = workflow(drafted(1), "approved")
    with db.session.begin_nested() as savepoint:
        with acting_as("test", inspector.id):
            services_issue.issue_notice(notice, inspector, "https://quantrac.test")
        assert notice.number == 1
        savepoint.rollback()
    db.session.expire_all()
    assert db.session.get(Notice, notice.id).status == "approved"
    other = workflow(drafted(1), "issued")
    assert other.number == 1 and other.number_text == "01/SNNMT-CCBVMT"


def _seed(count: int) -> tuple[list[int], int]:
    from app.auth.services import create_user
    from app.cases.models import Case
    from app.facilities.models import Enterprise, Facility

    user, _ = create_user(f"i-{uuid.uuid4().hex[:6]}@example.vn", "inspector", password="Mat-khau-thu-2026")
    ids = []
    with acting_as("test", user.id):
        for i in range(count):
            enterprise = Enterprise(name=f"Công ty {i}")
            db.session.add(enterprise)
            db.session.flush()
            facility = Facility(code=f"C{i:03d}", name=f"Nhà máy {i}", enterprise_id=enterprise.id)
            db.session.add(facility)
            db.session.flush()
            case = Case(facility_id=facility.id, kind="not_connected", evidence=EVIDENCE)
            db.session.add(case)
            db.session.flush()
            notice = services.draft_notice(case, 1, user)
            services.submit_notice(notice)
            services.approve_notice(notice, user)
            ids.append(notice.id)
    commit()
    return ids, user.id


@pytest.mark.own_database
def test_concurrent_issuers_get_gapless_unique_numbers(postgres_url, own_database, tmp_path):
    from flask_migrate import upgrade

    application = create_app(
        app_config(own_database, str(tmp_path / "instance"), SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 16})
    )
    issuers, rolled_back = 12, {2, 5, 9}
    with application.app_context():
        upgrade()
        ids, user_id = _seed(issuers)
        db.session.remove()
    barrier = threading.Barrier(issuers)
    errors: list[BaseException] = []

    def issue(index: int, notice_id: int) -> None:
        try:
            with application.app_context():
                from app.auth.models import User

                user = db.session.get(User, user_id)
                notice = db.session.get(Notice, notice_id)
                db.session.rollback()  # start the race from a fresh transaction
                barrier.wait(timeout=60)
                with acting_as("test", user_id):
                    services_issue.issue_notice(notice, user, "https://quantrac.test")
                if index in rolled_back:
                    db.session.rollback()
                else:
                    commit()
                db.session.remove()
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=issue, args=(i, n)) for i, n in enumerate(ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    with application.app_context():
        numbers = db.session.scalars(
            sa.select(Notice.number).where(Notice.status == "issued").order_by(Notice.number)
        ).all()
        assert numbers == list(range(1, issuers - len(rolled_back) + 1))
        assert numbering.last_number("CV", db.session.scalar(sa.select(sa.func.max(Notice.year)))) == len(
            numbers
        )
        pending = db.session.scalar(sa.select(sa.func.count()).where(Notice.status == "approved"))
        assert pending == len(rolled_back)
        db.session.remove()
        db.engine.dispose()


def test_the_registers_command_lists_last_numbers(app, drafted, workflow):
    notice = workflow(drafted(1), "issued")
    result = app.test_cli_runner().invoke(args=["notices", "registers", "--year", str(notice.year)])
    assert result.exit_code == 0 and f"{notice.year} CV   last    1  issued    1" in result.output
