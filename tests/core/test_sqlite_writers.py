"""SQLite, the embedded default: writers queue for the lock instead of failing mid-transaction."""

import threading
import time

import sqlalchemy as sa
from flask_migrate import upgrade

from app import _may_write, create_app
from app.extensions import db
from tests.conftest import app_config


def test_only_get_and_head_requests_begin_without_the_write_lock(app):
    with app.test_request_context("/", method="GET"):
        assert _may_write() is False
    with app.test_request_context("/", method="POST"):
        assert _may_write() is True
    assert _may_write() is True  # jobs and commands


def test_a_writer_waits_for_another_instead_of_failing(tmp_path):
    application = create_app(app_config("sqlite:///" + str(tmp_path / "w.sqlite3"), str(tmp_path)))
    with application.app_context():
        upgrade()
        db.session.remove()
        engine = db.engine
        holding = threading.Event()

        def long_writer():
            with engine.begin() as conn:
                conn.execute(
                    sa.text("INSERT INTO enterprises (name, created_at) VALUES ('A', CURRENT_TIMESTAMP)")
                )
                holding.set()
                time.sleep(0.4)

        thread = threading.Thread(target=long_writer)
        thread.start()
        holding.wait()
        started = time.monotonic()
        with engine.begin() as conn:  # read, then write: would fail with a deferred BEGIN
            count = conn.execute(sa.text("SELECT count(*) FROM enterprises")).scalar()
            conn.execute(
                sa.text("INSERT INTO enterprises (name, created_at) VALUES ('B', CURRENT_TIMESTAMP)")
            )
        waited = time.monotonic() - started
        thread.join()
        assert count == 1 and waited > 0.2
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM enterprises")).scalar() == 2
        db.engine.dispose()
