"""The migrations are the schema: one head, nothing pending, and they go down and up again."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import check, downgrade, upgrade

from app import create_app
from app.extensions import db, migrate
from tests.conftest import app_config


def test_single_head(app):
    with app.app_context():
        config = migrate.get_config()
        assert len(ScriptDirectory.from_config(config).get_heads()) == 1


@pytest.mark.own_database  # alembic opens its own connection: no test transaction may hold the lock
def test_models_match_the_migrations(app):
    with app.app_context():
        check()  # raises when autogenerate would find a change


@pytest.mark.own_database
def test_upgrade_downgrade_upgrade(own_database, tmp_path):
    application = create_app(app_config(own_database, str(tmp_path)))
    with application.app_context():
        upgrade()
        db.session.remove()
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {"users", "audit_events", "job_runs", "facilities", "enterprises", "setting_values"} <= tables
        downgrade(revision="base")
        db.session.remove()
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        db.session.remove()
        assert "audit_events" in sa.inspect(db.engine).get_table_names()
        # The append-only triggers come back with the table.
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO audit_events (at, actor_label, action, object_type, changes) "
                    "VALUES (CURRENT_TIMESTAMP, 'x', 'y', 'z', '{}')"
                )
            )
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), db.engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM audit_events"))
        db.engine.dispose()
