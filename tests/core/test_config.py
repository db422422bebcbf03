"""Configuration: defaults, instance file, environment, production refusals."""

import pytest

from app import create_app
from app.config import ConfigError, from_environment, normalise_database_url


def test_database_urls_use_psycopg():
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x") == "sqlite:///x"


def test_environment_overrides():
    values = from_environment(
        {"DATABASE_URL": "postgres://x/y", "MAIL_PORT": "2525", "MAIL_USE_TLS": "yes", "REDIS_URL": ""}
    )
    assert values == {"SQLALCHEMY_DATABASE_URI": "postgres://x/y", "MAIL_PORT": 2525, "MAIL_USE_TLS": True}


def test_embedded_default_is_sqlite_in_instance_and_thread_jobs(tmp_path, monkeypatch):
    for name in ("DATABASE_URL", "REDIS_URL", "JOBS_MODE", "QUANTRAC_ENV", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QUANTRAC_INSTANCE_PATH", str(tmp_path))
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/quantrac.sqlite3"
    assert app.config["JOBS_MODE"] == "thread"


def test_instance_config_file_then_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("QUANTRAC_INSTANCE_PATH", str(tmp_path))
    (tmp_path / "config.py").write_text("PAGE_SIZE = 20\nMAIL_SERVER = 'mail.example.vn'\n")
    monkeypatch.setenv("MAIL_SERVER", "smtp.from-env.vn")
    app = create_app()
    assert app.config["PAGE_SIZE"] == 20
    assert app.config["MAIL_SERVER"] == "smtp.from-env.vn"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "32 characters"),
        ({"SECRET_KEY": "x" * 40}, "PUBLIC_BASE_URL"),
    ],
)
def test_production_refuses_unsafe_settings(tmp_path, monkeypatch, env, message):
    monkeypatch.setenv("QUANTRAC_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("QUANTRAC_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError, match=message):
        create_app()


def test_production_turns_on_secure_cookies(tmp_path, monkeypatch):
    monkeypatch.setenv("QUANTRAC_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("QUANTRAC_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 48)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://quantrac.example.vn")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


def test_security_headers_and_error_pages_in_vietnamese(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.get_data(as_text=True)
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
