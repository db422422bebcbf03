"""Register numbers: per register and year from 01, gapless; concurrent issuers on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app import create_app
from app.audit.actor import acting_as
from app.db import commit, utcnow
from app.extensions import db
from app.notices import issuing, numbering, services, services_issue
from app.notices.models import Notice
from tests.conftest import app_config
from tests.faults.common import seed_approved_notices


def test_numbers_run_per_register_and_year_from_one():
    assert [numbering.take_number("CV", 2026) for _ in range(3)] == [1, 2, 3]
    assert numbering.take_number("GM", 2026) == 1
    assert numbering.take_number("CV", 2027) == 1
    assert numbering.last_number("CV", 2026) == 3


def test_a_rolled_back_issue_gives_its_number_back(drafted, workflow, inspector):
    """Reserve and finish in one transaction (the demo's way): a rollback undoes both."""
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


def test_a_refused_issue_reserves_nothing(drafted, workflow, inspector):
    notice = drafted(1)  # still a draft: refused before any number is taken
    commit()  # the refusal rolls back to here
    with acting_as("test", inspector.id):
        outcome = issuing.issue(notice.id, inspector, "https://quantrac.test")
    assert not outcome.is_issued and not outcome.is_reserved and outcome.error
    notice = db.session.get(Notice, notice.id)
    assert notice.number is None and notice.status == "draft"
    assert numbering.last_number("CV", services.today_local().year) == 0


def _failing_render(*args, **kwargs):
    raise OSError("đĩa đầy")


def test_a_failed_finish_keeps_the_number_and_the_sweeper_issues_it(
    drafted, workflow, inspector, monkeypatch
):
    first, second = workflow(drafted(1), "approved"), workflow(drafted(1), "approved")
    with monkeypatch.context() as patch:
        patch.setattr(services_issue, "render_pdf", _failing_render)
        with acting_as("test", inspector.id):
            outcome = issuing.issue(first.id, inspector, "https://quantrac.test")
    assert outcome.is_reserved and not outcome.is_issued and "01/SNNMT-CCBVMT" in outcome.error
    first = db.session.get(Notice, first.id)
    assert first.is_reserved and first.number == 1 and first.pdf_sha256 is None
    with acting_as("test", inspector.id), pytest.raises(services.WrongState):
        services.cancel_notice(first, "không cần nữa")
    with acting_as("test", inspector.id):
        assert issuing.issue(second.id, inspector, "https://quantrac.test").is_issued
    assert db.session.get(Notice, second.id).number == 2
    # A reservation younger than the sweep's grace is left to the run that took it.
    assert issuing.finish_reserved(first.issued_at - timedelta(seconds=1)) == {"finished": [], "failed": []}
    with acting_as("test", inspector.id):
        result = issuing.finish_reserved(utcnow() + timedelta(seconds=1))
    assert result == {"finished": [first.id], "failed": []}
    first = db.session.get(Notice, first.id)
    assert first.status == "issued" and first.number == 1 and first.pdf_sha256
    assert first.case.step == 1
    assert numbering.last_number("CV", first.year) == 2


@pytest.mark.own_database
def test_concurrent_issuers_get_gapless_unique_numbers(postgres_url, own_database, tmp_path):
    """Twelve issuers at once; three crash between reserving and finishing, and the sweeper finishes them."""
    from flask_migrate import upgrade

    application = create_app(
        app_config(own_database, str(tmp_path / "instance"), SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 16})
    )
    issuers, crashed = 12, {2, 5, 9}
    with application.app_context():
        upgrade()
        ids, user_id = seed_approved_notices(issuers)
        db.session.remove()
    barrier = threading.Barrier(issuers)
    errors: list[BaseException] = []
    reserved: dict[int, int] = {}

    def issue(index: int, notice_id: int) -> None:
        try:
            with application.app_context():
                from app.auth.models import User

                user = db.session.get(User, user_id)
                notice = db.session.get(Notice, notice_id)
                db.session.rollback()  # start the race from a fresh transaction
                barrier.wait(timeout=60)
                with acting_as("test", user_id):
                    if index in crashed:  # the worker dies after the reservation's commit
                        services_issue.reserve_number(notice, user, "https://quantrac.test")
                        commit()
                        reserved[notice_id] = notice.number
                    else:
                        outcome = issuing.issue(notice_id, user, "https://quantrac.test")
                        assert outcome.is_issued, outcome
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
        year = db.session.scalar(sa.select(sa.func.max(Notice.year)))
        issued = db.session.scalars(sa.select(Notice.number).where(Notice.status == "issued")).all()
        assert len(issued) == issuers - len(crashed) and numbering.last_number("CV", year) == issuers
        with acting_as("test", user_id):
            result = issuing.finish_reserved(utcnow() + timedelta(seconds=1))
        assert sorted(result["finished"]) == sorted(reserved) and not result["failed"]
        rows = db.session.execute(sa.select(Notice.id, Notice.number, Notice.status)).all()
        assert sorted(number for _, number, _ in rows) == list(range(1, issuers + 1))
        assert {status for _, _, status in rows} == {"issued"}
        assert {notice_id: number for notice_id, number, _ in rows if notice_id in reserved} == reserved
        db.session.remove()
        db.engine.dispose()


def test_the_registers_command_lists_last_numbers(app, drafted, workflow):
    notice = workflow(drafted(1), "issued")
    result = app.test_cli_runner().invoke(args=["notices", "registers", "--year", str(notice.year)])
    assert result.exit_code == 0 and f"{notice.year} CV   last    1  issued    1" in result.output


def test_the_sweeper_is_a_periodic_job_that_finishes_reserved_notices(
    app, drafted, workflow, inspector, monkeypatch
):
    from app.jobs.dispatch import defer_job
    from app.jobs.models import JobRun
    from app.jobs.runner import run_job
    from app.jobs.schedule import PERIODIC
    from app.notices.jobs import FINISH_RESERVED_JOB

    (entry,) = [p for p in PERIODIC if p.job == FINISH_RESERVED_JOB]
    assert entry.every.total_seconds() <= 60
    notice = workflow(drafted(1), "approved")
    with acting_as("test", inspector.id):
        services_issue.reserve_number(notice, inspector, "https://quantrac.test")
    commit()
    result = app.test_cli_runner().invoke(args=["notices", "registers", "--year", str(notice.year)])
    assert f"{notice.year} CV   last    1  issued    0  reserved    1" in result.output
    monkeypatch.setitem(app.config, "JOBS_SWEEP_AFTER", timedelta(0))
    job_run = defer_job(FINISH_RESERVED_JOB)
    db.session.info.clear()
    commit()
    run_job(job_run.id)
    job_run = db.session.get(JobRun, job_run.id)
    assert job_run.status == "finished" and job_run.result == {"finished": [notice.id], "failed": []}
    db.session.expire_all()
    notice = db.session.get(Notice, notice.id)
    assert notice.status == "issued" and notice.number == 1


def _stored_pdfs(app) -> set[str]:
    import os

    root = os.path.join(app.instance_path, "notices")
    return {
        os.path.relpath(os.path.join(folder, name), app.instance_path)
        for folder, _, names in os.walk(root)
        for name in names
    }


def _failing_case_step(notice):
    raise OSError("mất kết nối")


def test_a_finish_retried_after_a_failure_leaves_no_stray_pdf(app, drafted, workflow, inspector, monkeypatch):
    """The PDF of a reserved notice is the same bytes on every try: the retry stores the same file."""
    notice = workflow(drafted(1), "approved")
    before = _stored_pdfs(app)
    with monkeypatch.context() as patch:
        patch.setattr(services_issue, "_advance_case", _failing_case_step)  # fails after the PDF is stored
        with acting_as("test", inspector.id):
            assert issuing.issue(notice.id, inspector, "https://quantrac.test").is_reserved
    stray = _stored_pdfs(app) - before
    assert len(stray) == 1
    with acting_as("test", inspector.id):
        assert issuing.finish(notice.id).is_issued
    notice = db.session.get(Notice, notice.id)
    assert _stored_pdfs(app) - before == stray == {notice.pdf_path}
