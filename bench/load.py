"""Load run: simulated inspectors, enterprises and leaders on gunicorn while data files keep arriving.

Usage (PostgreSQL from ``BENCH_PG_ADMIN_URL``; a redis-server of its own on a free port)::

    .venv/bin/python bench/load.py --users 30 --duration 300 --days 2 --json bench/results/load.json
    .venv/bin/python bench/load.py --users 30 --duration 20 --days 1 --stations 5 --check   # the short run
    .venv/bin/python bench/load.py --set both --duration 300 --json bench/results/load-national.json

``--set`` chooses the data: ``demo`` (the default) builds the demo province in a
database of its own (``flask demo``); ``national`` builds the national set with
the dashboard benchmark's generator plus the accounts its users need
(``bench/load_national.py``); ``both`` runs the demo, then the national set, each
on a fresh database and fresh processes, and adds the ratio of their p95.

For each set it starts
gunicorn and one ``flask worker`` (jobs and the periodic scheduler), plus
``--ingest-workers`` workers serving only the ingest queue, on 127.0.0.1, then for ``--duration`` seconds runs ``--users`` simulated users
(60% enterprise users, 30% inspectors, 10% leaders, each pausing between pages)
while ``--stations`` stations upload a file every ``--upload-every`` seconds
through the HTTP upload API. After the load it waits for the inbox to drain and
reports p50/p95 per page, the error count, and whether ingest kept up: no inbox
file older than two scan intervals plus the unchanged time, during the run or
after it. Everything it started is stopped and its database dropped.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    ROOT,
    create_pg_database,
    drop_pg_database,
    machine,
    new_database_name,
    pg_url,
)
from bench.load_users import Figures, Page, User, run_baseline, run_uploads, run_user  # noqa: E402

SHARES = (("enterprise", 0.6), ("inspector", 0.3), ("leader", 0.1))


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def role_counts(users: int) -> dict[str, int]:
    """How many simulated users of each role (the shares, rounded; leaders at least one)."""
    counts = {role: int(users * share) for role, share in SHARES}
    counts["leader"] = max(1, counts["leader"])
    counts["enterprise"] += users - sum(counts.values())
    return counts


class Processes:
    """The child processes of the run (redis-server, gunicorn, the worker), stopped together."""

    def __init__(self, logs: Path):
        self.logs, self.children = logs, []

    def start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        """Start a child with its output in ``<logs>/<name>.log``."""
        log = open(self.logs / f"{name}.log", "wb")  # noqa: SIM115  (closed with the child)
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.children.append((name, child, log))
        return child

    def stop(self) -> None:
        """Stop every child (TERM, then KILL after 20 s), newest first."""
        for _name, child, log in reversed(self.children):
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
                try:
                    child.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait(timeout=10)
            log.close()

    def check_alive(self) -> None:
        """Fail when a child has ended early."""
        for name, child, _ in self.children:
            if child.poll() is not None:
                tail = (self.logs / f"{name}.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{name} ended (exit {child.returncode}):\n{tail}")


def wait_until_up(port: int, processes: Processes, timeout: float = 90) -> None:
    """Wait until gunicorn answers the login page."""
    from bench.load_users import Client

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        processes.check_alive()
        client = Client(port, timeout=5)
        try:
            if client.request("GET", "/login")[0] == 200:
                return
        except OSError:
            pass
        finally:
            client.close()
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer in time")


def prepare(url: str, instance: Path, stations: int, accounts=None) -> dict[str, Any]:
    """Upload tokens for the first stations, each role's pages, the accounts and the ingest bound."""
    from bench.common import make_app
    from bench.load_pages import pages_by_role, senders

    app = make_app(url, instance)
    with app.app_context():
        from app.db import commit
        from app.extensions import db
        from app.jobs.schedule import PERIODIC
        from app.settings import services as settings

        uploaders = senders(stations)
        pages, accounts = pages_by_role(accounts)
        commit()
        scan = next(p.every for p in PERIODIC if p.job == "telemetry.scan_inbox").total_seconds()
        unchanged = float(settings.get("receipt.unchanged_seconds"))
        db.session.remove()
        db.engine.dispose()
    return {"senders": uploaders, "pages": pages, "accounts": accounts, "bound": 2 * scan + unchanged}


def oldest_inbox_age(inbox: Path) -> float:
    """Age in seconds of the oldest data file waiting in the inbox (0 when none)."""
    now, oldest = time.time(), None
    for path in inbox.rglob("*.txt"):
        if path.name.startswith("."):
            continue
        try:
            mtime = path.stat().st_mtime
        except FileNotFoundError:
            continue
        oldest = mtime if oldest is None else min(oldest, mtime)
    return 0.0 if oldest is None else now - oldest


def ingest_lag(url: str, instance: Path, names: list[str]) -> dict[str, Any]:
    """How many uploaded files are recorded, and the longest time from receipt to record."""
    import sqlalchemy as sa

    from bench.common import make_app

    app = make_app(url, instance)
    with app.app_context():
        from app.extensions import db
        from app.telemetry.models import DataFile

        rows = db.session.execute(
            sa.select(DataFile.received_at, DataFile.ingested_at, DataFile.outcome).where(
                DataFile.original_name.in_(names)
            )
        ).all()
        db.session.remove()
        db.engine.dispose()
    lags = [(ingested - received).total_seconds() for received, ingested, _ in rows]
    return {
        "uploaded": len(names),
        "recorded": len(rows),
        "accepted": sum(1 for *_, outcome in rows if outcome == "accepted"),
        "max_lag_s": round(max(lags), 1) if lags else None,
    }


def build_users(accounts: dict[str, list[tuple[str, str, list[Page]]]], total: int) -> list[User]:
    """``total`` simulated users by role share, cycling over each role's demo accounts."""
    users = []
    for role, count in role_counts(total).items():
        for index in range(count):
            email, password, pages = accounts[role][index % len(accounts[role])]
            users.append(User(role, email, password, pages))
    return users


def run_load(args, port: int, prepared: dict, inbox: Path, processes: Processes) -> dict[str, Any]:
    """Users and uploads for ``args.duration`` seconds, then the drain; figures of both."""
    figures, uploaded, stop, names = Figures(), Figures(), threading.Event(), []
    users = build_users(prepared["accounts"], args.users)
    baseline = Figures()
    run_baseline(users, port, baseline)
    first_day = datetime.now(UTC).date() - timedelta(days=args.days + 3)
    threads = [
        threading.Thread(target=run_user, args=(u, port, figures, stop, tuple(args.think), i), daemon=True)
        for i, u in enumerate(users)
    ]
    threads.append(
        threading.Thread(
            target=run_uploads,
            args=(prepared["senders"], port, uploaded, stop, args.upload_every, first_day, names),
            daemon=True,
        )
    )
    for thread in threads:
        thread.start()
    oldest, started = 0.0, time.monotonic()
    while time.monotonic() - started < args.duration:
        processes.check_alive()
        oldest = max(oldest, oldest_inbox_age(inbox))
        time.sleep(1)
    stop.set()
    for thread in threads:
        thread.join(timeout=90)
    drained_at = time.monotonic()
    while time.monotonic() - drained_at < prepared["bound"] + 15:
        age = oldest_inbox_age(inbox)
        oldest = max(oldest, age)
        if age == 0.0:
            break
        time.sleep(1)
    sent = uploaded.summary()
    return {
        "roles": {role: sum(1 for u in users if u.role == role) for role, _ in SHARES},
        "figures": figures.summary(),
        "baseline": baseline.summary(),
        "uploads": {
            **sent["all"],
            "errors": sent["errors"],
            "error_samples": sent["error_samples"],
            "stations": len(prepared["senders"]),
        },
        "drain_s": round(time.monotonic() - drained_at, 1),
        "max_inbox_age_s": round(oldest, 1),
        "names": names,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=("demo", "national", "both"), default="demo", help="data set")
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--duration", type=float, default=300, help="seconds of load")
    parser.add_argument("--days", type=int, default=2, help="days of demo readings")
    parser.add_argument("--stations", type=int, default=10, help="stations uploading files")
    parser.add_argument("--upload-every", type=float, default=5.0, help="seconds between a station's files")
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 4.0), help="pause between pages (s)")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--ingest-workers", type=int, default=0, help="workers serving only the ingest queue, besides the one"
    )
    parser.add_argument("--json", type=Path, help="write the result here too")
    parser.add_argument("--logs", type=Path, help="copy the processes' logs into this folder")
    parser.add_argument("--check", action="store_true", help="exit 1 on any error or if ingest fell behind")
    args = parser.parse_args()

    sets = ("demo", "national") if args.set == "both" else (args.set,)
    results = {dataset: run_set(args, dataset) for dataset in sets}
    result = results[args.set] if args.set in results else compare(results)
    text = json.dumps(result, ensure_ascii=False, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    failed = [r for r in results.values() if r["errors"] or not r["ingest"]["kept_up"]]
    return 1 if args.check and failed else 0


def run_set(args, dataset: str) -> dict[str, Any]:
    """One set's run on a database and processes of its own, all removed afterwards."""
    work = Path(tempfile.mkdtemp(prefix="qt-load-"))
    name = new_database_name("qt_bench_load")
    create_pg_database(name)
    url = pg_url(name).replace("postgresql://", "postgresql+psycopg://", 1)
    processes = Processes(work)
    try:
        return run(args, dataset, url, work, processes)
    finally:
        processes.stop()
        if args.logs:
            args.logs.mkdir(parents=True, exist_ok=True)
            for log in work.glob("*.log"):
                shutil.copy(log, args.logs / f"{dataset}-{log.name}")
        drop_pg_database(name)
        shutil.rmtree(work, ignore_errors=True)


def compare(results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Both sets' results with the national/demo ratio of p95 (and p50), over all pages and per page."""
    demo, national = results["demo"], results["national"]

    def ratio(a: dict, b: dict, key: str) -> float | None:
        return round(a[key] / b[key], 2) if a.get(key) and b.get(key) else None

    pages = {
        page: ratio(national["pages"][page], figures, "p95_ms")
        for page, figures in demo["pages"].items()
        if page in national["pages"]
    }
    return {
        "command": " ".join(sys.argv),
        "ratio_p95": ratio(national["all_pages"], demo["all_pages"], "p95_ms"),
        "ratio_p50": ratio(national["all_pages"], demo["all_pages"], "p50_ms"),
        "ratio_p95_pages": pages,
        "errors": demo["errors"] + national["errors"],
        "kept_up": demo["ingest"]["kept_up"] and national["ingest"]["kept_up"],
        "sets": results,
    }


def run(args, dataset: str, url: str, work: Path, processes: Processes) -> dict[str, Any]:
    """Set up the services, build the data, run the load; the result."""
    instance, inbox = work / "instance", work / "instance" / "inbox"
    instance.mkdir()
    redis_port, web_port = free_port(), free_port()
    if shutil.which("redis-server") is None:
        raise SystemExit("redis-server is needed (apt-get install redis-server)")
    processes.start(
        "redis",
        [
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            str(redis_port),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        dict(os.environ),
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "QUANTRAC_INSTANCE_PATH": str(instance),
        "SECRET_KEY": "load-run-secret-key-of-at-least-32-characters",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{web_port}",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(free_port()),  # nothing listens: e-mails wait for their retries
    }
    env.pop("TEST_DATABASE_URL", None)
    env.pop("JOBS_MODE", None)
    started = time.monotonic()
    described, accounts = build(dataset, args.days, url, instance, env)
    build_s = time.monotonic() - started
    prepared = prepare(url, instance, args.stations, accounts)
    processes.start(
        "gunicorn",
        [
            sys.executable,
            "-m",
            "gunicorn",
            f"--workers={args.web_workers}",
            f"--threads={args.threads}",
            f"--bind=127.0.0.1:{web_port}",
            "--timeout=120",
            "app:create_app()",
        ],
        env,
    )
    processes.start("worker", [sys.executable, "-m", "flask", "--app", "app", "worker"], env)
    for number in range(args.ingest_workers):
        command = ["flask", "--app", "app", "worker", "--queue", "ingest", "--no-scheduler"]
        processes.start(f"ingest-worker-{number + 1}", [sys.executable, "-m", *command], env)
    wait_until_up(web_port, processes)
    load = run_load(args, web_port, prepared, inbox, processes)
    ingest = ingest_lag(url, instance, load.pop("names"))
    bound = prepared["bound"]
    ingest.update(bound_s=bound, max_inbox_age_s=load.pop("max_inbox_age_s"), drain_s=load.pop("drain_s"))
    ingest["kept_up"] = (
        ingest["uploaded"] > 0
        and ingest["recorded"] == ingest["uploaded"]
        and ingest["max_lag_s"] <= bound
        and ingest["max_inbox_age_s"] <= bound
    )
    figures, baseline = load.pop("figures"), load.pop("baseline")
    for name, page in figures["pages"].items():
        alone = baseline["pages"].get(name)
        if alone and alone.get("n") and page.get("n"):
            page["p50_alone_ms"] = alone["p50_ms"]
            page["p50_ratio"] = round(page["p50_ms"] / alone["p50_ms"], 2)
    return {
        "command": " ".join(sys.argv),
        "set": dataset,
        "setup": {"dataset": described, "build_s": round(build_s, 1), **vars_of(args)},
        "roles": load["roles"],
        "requests": figures["requests"],
        "errors": figures["errors"] + load["uploads"]["errors"] + baseline["errors"],
        "error_samples": figures["error_samples"],
        "all_pages": figures["all"],
        "all_pages_alone": baseline["all"],
        "baseline_errors": baseline["errors"],
        "pages": figures["pages"],
        "uploads": load["uploads"],
        "ingest": ingest,
        "machine": machine(),
    }


def build(dataset: str, days: int, url: str, instance: Path, env: dict[str, str]):
    """Build the set on the empty database; its description and its accounts (None: the demo's)."""
    if dataset == "national":
        from bench.load_national import build_national, national_accounts

        counts = build_national(url, instance)
        described = (
            f"national: {counts['facilities']} facilities, {counts['stations']} stations, "
            f"{counts['snapshots']} monthly snapshots"
        )
        return described, national_accounts()
    demo = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "demo", "--days", str(days)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if demo.returncode != 0:
        raise RuntimeError(f"flask demo failed:\n{demo.stderr[-3000:]}")
    return f"demo, {days} day(s)", None


def vars_of(args) -> dict[str, Any]:
    """The run's options, for the record."""
    return {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}


if __name__ == "__main__":
    sys.exit(main())
