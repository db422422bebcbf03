"""quantrac: follow-up of automatic environmental monitoring for a provincial department."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then instance/config.py, then the environment, then ``test_config``."""
    from app import config as cfg

    instance_path = (
        (test_config or {}).get("INSTANCE_PATH")
        or os.environ.get("QUANTRAC_INSTANCE_PATH")
        or os.path.join(ROOT, "instance")
    )
    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=os.path.join(ROOT, "templates"),
    )
    from app.http import Request

    app.request_class = Request
    app.config.from_object(cfg.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(cfg.from_environment(os.environ))
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    cfg.finish(app.config, app.instance_path)

    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    _register_hooks(app)
    from app.errors import register_error_handlers
    from app.jobs.schedule import load_job_modules

    register_error_handlers(app)
    load_job_modules()
    _trust_proxies(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind ``TRUSTED_PROXIES`` reverse proxies, take the client's address and scheme from them."""
    count = int(app.config.get("TRUSTED_PROXIES") or 0)
    if count > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def _init_extensions(app: Flask) -> None:
    from sqlalchemy.orm import configure_mappers

    from app import models  # noqa: F401  (the whole schema, for migrations and queries)

    # Once per process, at start: otherwise the first query of a worker's first job or of
    # the first request pays for it (about 60 ms), and a broken mapping shows only then.
    configure_mappers()
    from app.extensions import babel, csrf, db, login_manager, migrate
    from app.i18n import select_locale, select_timezone

    db.init_app(app)
    with app.app_context():
        _configure_engine(db.engine)
    migrate.init_app(app, db, directory=os.path.join(ROOT, "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(value: str):
        from app.auth.models import User

        user_id, _, version = value.partition(":")
        if not user_id.isdigit() or not version.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        if user is None or user.session_version != int(version) or not user.is_active:
            return None
        return user


def _configure_engine(engine) -> None:
    """SQLite: real transactions and savepoints, foreign keys, WAL, a busy timeout."""
    if engine.dialect.name != "sqlite":
        return
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, record):
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        # SQLite has one writer: a transaction that read before another one committed
        # cannot write any more ("database is locked" at once, whatever the timeout).
        # Anything that may write takes the write lock when it begins and waits its
        # turn; page views (GET) read without it.
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _may_write() else "BEGIN")


def _may_write() -> bool:
    """False only inside a GET or HEAD request, which do not write."""
    from flask import has_request_context, request

    return not (has_request_context() and request.method in ("GET", "HEAD"))


# Every blueprint, as (module, attribute), and the modules whose import attaches routes to them.
BLUEPRINTS = (
    ("app.home", "bp"),
    ("app.auth", "bp"),
    ("app.auth", "users_bp"),
    ("app.facilities", "bp"),
    ("app.audit", "bp"),
    ("app.jobs", "bp"),
    ("app.settings", "bp"),
    ("app.compliance", "bp"),
    ("app.telemetry.http_views", "bp"),
    ("app.telemetry.accounts_views", "bp"),
    ("app.stations", "bp"),
    ("app.portal", "bp"),
    ("app.verification", "bp"),
    ("app.telemetry.station_views", "bp"),
    ("app.telemetry.limit_views", "bp"),
    ("app.telemetry", "bp"),
    ("app.cases", "bp"),
    ("app.notices", "bp"),
    ("app.notices", "verify_bp"),
    ("app.public", "bp"),
    ("app.inspections", "bp"),
    ("app.dashboard", "bp"),
    ("app.reports", "bp"),
)
VIEW_MODULES = (
    "app.home.views",
    "app.auth.views",
    "app.auth.users_views",
    "app.facilities.views",
    "app.facilities.import_views",
    "app.audit.views",
    "app.jobs.views",
    "app.settings.views",
    "app.compliance.views",
    "app.stations.views",
    "app.portal.views",
    "app.portal.notices_views",
    "app.verification.views",
    "app.telemetry.views",
    "app.telemetry.overview_views",
    "app.cases.views",
    "app.notices.views",
    "app.notices.verify_views",
    "app.notices.delivery_views",
    "app.public.views",
    "app.inspections.views",
    "app.dashboard.views",
    "app.reports.views",
)


def _register_blueprints(app: Flask) -> None:
    import importlib

    for name in VIEW_MODULES:
        importlib.import_module(name)
    for module, attribute in BLUEPRINTS:
        app.register_blueprint(getattr(importlib.import_module(module), attribute))


def _register_cli(app: Flask) -> None:
    from app.auth.cli import users_cli
    from app.cases.cli import cases_cli
    from app.compliance.cli import compliance_cli
    from app.dashboard.cli import dashboard_cli
    from app.demo.cli import demo_command
    from app.facilities.cli import facilities_cli
    from app.inspections.cli import inspections_cli
    from app.jobs.cli import jobs_cli, worker_command
    from app.notices.cli import notices_cli
    from app.public.cli import public_cli
    from app.stations import status_cli as _status_cli  # noqa: F401  (adds ``flask stations status``)
    from app.stations.cli import stations_cli
    from app.telemetry import receipt_cli as _receipt_cli  # noqa: F401  (adds ftp-server, scan-inbox ...)
    from app.telemetry.cli import telemetry_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(compliance_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(worker_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(facilities_cli)
    app.cli.add_command(telemetry_cli)
    app.cli.add_command(stations_cli)
    app.cli.add_command(cases_cli)
    app.cli.add_command(notices_cli)
    app.cli.add_command(public_cli)
    app.cli.add_command(inspections_cli)
    app.cli.add_command(dashboard_cli)


def _register_hooks(app: Flask) -> None:
    from app import formatting
    from app.auth.access import enforce, visible_roles
    from app.auth.roles import ROLE_LABELS
    from app.i18n import security_headers

    @app.before_request
    def start_embedded_jobs():
        if app.config["JOBS_MODE"] == "thread" and app.config["JOBS_START_THREAD"]:
            from app.jobs import inprocess

            inprocess.start(app)

    app.before_request(enforce)
    app.after_request(security_headers)
    app.jinja_env.filters.update(
        date=formatting.format_date,
        datetime=formatting.format_datetime,
        number=formatting.format_number,
        percent=formatting.format_percent,
    )
    from flask_babel import get_locale

    app.jinja_env.globals.update(
        has_role=visible_roles, role_labels=ROLE_LABELS, current_locale=lambda: str(get_locale() or "vi")
    )
