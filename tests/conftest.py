"""Test setup: the schema comes from the migrations; each test runs in a rolled-back transaction.

Databases: SQLite in a temporary file by default; ``TEST_DATABASE_URL`` points
the suite at PostgreSQL instead. ``REDIS_URL`` enables the tests that need a
real Redis. With ``QUANTRAC_REQUIRE_SERVICES=1`` (CI), a test that needs a
missing service fails instead of skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import scoped_session, sessionmaker

from app import create_app
from app.config import normalise_database_url
from app.extensions import db

FAST_HASHING = {"PASSWORD_HASH_TIME_COST": 1, "PASSWORD_HASH_MEMORY_COST": 8192}


def require_service(name: str) -> None:
    """Skip (or, in CI, fail) when a service the test needs is not configured."""
    message = f"{name} is not configured for this run"
    if os.environ.get("QUANTRAC_REQUIRE_SERVICES") == "1":
        pytest.fail(message)
    pytest.skip(message)


def app_config(url: str, instance: str, **extra) -> dict:
    """The configuration of a test app on the given database."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "JOBS_MODE": "sync",
        "REDIS_URL": None,
        "JOBS_START_THREAD": False,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": "quantrac.test",
        "INSTANCE_PATH": instance,
        **FAST_HASHING,
    }
    config.update(extra)
    return config


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """The suite's database: TEST_DATABASE_URL, or a SQLite file."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return normalise_database_url(url)
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    """The app, its schema built by the migrations."""
    from flask_migrate import upgrade

    application = create_app(app_config(database_url, str(tmp_path_factory.mktemp("instance"))))
    with application.app_context():
        upgrade()
        db.session.remove()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _isolated(request, app) -> Iterator[None]:
    """Run each test inside one outer transaction; the app's commits become savepoints."""
    if request.node.get_closest_marker("own_database"):
        yield
        return
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = scoped_session(sessionmaker(bind=connection, join_transaction_mode="create_savepoint"))
        try:
            yield
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app):
    """A test client (requests run in the test's transaction)."""
    return app.test_client()


@pytest.fixture
def make_enterprise(app):
    """Create an enterprise."""
    from app.facilities.models import Enterprise

    def make(name: str | None = None, tax_code: str | None = None) -> Enterprise:
        enterprise = Enterprise(name=name or f"Công ty {uuid.uuid4().hex[:6]}", tax_code=tax_code)
        db.session.add(enterprise)
        db.session.flush()
        return enterprise

    return make


@pytest.fixture
def make_facility(app, make_enterprise):
    """Create a facility (and its enterprise when none is given)."""
    from app.facilities.models import Facility

    def make(code: str | None = None, enterprise=None, **values) -> Facility:
        enterprise = enterprise or make_enterprise()
        facility = Facility(
            code=code or f"F{uuid.uuid4().hex[:6].upper()}",
            name=values.pop("name", "Nhà máy thử nghiệm"),
            enterprise_id=enterprise.id,
            **values,
        )
        db.session.add(facility)
        db.session.flush()
        return facility

    return make


PASSWORD = "Mat-khau-thu-2026"


@pytest.fixture
def make_user(app, make_enterprise):
    """Create a user of a role (an enterprise user gets an enterprise)."""
    from app.auth.services import create_user

    def make(role: str = "inspector", email: str | None = None, enterprise=None, **values):
        if role == "enterprise" and enterprise is None:
            enterprise = make_enterprise()
        user, _ = create_user(
            email or f"{role}-{uuid.uuid4().hex[:8]}@example.vn",
            role,
            enterprise_id=enterprise.id if enterprise is not None else None,
            password=PASSWORD,
            **values,
        )
        return user

    return make


@pytest.fixture
def login(client):
    """Log a user in through the login form."""

    def do(user, password: str = PASSWORD):
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return do


@contextmanager
def own_database_at(folder: Path) -> Iterator[str]:
    """Create a database of one's own (a SQLite file in ``folder``, or a PostgreSQL database), drop it after."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield "sqlite:///" + str(folder / "own.sqlite3")
        return
    url = sa.engine.make_url(normalise_database_url(base))
    name = f"qt_own_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def own_database(tmp_path) -> Iterator[str]:
    """A database of the test's own (for tests that cross a process or connection boundary)."""
    with own_database_at(tmp_path) as url:
        yield url


@pytest.fixture
def redis_url() -> str:
    """The Redis server of REDIS_URL (skip, or fail in CI, without one)."""
    url = os.environ.get("REDIS_URL")
    if not url:
        require_service("REDIS_URL")
    return url


@pytest.fixture
def postgres_url() -> str:
    """TEST_DATABASE_URL when it is PostgreSQL (skip, or fail in CI, otherwise)."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith(("postgres", "postgresql")):
        require_service("TEST_DATABASE_URL (PostgreSQL)")
    return normalise_database_url(url)
