"""Ingest throughput: the full ingest against a minimal read-split-write baseline, same run.

The "ingest" data set of docs/benchmarks.md: N stations x 1 day of real data files,
one file per station per 5-minute cycle (288 a day), 6 to 8 lines each, written
into an inbox laid out as the receivers leave it (``inbox/<account>/<file>``).
A few files carry what real dataloggers send (rates are options): an invalid line,
the previous cycle's lines sent again (repeats), a rewritten earlier reading
(a conflict), an exact copy under another name (a duplicate).

Per repetition, each on a fresh database and a fresh copy of the inbox, each in a
child process of its own (its peak memory is its own):

* **baseline**: a minimal script reads the same files, splits their lines and
  writes typed rows (station id, name, time, value, status) into a bare table:
  one binary COPY on PostgreSQL, one ``sqlite3.executemany`` on SQLite, one commit;
* **full**: ``flask telemetry ingest <inbox> --json`` in the app (inbox semantics:
  hashing, duplicates, validation, repeats and conflicts, readings, rollups,
  line errors, hard-linking into the content-addressed archive, files leaving the
  inbox after each batch's commit), its report checked against the generator's
  expected counts.

Times are the work alone (connection included; interpreter start and the app's
imports excluded, they are the same whatever the number of files). The result is
the median of each, their ratio (goal <= 3), and the peak resident memory of each
run, for two file counts (memory must not grow with the number of files).

    .venv/bin/python bench/ingest.py --stations 20 --db postgresql --repeat 5
    .venv/bin/python bench/ingest.py --stations 20 --db sqlite --repeat 5

PostgreSQL: databases are created (from a migrated template) and dropped on the
server of ``BENCH_PG_ADMIN_URL`` (default postgresql://postgres@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402  (the bench folder is not a package)
    ROOT,
    create_pg_database,
    drop_pg_database,
    emit,
    machine,
    make_app,
    median,
    migrate,
    new_database_name,
    pg_url,
    process_cpu,
    python_command,
    run_child,
    table,
    write_json,
)
from dataset import StationSpec, create_stations, station_specs  # noqa: E402

SCRIPT = str(Path(__file__).resolve())
CYCLES = 288


def _local_tz():
    from datetime import timezone

    return timezone(timedelta(hours=7))


# --------------------------------------------------------------------------- data set


@dataclass
class Expected:
    """What the full ingest must report for the generated inbox (the contract's counts)."""

    files: int = 0
    accepted: int = 0
    accepted_with_errors: int = 0
    duplicates: int = 0
    quarantined: int = 0
    readings: int = 0
    line_errors: int = 0
    conflicts: int = 0
    lines: int = 0
    bytes: int = 0


def _value(rng: random.Random, typical: float, spread: float) -> float:
    return max(0.0, rng.gauss(typical, spread / 2))


def _line(name: str, value: str, unit: str, stamp: str, status: str) -> str:
    return f"{name}\t{value}\t{unit}\t{stamp}\t{status}\r\n"


def generate(
    folder: Path,
    specs: list[StationSpec],
    day: date,
    *,
    seed: int = 2026,
    invalid_rate: float = 0.005,
    resend_rate: float = 0.01,
    conflict_rate: float = 0.001,
    duplicate_rate: float = 0.002,
) -> Expected:
    """Write one day of files of each station under ``folder/<account>/``; return the expected counts."""
    rng = random.Random(seed)
    local = _local_tz()
    expected = Expected()
    midnight = datetime(day.year, day.month, day.day, tzinfo=local)
    for spec in specs:
        account = folder / f"ftp-{spec.facility_code.lower()}"
        account.mkdir(parents=True, exist_ok=True)
        comma = spec.index % 10 == 7  # a datalogger writing decimal commas
        previous: list[str] = []
        for cycle in range(CYCLES):
            moment = midnight + timedelta(minutes=5 * cycle)
            stamp = moment.strftime("%Y%m%d%H%M%S")
            lines = []
            for _code, name, unit, typical, spread in spec.parameters:
                draw = rng.random()
                status = "00" if draw > 0.006 else ("01" if draw > 0.001 else "02")
                text = f"{_value(rng, typical, spread):.2f}"
                lines.append(_line(name, text.replace(".", ",") if comma else text, unit, stamp, status))
            own = list(lines)
            anomaly = rng.random()
            body = lines
            kind = "plain"
            if cycle and anomaly < resend_rate:
                body = previous + lines  # the buffer sent again: repeats
                kind = "resend"
            elif cycle and anomaly < resend_rate + conflict_rate:
                name, _value_text, unit, old_stamp, status = previous[2].rstrip("\r\n").split("\t")
                body = lines + [_line(name, "99.99", unit, old_stamp, status)]  # a rewritten reading
                kind = "conflict"
            elif anomaly < resend_rate + conflict_rate + invalid_rate:
                body = lines + [_line("XYZ", "1.00", "mg/L", stamp, "00")]  # unknown parameter
                kind = "invalid"
            elif anomaly < resend_rate + conflict_rate + invalid_rate + duplicate_rate:
                kind = "duplicate"
            data = "".join(body).encode()
            path = account / f"HG_{spec.facility_code}_{spec.code}_{stamp}.txt"
            path.write_bytes(data)
            expected.files += 1
            expected.lines += len(body)
            expected.bytes += len(data)
            expected.readings += len(own)
            if kind == "invalid":
                expected.accepted_with_errors += 1
                expected.line_errors += 1
            else:
                expected.accepted += 1
            if kind == "conflict":
                expected.conflicts += 1
            if kind == "duplicate":
                copy = (
                    account
                    / f"HG_{spec.facility_code}_{spec.code}_{(moment + timedelta(seconds=1)):%Y%m%d%H%M%S}.txt"
                )
                copy.write_bytes(data)
                expected.files += 1
                expected.duplicates += 1
                expected.lines += len(body)
                expected.bytes += len(data)
            previous = own
    return expected


def copy_inbox(source: Path, target: Path) -> None:
    """Copy the generated files into a fresh inbox (each run consumes its inbox)."""
    shutil.copytree(source, target, copy_function=shutil.copyfile)


# --------------------------------------------------------------------------- children


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def child_setup(args: argparse.Namespace) -> None:
    """Build a template database: the migrations, the stations, partitions, and any history."""
    import sqlalchemy as sa

    from app.db import commit
    from app.extensions import db
    from app.telemetry import partitions

    day = date.fromisoformat(args.day)
    first = day - timedelta(days=args.history_days)
    app = make_app(args.url, Path(args.instance))
    migrate(app)
    with app.app_context():
        specs = station_specs(args.stations)
        ids = create_stations(specs, first)
        Path(args.ids).write_text(json.dumps(ids))
        months = (day.year - first.year) * 12 + day.month - first.month
        partitions.create_partitions(today=first, months_ahead=months + 1)
        commit()
        if args.history_days:
            write_history(specs, ids, first, day)
        db.session.execute(sa.text("ANALYZE"))
        commit()
        db.session.remove()
        db.engine.dispose()
    emit({"ok": True})


def write_history(specs: list[StationSpec], ids: dict[str, int], first: date, day: date) -> None:
    """Store every reading of the days before ``day`` straight into the tables, with their rollups.

    The ingest then runs against tables already holding weeks of data, as it does in
    service (its lookups must not slow down as the tables fill).
    """
    from decimal import Decimal

    import sqlalchemy as sa

    from app.db import commit
    from app.extensions import db
    from app.stations.models import Station
    from app.telemetry import rollups, storage

    local = _local_tz()
    value = Decimal("12.340000")
    current = first
    while current < day:
        midnight = datetime(current.year, current.month, current.day, tzinfo=local)
        rows, totals = [], []
        for spec in specs:
            station_id = ids[spec.code]
            for cycle in range(CYCLES):
                measured = midnight + timedelta(minutes=5 * cycle)
                at = measured.astimezone(UTC)
                received = at + timedelta(minutes=1)
                for code in spec.codes:
                    rows.append(storage.ReadingRow(station_id, code, at, value, 0, 0, received))
                    totals.append((station_id, code, measured, value, 0))
        storage.insert_readings(rows)
        rollups.write_totals(rollups.day_totals(totals))
        commit()
        current += timedelta(days=1)
    last = datetime(day.year, day.month, day.day, tzinfo=local) - timedelta(minutes=5)
    moment = last.astimezone(UTC)
    db.session.execute(sa.update(Station).values(last_reading_at=moment, last_file_at=moment))
    commit()


def _walk(inbox: Path):
    for folder, dirnames, filenames in os.walk(inbox):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(".txt") and not name.startswith("."):
                yield os.path.join(folder, name), name


def child_baseline(args: argparse.Namespace) -> None:
    """The minimal script: read the files, split lines, write typed rows into a bare table."""
    from decimal import Decimal

    local = _local_tz()
    ids = json.loads(Path(args.ids).read_text())
    inbox = Path(args.inbox)
    rss_before = _rss_mb()
    rows = 0

    def parsed():
        nonlocal rows
        for path, name in _walk(inbox):
            with open(path, "rb") as handle:
                data = handle.read()
            station_id = ids[name[:-4].split("_")[-2]]
            for raw in data.split(b"\n"):
                line = raw.rstrip(b"\r").strip()
                if not line:
                    continue
                fields = line.decode().split("\t")
                if len(fields) != 5:
                    continue
                parameter, value, _unit, stamp, status = fields
                measured_at = datetime(
                    int(stamp[0:4]),
                    int(stamp[4:6]),
                    int(stamp[6:8]),
                    int(stamp[8:10]),
                    int(stamp[10:12]),
                    int(stamp[12:14]),
                    tzinfo=local,
                )
                rows += 1
                yield station_id, parameter, measured_at, value.replace(",", "."), int(status)

    if args.url.startswith("sqlite"):
        import sqlite3

        path = args.url.removeprefix("sqlite:///")
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode=WAL")  # as the app's connections
        conn.execute(
            "CREATE TABLE bench_readings (station_id INTEGER NOT NULL, parameter TEXT NOT NULL,"
            " measured_at TEXT NOT NULL, value REAL NOT NULL, status INTEGER NOT NULL)"
        )
        conn.commit()
        started, cpu = time.perf_counter(), process_cpu()
        conn.executemany(
            "INSERT INTO bench_readings VALUES (?, ?, ?, ?, ?)",
            (
                (s, p, m.astimezone(UTC).replace(tzinfo=None).isoformat(" "), float(v), st)
                for s, p, m, v, st in parsed()
            ),
        )
        conn.commit()
        elapsed, cpu = time.perf_counter() - started, process_cpu() - cpu
        server_cpu = 0.0
        stored = conn.execute("SELECT count(*) FROM bench_readings").fetchone()[0]
        conn.close()
    else:
        import psycopg

        url = args.url
        with psycopg.connect(url) as conn:
            conn.execute(
                "CREATE TABLE bench_readings (station_id int4 NOT NULL, parameter text NOT NULL,"
                " measured_at timestamptz NOT NULL, value numeric NOT NULL, status int2 NOT NULL)"
            )
            conn.commit()
        started, cpu = time.perf_counter(), process_cpu()
        with psycopg.connect(url) as conn:
            backend = conn.info.backend_pid
            server_cpu = process_cpu(backend)
            with conn.cursor() as cursor:
                with cursor.copy("COPY bench_readings FROM STDIN (FORMAT BINARY)") as copy:
                    copy.set_types(["int4", "text", "timestamptz", "numeric", "int2"])
                    for s, p, m, v, st in parsed():
                        copy.write_row((s, p, m, Decimal(v), st))
            conn.commit()
            after = process_cpu(backend)
        elapsed, cpu = time.perf_counter() - started, process_cpu() - cpu
        server_cpu = None if after is None or server_cpu is None else after - server_cpu
        with psycopg.connect(url) as conn:
            stored = conn.execute("SELECT count(*) FROM bench_readings").fetchone()[0]
    emit(
        {
            "seconds": elapsed,
            "cpu_s": cpu,
            "server_cpu_s": server_cpu,
            "rows": rows,
            "stored": stored,
            "rss_before_mb": rss_before,
        }
    )


SIZED_TABLES = ("readings", "day_rollups", "data_files", "line_errors", "reading_conflicts")


def table_sizes() -> dict[str, dict[str, int | None]]:
    """Return each telemetry table's rows and bytes on disk with its indexes (partitions summed)."""
    import sqlalchemy as sa

    from app.extensions import db

    sizes = {}
    postgresql = db.engine.dialect.name == "postgresql"
    for name in SIZED_TABLES:
        rows = db.session.scalar(sa.text(f"SELECT count(*) FROM {name}"))
        if postgresql:
            size = db.session.scalar(
                sa.text(
                    "SELECT coalesce((SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree(:name)),"
                    " pg_total_relation_size(:name))"
                ),
                {"name": name},
            )
        else:
            try:
                size = db.session.scalar(
                    sa.text(
                        "SELECT sum(pgsize) FROM dbstat"
                        " WHERE name IN (SELECT name FROM sqlite_master WHERE tbl_name = :name)"
                    ),
                    {"name": name},
                )
            except sa.exc.OperationalError:  # SQLite built without the dbstat table
                db.session.rollback()
                size = None
        sizes[name] = {"rows": rows, "bytes": None if size is None else int(size)}
    return sizes


def _backend_pid(app) -> int | None:
    """Return the PostgreSQL backend of the app's pooled connection (None on SQLite, 0 unknown)."""
    from app.extensions import db

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return None
        pid = db.session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
        db.session.remove()
        return pid or 0


def child_full(args: argparse.Namespace) -> None:
    """The full ingest: ``flask telemetry ingest <inbox> --json`` on the app, inbox semantics."""
    inbox = Path(args.inbox)
    app = make_app(args.url, Path(args.instance), TELEMETRY_INBOX=str(inbox))
    runner = app.test_cli_runner()
    command = ["telemetry", "ingest", str(inbox), "--json"]
    if args.chunk_files:
        command += ["--chunk-files", str(args.chunk_files)]
    backend = _backend_pid(app)
    server_cpu = process_cpu(backend) if backend else None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    rss_before = _rss_mb()
    started, cpu = time.perf_counter(), process_cpu()
    result = runner.invoke(args=command)
    elapsed, cpu = time.perf_counter() - started, process_cpu() - cpu
    if backend:
        after = process_cpu(backend)
        same = _backend_pid(app) == backend  # the pooled connection the ingest used
        server_cpu = after - server_cpu if same and after is not None and server_cpu is not None else None
    elif backend is None:
        server_cpu = 0.0
    if args.profile:
        profiler.disable()
        profiler.dump_stats(args.profile)
    if result.exit_code != 0:
        raise SystemExit(f"ingest failed: {result.output} {result.stderr}")
    report = json.loads(result.stdout)
    left = sum(1 for _ in _walk(inbox))
    archived = sum(1 for _folder, _dirs, names in os.walk(Path(args.instance) / "archive") for _ in names)
    with app.app_context():
        from app.extensions import db

        sizes = table_sizes() if args.sizes else None
        db.session.remove()
        db.engine.dispose()
    emit(
        {
            "sizes": sizes,
            "seconds": elapsed,
            "cpu_s": cpu,
            "server_cpu_s": server_cpu,
            "report": report,
            "left_in_inbox": left,
            "archived": archived,
            "rss_before_mb": rss_before,
        }
    )


# --------------------------------------------------------------------------- the run


class Database:
    """Fresh databases for the runs: a migrated template copied per run."""

    def __init__(
        self, kind: str, work: Path, stations: int, day: date, ids: Path, history_days: int = 0
    ) -> None:
        self.kind = kind
        self.work = work
        self.created: list[str] = []
        instance = work / f"template-instance-{stations}"
        if kind == "postgresql":
            self.template = new_database_name("qt_bench_tpl")
            create_pg_database(self.template)
            self.created.append(self.template)
            url = pg_url(self.template)
        else:
            self.template = str(work / f"template-{stations}.sqlite3")
            url = f"sqlite:///{self.template}"
        run_child(
            [SCRIPT, "child-setup", "--url", url, "--instance", str(instance)]
            + ["--stations", str(stations), "--day", day.isoformat(), "--ids", str(ids)]
            + ["--history-days", str(history_days)]
        )

    def fresh(self, label: str, *, bare: bool = False) -> str:
        """Return the URL of a fresh database: a copy of the template, or empty when ``bare``."""
        if self.kind == "postgresql":
            name = new_database_name(f"qt_bench_{label}")
            create_pg_database(name, None if bare else self.template)
            self.created.append(name)
            return pg_url(name)
        path = self.work / f"{label}-{len(self.created)}.sqlite3"
        self.created.append(str(path))
        if not bare:
            shutil.copyfile(self.template, path)
            if Path(f"{self.template}-wal").exists():  # SQLite folds it in when it opens the copy
                shutil.copyfile(f"{self.template}-wal", f"{path}-wal")
        return f"sqlite:///{path}"

    def release(self, url: str) -> None:
        """Drop a run's database."""
        if self.kind == "postgresql":
            name = url.rsplit("/", 1)[-1]
            drop_pg_database(name)
            self.created.remove(name)
        else:
            path = url.removeprefix("sqlite:///")
            for suffix in ("", "-wal", "-shm"):
                Path(path + suffix).unlink(missing_ok=True)

    def close(self) -> None:
        """Drop whatever is left (the template)."""
        if self.kind == "postgresql":
            for name in list(self.created):
                drop_pg_database(name)
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(self.template + suffix).unlink(missing_ok=True)
        self.created.clear()


def bench_size(args: argparse.Namespace, stations: int, repeat: int, work: Path) -> dict:
    """Generate the data set of ``stations``, run baseline and full ``repeat`` times each."""
    day = date.fromisoformat(args.day)
    specs = station_specs(stations)
    data = work / f"data-{stations}"
    started = time.perf_counter()
    expected = generate(
        data,
        specs,
        day,
        invalid_rate=args.invalid_rate,
        resend_rate=args.resend_rate,
        conflict_rate=args.conflict_rate,
        duplicate_rate=args.duplicate_rate,
    )
    print(
        f"[{stations} stations] generated {expected.files} files, {expected.lines} lines,"
        f" {expected.bytes / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    ids = work / f"ids-{stations}.json"
    started = time.perf_counter()
    database = Database(args.db, work, stations, day, ids, args.history_days)
    if args.history_days:
        print(
            f"[{stations} stations] template with {args.history_days} days of history built in"
            f" {time.perf_counter() - started:.1f} s",
            flush=True,
        )
    runs: dict[str, list[dict]] = {"baseline": [], "full": []}
    try:
        for number in range(repeat):
            order = ("baseline", "full") if number % 2 == 0 else ("full", "baseline")
            for kind in order:
                inbox = work / f"inbox-{kind}-{number}"
                instance = work / f"instance-{kind}-{number}"
                copy_inbox(data, inbox)
                url = database.fresh(kind, bare=kind == "baseline")
                try:
                    if kind == "baseline":
                        result = run_child(
                            [SCRIPT, "child-baseline", "--url", url, "--inbox", str(inbox), "--ids", str(ids)]
                        )
                        if result["stored"] != expected.lines:
                            raise RuntimeError(
                                f"baseline stored {result['stored']} of {expected.lines} lines"
                            )
                    else:
                        command = [SCRIPT, "child-full", "--url", url, "--inbox", str(inbox)]
                        command += ["--instance", str(instance)]
                        if args.chunk_files:
                            command += ["--chunk-files", str(args.chunk_files)]
                        if number == 0:
                            command += ["--sizes"]
                        if args.profile and number == 0:
                            command += ["--profile", str(Path(args.profile).with_suffix(f".{stations}.prof"))]
                        result = run_child(command)
                        check(result, expected)
                finally:
                    database.release(url)
                    shutil.rmtree(inbox, ignore_errors=True)
                    shutil.rmtree(instance, ignore_errors=True)
                runs[kind].append(result)
                print(
                    f"[{stations} stations] {kind:<8} run {number + 1}: {result['seconds']:.3f} s,"
                    f" peak {result['max_rss_mb']} MB",
                    flush=True,
                )
    finally:
        database.close()
        shutil.rmtree(data, ignore_errors=True)
    baseline = median([run["seconds"] for run in runs["baseline"]])
    full = median([run["seconds"] for run in runs["full"]])

    def cpu(kind: str) -> float | None:
        totals = [
            run["cpu_s"] + run["server_cpu_s"] for run in runs[kind] if run.get("server_cpu_s") is not None
        ]
        return round(median(totals), 4) if len(totals) == len(runs[kind]) else None

    baseline_cpu, full_cpu = cpu("baseline"), cpu("full")
    return {
        "stations": stations,
        "files": expected.files,
        "lines": expected.lines,
        "megabytes": round(expected.bytes / 1e6, 2),
        "expected": asdict(expected),
        "repeat": repeat,
        "baseline_s": [round(run["seconds"], 4) for run in runs["baseline"]],
        "full_s": [round(run["seconds"], 4) for run in runs["full"]],
        "baseline_median_s": round(baseline, 4),
        "full_median_s": round(full, 4),
        "ratio": round(full / baseline, 3),
        "ratio_per_repetition": [
            round(f["seconds"] / b["seconds"], 3) for b, f in zip(runs["baseline"], runs["full"], strict=True)
        ],
        "full_lines_per_s": round(expected.lines / full),
        # CPU seconds of the client and of the PostgreSQL backend (less sensitive to a busy machine).
        "baseline_cpu_median_s": baseline_cpu,
        "full_cpu_median_s": full_cpu,
        "cpu_ratio": round(full_cpu / baseline_cpu, 3) if full_cpu and baseline_cpu else None,
        "full_client_cpu_median_s": round(median([run["cpu_s"] for run in runs["full"]]), 4),
        "full_server_cpu_median_s": (
            round(median([run["server_cpu_s"] for run in runs["full"]]), 4)
            if all(run.get("server_cpu_s") is not None for run in runs["full"])
            else None
        ),
        "baseline_peak_rss_mb": max(run["max_rss_mb"] for run in runs["baseline"]),
        "full_peak_rss_mb": max(run["max_rss_mb"] for run in runs["full"]),
        "full_rss_before_mb": max(run["rss_before_mb"] for run in runs["full"]),
        # Rows and bytes (with indexes) of the telemetry tables after the first full run.
        "table_sizes": runs["full"][0].get("sizes"),
        "baseline_rss_before_mb": max(run["rss_before_mb"] for run in runs["baseline"]),
    }


def check(result: dict, expected: Expected) -> None:
    """Fail when the full ingest's report or inbox semantics differ from the generated data set."""
    report = result["report"]
    for key, value in report.items():
        if getattr(expected, key) != value:
            raise RuntimeError(f"full ingest reported {key}={value}, expected {getattr(expected, key)}")
    if result["left_in_inbox"]:
        raise RuntimeError(f"{result['left_in_inbox']} files left in the inbox")
    unique = expected.files - expected.duplicates
    if result["archived"] != unique:
        raise RuntimeError(f"{result['archived']} files archived, expected {unique}")


def main(argv: list[str]) -> None:
    """Run the benchmark and print its table; write its JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stations", type=int, default=20, help="stations of the timed data set")
    parser.add_argument(
        "--memory-stations",
        type=int,
        default=None,
        help="stations of the second data set (peak memory at another file count; default 4x, 0: none)",
    )
    parser.add_argument("--db", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--memory-repeat", type=int, default=1, help="repetitions of the second data set")
    parser.add_argument("--day", default=None, help="the data's local day (default: yesterday)")
    parser.add_argument("--chunk-files", type=int, default=0, help="files per batch (default: the CLI's)")
    parser.add_argument(
        "--history-days",
        type=int,
        default=0,
        help="days of readings and rollups stored before the ingested day (not timed)",
    )
    parser.add_argument("--invalid-rate", type=float, default=0.005)
    parser.add_argument("--resend-rate", type=float, default=0.01)
    parser.add_argument("--conflict-rate", type=float, default=0.001)
    parser.add_argument("--duplicate-rate", type=float, default=0.002)
    parser.add_argument("--profile", default=None, help="write a cProfile of the first full run to PATH")
    parser.add_argument("--json", default=None, help="where to write the results (default bench/results/)")
    parser.add_argument("--workdir", default=None, help="temporary folder (default: the system's)")
    args = parser.parse_args(argv)
    if args.day is None:
        args.day = (datetime.now(_local_tz()).date() - timedelta(days=1)).isoformat()
    memory_stations = args.stations * 4 if args.memory_stations is None else args.memory_stations
    info = machine()
    sizes = [(args.stations, args.repeat)]
    if memory_stations:
        sizes.append((memory_stations, args.memory_repeat))
    results = []
    with tempfile.TemporaryDirectory(prefix="qt-bench-ingest-", dir=args.workdir) as folder:
        for stations, repeat in sizes:
            results.append(bench_size(args, stations, repeat, Path(folder)))
    command = f"{python_command()} bench/ingest.py " + " ".join(argv)
    rows = [
        [
            r["stations"],
            r["files"],
            r["lines"],
            r["repeat"],
            r["baseline_median_s"],
            r["full_median_s"],
            f"{r['ratio']:.2f}x",
            r["baseline_cpu_median_s"],
            r["full_cpu_median_s"],
            f"{r['cpu_ratio']:.2f}x" if r["cpu_ratio"] else "-",
            r["baseline_peak_rss_mb"],
            r["full_peak_rss_mb"],
            f"{r['full_peak_rss_mb'] - r['full_rss_before_mb']:.1f}",
        ]
        for r in results
    ]
    headers = [
        "stations",
        "files",
        "lines",
        "runs",
        "baseline s (median)",
        "full s (median)",
        "ratio",
        "baseline CPU s",
        "full CPU s",
        "CPU ratio",
        "baseline peak MB",
        "full peak MB",
        "full growth MB",
    ]
    print()
    print(f"{args.db}: {command}")
    print(
        f"{info['date_utc']}, {info['cpus']} CPUs, Python {info['python']}, SQLite {info['sqlite']},"
        f" PostgreSQL {info.get('postgresql')}"
    )
    print(table(headers, rows))
    main_result = results[0]
    verdict = "met" if main_result["ratio"] <= 3 else "NOT met"
    print(f"goal: full <= 3x baseline: {verdict} ({main_result['ratio']:.2f}x)")
    if len(results) > 1:
        growth = results[1]["full_peak_rss_mb"] - results[0]["full_peak_rss_mb"]
        print(f"peak memory at {results[1]['files']} files vs {results[0]['files']} files: {growth:+.1f} MB")
    output = args.json or str(ROOT / "bench" / "results" / f"ingest-{args.db}.json")
    write_json(
        output,
        {"benchmark": "ingest", "command": command, "machine": info, "args": vars(args), "results": results},
    )
    print(f"written: {output}")


def child_main(argv: list[str]) -> None:
    """Entry of the child processes (not for direct use)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("child-setup", "child-baseline", "child-full"))
    parser.add_argument("--url", required=True)
    parser.add_argument("--instance")
    parser.add_argument("--inbox")
    parser.add_argument("--ids")
    parser.add_argument("--stations", type=int)
    parser.add_argument("--day")
    parser.add_argument("--chunk-files", type=int, default=0)
    parser.add_argument("--profile")
    parser.add_argument("--history-days", type=int, default=0)
    parser.add_argument("--sizes", action="store_true")
    args = parser.parse_args(argv)
    {"child-setup": child_setup, "child-baseline": child_baseline, "child-full": child_full}[args.mode](args)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].startswith("child-"):
        child_main(sys.argv[1:])
    else:
        main(sys.argv[1:])
