"""Shared pieces of the benchmarks: databases of their own, the app on them, children, tables.

Benchmarks run outside the test suite. Each measured run happens in a child process
of its own, so its peak memory (``ru_maxrss`` from ``os.wait4``) is that run's alone.
PostgreSQL databases are created and dropped by the benchmark itself on the server
of ``BENCH_PG_ADMIN_URL`` (an admin connection, default
``postgresql://postgres@127.0.0.1:5432/postgres``); their names start with
``qt_bench`` unless ``BENCH_DB_PREFIX`` names another prefix (a shared server).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def admin_url() -> str:
    """Return the libpq URL of the admin connection (creates and drops the benchmark's databases)."""
    return os.environ.get("BENCH_PG_ADMIN_URL", DEFAULT_ADMIN_URL)


def pg_url(database: str) -> str:
    """Return the URL of a database on the admin connection's server."""
    from sqlalchemy.engine import make_url

    return make_url(admin_url()).set(database=database).render_as_string(hide_password=False)


def new_database_name(prefix: str) -> str:
    """Return a fresh database name (``BENCH_DB_PREFIX`` replaces a leading ``qt_bench``)."""
    own = os.environ.get("BENCH_DB_PREFIX")
    if own and prefix.startswith("qt_bench"):
        prefix = own + prefix.removeprefix("qt_bench")
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def create_pg_database(name: str, template: str | None = None) -> None:
    """Create a database (a copy of ``template`` when given)."""
    import psycopg

    with psycopg.connect(admin_url(), autocommit=True) as conn:
        suffix = f' TEMPLATE "{template}"' if template else ""
        conn.execute(f'CREATE DATABASE "{name}"{suffix}')


def drop_pg_database(name: str) -> None:
    """Drop a database the benchmark created (closing its connections)."""
    import psycopg

    with psycopg.connect(admin_url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_app(database_url: str, instance: Path, **extra: Any):
    """Return the app on a database, with an instance folder of its own and inline jobs."""
    from app import create_app

    config = {
        "SECRET_KEY": "benchmark-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "JOBS_MODE": "sync",
        "REDIS_URL": None,
        "JOBS_START_THREAD": False,
        "INSTANCE_PATH": str(instance),
        **extra,
    }
    return create_app(config)


def migrate(app) -> None:
    """Build the schema with the migrations (as the test suite does)."""
    from flask_migrate import upgrade

    from app.extensions import db

    with app.app_context():
        upgrade()
        db.session.remove()


def run_child(args: Sequence[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``python ARGS`` in a child process; return its JSON result with its peak memory.

    The child prints one JSON object on its last line of stdout. ``max_rss_mb`` is the
    child's own peak resident set (``os.wait4``'s rusage), ``wall_s`` its whole life.
    """
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )
    out, err = process.stdout.read(), process.stderr.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    process.stderr.close()
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"child {' '.join(args)} failed ({process.returncode}):\n{err.decode()[-4000:]}")
    lines = out.decode().strip().splitlines()
    result = json.loads(lines[-1])
    result["max_rss_mb"] = round(usage.ru_maxrss / 1024, 1)  # kilobytes on Linux
    result["wall_s"] = round(wall, 3)
    return result


def process_cpu(pid: int | None = None) -> float | None:
    """Return the CPU seconds (user + system) a process used so far (None when unreadable).

    With no pid, the calling process. For a PostgreSQL backend on this machine, its
    /proc entry: the server's share of the work, beside the client's.
    """
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def python_command() -> str:
    """Return how the benchmark's interpreter is named in a recorded command (relative to the project)."""
    try:
        return str(Path(sys.executable).relative_to(ROOT))
    except ValueError:
        return "python"


def emit(result: dict[str, Any]) -> None:
    """Print a child's result (one JSON line, the last of its stdout)."""
    print(json.dumps(result, default=str), flush=True)


def median(values: Sequence[float]) -> float:
    """Return the median."""
    return statistics.median(values)


def machine() -> dict[str, Any]:
    """Return what the figures were measured on."""
    info: dict[str, Any] = {
        "date_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }
    try:
        with open("/proc/meminfo") as handle:
            info["memory_gb"] = round(int(handle.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    try:
        import psycopg

        with psycopg.connect(admin_url(), autocommit=True, connect_timeout=3) as conn:
            info["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
            info["postgresql_settings"] = dict(
                conn.execute(
                    "SELECT name, setting FROM pg_settings WHERE name IN"
                    " ('shared_buffers', 'synchronous_commit', 'fsync', 'wal_level', 'max_wal_size')"
                ).fetchall()
            )
    except Exception as error:  # the SQLite runs do not need the server
        info["postgresql"] = f"unavailable: {error.__class__.__name__}"
    import sqlite3

    info["sqlite"] = sqlite3.sqlite_version
    return info


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Return a Markdown table."""

    def cell(value: Any) -> str:
        if isinstance(value, float):
            return f"{value:.3f}" if abs(value) < 100 else f"{value:.1f}"
        return str(value)

    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)


def write_json(path: str | os.PathLike[str], data: dict[str, Any]) -> None:
    """Write results as JSON (creating the folder)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, indent=2, default=str) + "\n")
