"""The dashboard and its drill-downs under 30 concurrent users on gunicorn: national set vs demo set, same run.

The dashboard reads the monthly snapshots (``facility_months``), the stations' derived
status for "now", the cases and the notices: never raw readings. So the national set
is generated straight into those tables, without readings or rollups:

* **demo**: ``flask demo``'s province (65 facilities, their stations, 30 days of data,
  the sweep's cases and notices) with its snapshots, built by the demo's own code;
* **national**: 2,000 facilities and 2,500 stations (``dataset.station_specs``) in 100
  communes and 16 industries, each under a required obligation of its stations' kinds,
  stations last heard from a few minutes to days ago, and 13 months of snapshots
  (the 12 closed months to the last full month and the month in progress).

Each set is served by gunicorn (``--workers``, default 3) on loopback; 30 simulated
users (threads of this process: the load generator shares the machine) log in and
each requests the dashboard and five drill-downs ``--rounds`` times. Timed: every
request's latency, p50/p95 per set, and the ratio national p95 / demo p95. Goals
(benchmarks.md): ratio <= 3 and national p95 <= 300 ms.

    .venv/bin/python bench/dashboard.py --users 30 --rounds 5

PostgreSQL databases are created and dropped on the server of ``BENCH_PG_ADMIN_URL``.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402  (the bench folder is not a package)
    ROOT,
    create_pg_database,
    drop_pg_database,
    emit,
    machine,
    make_app,
    migrate,
    new_database_name,
    pg_url,
    python_command,
    run_child,
    table,
    write_json,
)

SCRIPT = str(Path(__file__).resolve())
SETS = ("demo", "national")
EMAIL, PASSWORD = "lanhdao.bench@example.vn", "Bench-LanhDao-2026"
INDUSTRIES = ("paper", "textile_dyeing", "seafood", "thermal_power", "cement", "steel", "chemicals",
              "food_processing", "sugar", "beverage", "brewery", "rubber", "livestock", "hospital",
              "central_wwtp", "waste_treatment")  # fmt: skip


# --------------------------------------------------------------------------- data


def _add_user() -> None:
    from app.auth.services import create_user

    create_user(EMAIL, "leader", full_name="Lãnh đạo (benchmark)", password=PASSWORD)


def _national_rows(facilities: list[tuple[int, set[str]]], regime: str, today: date) -> None:
    """Obligations, communes, industries and 13 months of snapshots of the national set."""
    import sqlalchemy as sa

    from app.compliance.models import Obligation
    from app.dashboard.aggregate import last_months
    from app.dashboard.models import FacilityMonth
    from app.db import utcnow
    from app.extensions import db
    from app.facilities.models import Facility
    from app.telemetry.slots import day_start

    rng = random.Random(11)
    for facility_id, _kinds in facilities:
        db.session.execute(
            sa.update(Facility)
            .where(Facility.id == facility_id)
            .values(commune=f"Xã {facility_id % 100:03d}", industry_type=INDUSTRIES[facility_id % 16])
        )
    db.session.execute(
        sa.insert(Obligation),
        [
            {
                "facility_id": fid,
                "regime": regime,
                "kind": kind,
                "status": "required",
                "as_of": today,
                "parameters": [],
                "clauses": [],
                "sources": [],
                "missing": [],
                "citations": [],
                "rule_version_ids": [],
                "explanation": "",
            }  # fmt: skip
            for fid, kinds in facilities
            for kind in sorted(kinds)
        ],
    )
    now = utcnow()
    months = last_months(today.replace(day=1), 13)
    rows = []
    for month in months:
        following = (month + timedelta(days=32)).replace(day=1)
        for fid, _kinds in facilities:
            installed = rng.random() < 0.92
            connected = installed and rng.random() < 0.95
            raw = rng.betavariate(9, 1) if connected else None
            rows.append(
                {
                    "facility_id": fid,
                    "month": month,
                    "commune": f"Xã {fid % 100:03d}",
                    "industry": INDUSTRIES[fid % 16],
                    "is_obliged": True,
                    "is_installed": installed,
                    "is_connected": connected,
                    "is_receiving": connected and rng.random() < 0.9,
                    "serving_stations": 1,
                    "raw_rate": raw,
                    "excused_rate": min(1.0, raw + rng.random() * 0.03) if raw is not None else None,
                    "exceedance_hours": rng.choice((0, 0, 0, 2, 9)),
                    "observed_at": min(now, day_start(following)),
                    "computed_at": now,
                }  # fmt: skip
            )
    db.session.execute(sa.insert(FacilityMonth), rows)


def child_setup(args: argparse.Namespace) -> None:
    """Build one set on its database: the demo's own code, or the national generator."""
    import sqlalchemy as sa
    from dataset import create_stations, station_specs

    from app.audit.actor import cli_actor
    from app.compliance.services import regime_in_force, today
    from app.db import commit, utcnow
    from app.extensions import db
    from app.stations.models import Station

    app = make_app(args.url, Path(args.instance))
    migrate(app)
    started = time.perf_counter()
    with app.app_context(), cli_actor():
        if args.set == "demo":
            from app.demo.services import build_demo

            build_demo(reset=False, days=30)
        else:
            specs = station_specs(2500)
            ids = create_stations(specs, today() - timedelta(days=400))
            rng = random.Random(5)
            now = utcnow()
            for spec in specs:
                minutes = rng.choice((2, 5, 10, 20, 30, 45, 90, 600, 3000))
                db.session.execute(
                    sa.update(Station)
                    .where(Station.id == ids[spec.code])
                    .values(last_reading_at=now - timedelta(minutes=minutes))
                )
            kinds: dict[int, set[str]] = {}
            for station in db.session.execute(sa.select(Station.facility_id, Station.kind)):
                kinds.setdefault(station.facility_id, set()).add(station.kind)
            _national_rows(sorted(kinds.items()), regime_in_force(today()), today())
        _add_user()
        commit()
        db.session.execute(sa.text("ANALYZE"))
        commit()
        counts = {
            "facilities": db.session.scalar(sa.text("SELECT count(*) FROM facilities")),
            "stations": db.session.scalar(sa.text("SELECT count(*) FROM stations")),
            "snapshots": db.session.scalar(sa.text("SELECT count(*) FROM facility_months")),
        }
        db.session.remove()
        db.engine.dispose()
    emit({**counts, "seconds": time.perf_counter() - started})


# --------------------------------------------------------------------------- load


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(url: str, instance: Path, workers: int) -> tuple[subprocess.Popen, str]:
    """Start gunicorn on the set's database; return the process and its base URL once it answers."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "QUANTRAC_INSTANCE_PATH": str(instance), "JOBS_MODE": "sync",
           "SECRET_KEY": "benchmark-secret-benchmark-secret-0123456789"}  # fmt: skip
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    process = subprocess.Popen(
        [
            gunicorn,
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "app:create_app()",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/login", timeout=2).read()
            return process, base
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise RuntimeError("gunicorn did not answer")


def stop(process: subprocess.Popen) -> None:
    """Stop gunicorn (its whole process group) and wait for it."""
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def session(base: str):
    """A logged-in opener (the login form's CSRF token included)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrf_token": token, "email": EMAIL, "password": PASSWORD}).encode()
    landed = opener.open(base + "/login", form)
    if "/login" in landed.url:
        raise RuntimeError("login refused")
    return opener


def pages(base: str, opener) -> list[str]:
    """The dashboard and five drill-downs of its month (the first commune's list among them)."""
    html = opener.open(base + "/dashboard/").read().decode()
    month = re.search(r'<option value="(\d{4}-\d{2})" selected', html).group(1)
    commune = re.search(r"group=commune&amp;value=([^\"&]+)", html).group(1)
    drill = f"/dashboard/facilities?month={month}&measure="
    return [
        f"/dashboard/?month={month}",
        drill + "obliged",
        drill + "meets_excused",
        drill + "out_of_compliance",
        drill + f"obliged&group=commune&value={commune}",
        "/dashboard/facilities?measure=receiving&scope=now",
    ]


def load(base: str, users: int, rounds: int) -> dict:
    """``users`` threads, each logged in, request every page ``rounds`` times; latencies per page."""
    openers = [session(base) for _ in range(users)]
    paths = pages(base, openers[0])
    for path in paths:  # warm-up: each worker's first render is not timed
        openers[0].open(base + path).read()
    timings: dict[str, list[float]] = {path: [] for path in paths}
    errors: list[str] = []
    lock = threading.Lock()
    gate = threading.Barrier(users)

    def user(opener, offset: int) -> None:
        gate.wait()
        for number in range(rounds * len(paths)):
            path = paths[(offset + number) % len(paths)]
            started = time.perf_counter()
            try:
                response = opener.open(base + path)
                response.read()
                ok = response.status == 200
            except OSError as error:
                ok, response = False, error
            elapsed = time.perf_counter() - started
            with lock:
                timings[path].append(elapsed) if ok else errors.append(f"{path}: {response}")

    threads = [threading.Thread(target=user, args=(o, i)) for i, o in enumerate(openers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    every = sorted(t for values in timings.values() for t in values)
    return {
        "requests": len(every),
        "errors": errors[:10],
        "error_count": len(errors),
        "wall_s": wall,
        "throughput_rps": len(every) / wall,
        "p50_ms": percentile(every, 50) * 1000,
        "p95_ms": percentile(every, 95) * 1000,
        "max_ms": every[-1] * 1000,
        "pages": {
            path: {"p50_ms": percentile(sorted(v), 50) * 1000, "p95_ms": percentile(sorted(v), 95) * 1000}
            for path, v in timings.items()
        },
    }


def percentile(ordered: list[float], share: float) -> float:
    """The nearest-rank percentile of sorted values."""
    if not ordered:
        return float("nan")
    rank = max(1, int(-(-share * len(ordered) // 100)))
    return ordered[rank - 1]


# --------------------------------------------------------------------------- main


def main(argv: list[str]) -> None:
    """Build both sets, serve each with gunicorn in turn, load it, report, drop the databases."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "dashboard.json"))
    args = parser.parse_args(argv)
    info = machine()
    work = Path(tempfile.mkdtemp(prefix="qt-bench-dashboard-"))
    names, results = [], {}
    try:
        urls = {}
        for name in SETS:
            database = new_database_name(f"qt_bench_dash_{name}")
            create_pg_database(database)
            names.append(database)
            urls[name] = pg_url(database)
            built = run_child([SCRIPT, "child-setup", "--set", name, "--url", urls[name],
                               "--instance", str(work / name)])  # fmt: skip
            print(f"{name}: {built}", flush=True)
            results[name] = {"built": built}
        for name in SETS:
            process, base = serve(urls[name], work / name, args.workers)
            try:
                results[name]["load"] = found = load(base, args.users, args.rounds)
            finally:
                stop(process)
            print(f"{name}: p50 {found['p50_ms']:.0f} ms, p95 {found['p95_ms']:.0f} ms, "
                  f"{found['requests']} requests, {found['error_count']} errors", flush=True)  # fmt: skip
    finally:
        for database in names:
            drop_pg_database(database)
        shutil.rmtree(work, ignore_errors=True)
    demo, national = results["demo"]["load"], results["national"]["load"]
    results["ratio_p95"] = national["p95_ms"] / demo["p95_ms"]
    results["ratio_p50"] = national["p50_ms"] / demo["p50_ms"]
    command = f"{python_command()} bench/dashboard.py " + " ".join(argv)
    write_json(args.output, {"command": command, "machine": info, "args": vars(args), "results": results})
    rows = [
        [
            name,
            results[name]["built"]["facilities"],
            results[name]["load"]["requests"],
            results[name]["load"]["p50_ms"],
            results[name]["load"]["p95_ms"],
            results[name]["load"]["max_ms"],
            results[name]["load"]["throughput_rps"],
        ]  # fmt: skip
        for name in SETS
    ]
    print(table(["set", "facilities", "requests", "p50 ms", "p95 ms", "max ms", "req/s"], rows))
    print(f"national/demo p95 {results['ratio_p95']:.2f} (goal <= 3), national p95 "
          f"{national['p95_ms']:.0f} ms (goal <= 300 ms)")  # fmt: skip
    for name in SETS:
        for path, figures in results[name]["load"]["pages"].items():
            print(f"  {name:9} {path:70} p50 {figures['p50_ms']:7.1f} p95 {figures['p95_ms']:7.1f}")


def child_main(argv: list[str]) -> None:
    """Entry of a child process."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", choices=SETS)
    parser.add_argument("--url")
    parser.add_argument("--instance")
    child_setup(parser.parse_args(argv))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "child-setup":
        child_main(sys.argv[2:])
    else:
        main(sys.argv[1:])
