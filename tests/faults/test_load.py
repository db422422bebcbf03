"""The short load run: 30 simulated users on gunicorn with a worker, PostgreSQL and Redis, files arriving.

Runs ``bench/load.py`` on a small slice (the demo province with one day of
readings, five stations uploading, 20 seconds of load) in a database of its
own and asserts what must hold under load whatever the machine's speed: no
request fails, and ingest keeps up (every uploaded file recorded, none waiting
longer than two scan intervals plus the unchanged time). Timings are reported
by the script, never asserted here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
import sqlalchemy as sa

from app import ROOT
from tests.conftest import require_service

pytestmark = [pytest.mark.own_database, pytest.mark.postgres]


def test_thirty_users_and_arriving_files_with_no_error_and_ingest_keeping_up(postgres_url, tmp_path):
    if shutil.which("redis-server") is None:
        require_service("redis-server")
    admin = sa.engine.make_url(postgres_url).set(drivername="postgresql", database="postgres")
    out = tmp_path / "load.json"
    command = [
        sys.executable,
        "bench/load.py",
        "--users=30",
        "--duration=20",
        "--days=1",
        "--stations=5",
        f"--json={out}",
    ]
    env = {
        "BENCH_PG_ADMIN_URL": admin.render_as_string(hide_password=False),
        "BENCH_DB_PREFIX": "qt_own_load",
    }
    result = subprocess.run(
        command, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=1200
    )
    assert result.returncode == 0, result.stderr[-4000:]
    figures = json.loads(out.read_text())

    assert figures["roles"] == {"enterprise": 18, "inspector": 9, "leader": 3}
    assert figures["errors"] == 0, figures["error_samples"]
    assert figures["pages"]["POST /login"]["n"] == 30, "every user logged in"
    assert figures["requests"] > 60
    assert figures["uploads"]["n"] > 0 and figures["uploads"]["errors"] == 0
    ingest = figures["ingest"]
    assert ingest["recorded"] == ingest["uploaded"] == figures["uploads"]["n"]
    assert ingest["accepted"] == ingest["uploaded"]
    assert ingest["kept_up"], ingest
