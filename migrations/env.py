"""Alembic environment: the app's engine and metadata, the same files on SQLite and PostgreSQL."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from app.db import UTCDateTime

config = context.config
if config.config_file_name and not config.attributes.get("skip_logging"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")


def get_engine():
    """The app's engine (Flask-SQLAlchemy 3)."""
    return current_app.extensions["migrate"].db.engine


def get_metadata():
    """The metadata of every model."""
    return current_app.extensions["migrate"].db.metadata


def include_name(name, type_, parent_names):
    """Leave out the readings' monthly partitions: the migrations and a job manage them."""
    if type_ == "table" and name and (name.startswith("readings_p") or name == "readings_default"):
        return False
    return True


def render_item(type_, obj, autogen_context):
    """Write our UTC timestamp type as a plain timezone-aware DateTime in migrations."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


config.set_main_option(
    "sqlalchemy.url", get_engine().url.render_as_string(hide_password=False).replace("%", "%%")
)


def run_migrations_offline():
    """Emit SQL for the configured URL without connecting."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=get_metadata(),
        literal_binds=True,
        render_item=render_item,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run migrations on a connection of the app's engine."""

    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    conf_args.setdefault("render_item", render_item)
    conf_args.setdefault("compare_type", True)
    conf_args.setdefault("include_name", include_name)

    engine = get_engine()
    with engine.connect() as connection:
        is_sqlite = connection.dialect.name == "sqlite"
        if is_sqlite:
            # Batch migrations copy tables; foreign keys are checked again afterwards.
            # (on the driver's connection: outside a transaction, where the pragma works)
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        # SQLite's DDL is transactional (the app's engine emits BEGIN itself).
        context.configure(
            connection=connection,
            target_metadata=get_metadata(),
            transactional_ddl=True,
            **conf_args,
        )
        with context.begin_transaction():
            context.run_migrations()
        if is_sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
