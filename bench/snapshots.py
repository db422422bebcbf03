"""The nightly snapshots of a month for every facility of the national set.

Run: ``.venv/bin/python bench/snapshots.py [--db postgresql|sqlite] [--rounds 3]``.
The set is the dashboard benchmark's national one (``bench/dashboard.py child-setup
--set national``: 2,000 facilities under obligations, 2,500 stations receiving now),
plus day rollups for every station and day of the last closed month, hourly sums
included, from the completeness benchmark's pool of day patterns: so each
facility's exceedances judge real hourly means against the regulation's limits.
Each round times, in child processes of their own and in alternating order,
``dashboard.snapshots.snapshot_month`` of that month for all 2,000 facilities,
committing per chunk as the nightly job does:

- **fresh process**: right after the app is created, as ``flask dashboard snapshot``
  runs it;
- **worker**: after ``app.process.settle_process()``, as ``flask worker`` runs
  its jobs.

Besides wall and CPU time, each child counts the cycle collector's full
collections and the time spent in them. There is no baseline and no goal in the
benchmark definitions for this job: the figures follow the nightly refresh, which
holds a worker for as long as it takes. Results: ``bench/results/snapshots.json``.
``--modes fresh`` times only the fresh process (for a tree without the worker's
preparation).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench.common import (  # noqa: E402
    ROOT,
    create_pg_database,
    drop_pg_database,
    emit,
    machine,
    make_app,
    new_database_name,
    pg_url,
    process_cpu,
    python_command,
    run_child,
    table,
    write_json,
)

SCRIPT = str(Path(__file__).resolve())
MODES = ("fresh", "worker")


def child_time(args: argparse.Namespace) -> None:
    """Time one month's snapshots of every facility, in a process prepared as ``args.mode`` says."""
    app = make_app(args.url, Path(args.instance))
    with app.app_context():
        from app.dashboard.services import closed_month
        from app.dashboard.snapshots import snapshot_month
        from app.db import commit
        from app.extensions import db

        if args.mode == "worker":
            from app.process import settle_process

            settle_process()
        full = {"count": 0, "seconds": 0.0}
        began = [0.0]

        def watch(phase: str, info: dict) -> None:
            if info["generation"] != 2:
                return
            if phase == "start":
                began[0] = time.perf_counter()
            else:
                full["count"] += 1
                full["seconds"] += time.perf_counter() - began[0]

        gc.callbacks.append(watch)
        started, cpu = time.perf_counter(), process_cpu()
        found = snapshot_month(closed_month(), after_chunk=lambda _done, _total: commit())
        commit()
        elapsed, cpu = time.perf_counter() - started, process_cpu() - cpu
        gc.callbacks.remove(watch)
        db.session.remove()
        db.engine.dispose()
    emit(
        {
            "seconds": elapsed,
            "cpu_s": cpu,
            "facilities": found["facilities"],
            "obliged": found["obliged"],
            "full_collections": full["count"],
            "full_collection_s": round(full["seconds"], 3),
        }
    )


def child_rollups(args: argparse.Namespace) -> None:
    """Write every station's day rollups of the last closed month (binary COPY / executemany)."""
    import sqlalchemy as sa
    from completeness import RowMaker
    from dataset import station_specs

    app = make_app(args.url, Path(args.instance))
    with app.app_context():
        from app.dashboard.services import closed_month
        from app.dashboard.snapshots import month_bounds
        from app.db import commit
        from app.extensions import db
        from app.stations.models import Station

        first, last = month_bounds(closed_month())
        ids = dict(db.session.execute(sa.select(Station.code, Station.id)).all())
        maker = RowMaker(seed=2500)
        rows = [
            row
            for spec in station_specs(2500)
            for row in maker.rows(ids[spec.code], spec.parameters, first, last)
        ]
        connection = db.session.connection().connection.driver_connection
        columns = "station_id, parameter, day, received, valid, hour_sums, hour_counts"
        if db.engine.dialect.name == "postgresql":
            with connection.cursor() as cursor:
                with cursor.copy(f"COPY day_rollups ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
                    copy.set_types(["int4", "text", "date", "bytea", "bytea", "text", "text"])
                    for row in rows:
                        copy.write_row(row)
        else:
            connection.executemany(
                f"INSERT INTO day_rollups ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(s, p, d.isoformat(), r, v, h, c) for s, p, d, r, v, h, c in rows],
            )
        commit()
        db.session.execute(sa.text("ANALYZE"))
        commit()
        db.session.remove()
        db.engine.dispose()
    emit({"rows": len(rows), "month": f"{first:%Y-%m}"})


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--modes", default=",".join(MODES), help="comma-separated: fresh, worker")
    parser.add_argument("--json", default=str(ROOT / "bench" / "results" / "snapshots.json"))
    args = parser.parse_args(argv)
    modes = [mode.strip() for mode in args.modes.split(",") if mode.strip()]
    if not modes or any(mode not in MODES for mode in modes):
        parser.error(f"--modes takes some of {', '.join(MODES)}")
    info = machine()
    with tempfile.TemporaryDirectory(prefix="qt-bench-snapshots-") as folder:
        work = Path(folder)
        database = new_database_name("qt_bench_snapshots") if args.db == "postgresql" else None
        if database:
            create_pg_database(database)
            url = pg_url(database)
        else:
            url = f"sqlite:///{work / 'national.sqlite3'}"
        try:
            instance = ["--url", url, "--instance", str(work / "instance")]
            started = time.perf_counter()
            run_child([str(ROOT / "bench" / "dashboard.py"), "child-setup", "--set", "national", *instance])
            built = run_child([SCRIPT, "child-rollups", *instance])
            print(
                f"national set with {built['rows']} rollup rows of {built['month']}"
                f" built in {time.perf_counter() - started:.1f} s",
                flush=True,
            )
            runs: dict[str, list[dict]] = {mode: [] for mode in modes}
            for number in range(args.rounds):
                for mode in modes if number % 2 == 0 else list(reversed(modes)):
                    result = run_child(
                        [
                            SCRIPT,
                            "child-time",
                            "--mode",
                            mode,
                            "--url",
                            url,
                            "--instance",
                            str(work / "instance"),
                        ]
                    )
                    runs[mode].append(result)
                    print(
                        f"round {number + 1} {mode:<6}: {result['seconds']:.1f} s, CPU {result['cpu_s']:.1f} s,"
                        f" {result['full_collections']} full collections ({result['full_collection_s']:.1f} s)",
                        flush=True,
                    )
        finally:
            if database:
                drop_pg_database(database)
    summary = {
        mode: {
            "seconds": statistics.median(r["seconds"] for r in found),
            "cpu_s": statistics.median(r["cpu_s"] for r in found),
            "full_collections": statistics.median(r["full_collections"] for r in found),
            "full_collection_s": statistics.median(r["full_collection_s"] for r in found),
            "facilities": found[0]["facilities"],
            "obliged": found[0]["obliged"],
        }
        for mode, found in runs.items()
    }
    command = f"{python_command()} bench/snapshots.py " + " ".join(argv)
    print()
    print(command)
    print(
        table(
            ["process", "facilities", "s (median)", "CPU s", "full collections", "in them s"],
            [
                [
                    mode,
                    s["facilities"],
                    s["seconds"],
                    s["cpu_s"],
                    s["full_collections"],
                    s["full_collection_s"],
                ]
                for mode, s in summary.items()
            ],
        )
    )
    write_json(
        args.json,
        {"benchmark": "snapshots", "command": command, "machine": info, "db": args.db, "summary": summary,
         "runs": runs},
    )  # fmt: skip
    print(f"written: {args.json}")


def child_main(argv: list[str]) -> None:
    """Entry of the child processes (not for direct use)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("child", choices=("child-time", "child-rollups"))
    parser.add_argument("--mode", choices=MODES)
    parser.add_argument("--url", required=True)
    parser.add_argument("--instance", required=True)
    args = parser.parse_args(argv)
    {"child-time": child_time, "child-rollups": child_rollups}[args.child](args)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].startswith("child-"):
        child_main(sys.argv[1:])
    else:
        main(sys.argv[1:])
