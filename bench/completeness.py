"""Completeness figures on the province set and on a national-sized set of rollups, same run.

Figures read ``day_rollups`` only (metrics.md: never raw readings), so the sets are
generated straight into that table, without readings or files:

* **province**: 200 stations x 30 days (September 2026);
* **national**: 2,500 stations at 2,000 facilities x 92 days (July to September
  2026): about 2.0 M rollup rows. The full national set (90 days of ~400 M
  readings) is not generated: completeness does not read readings, and the
  rollups it does read are generated at national size.

Each station registers 6-8 parameters and has a rollup per parameter and day plus
its "any reading" row. Days follow a pool of realistic day patterns: mostly full
days with calibration slots (received, not valid), some outages of an hour to a
day, some nearly empty days; 5% of stations have an approved maintenance window.
Rows are written with binary COPY on PostgreSQL (then ``VACUUM ANALYZE``, as autovacuum
would), ``executemany`` on SQLite (then ``ANALYZE``).

Timed, for September on each set, each in a child process of its own:

* ``figures.station_completeness`` of one station-month (the CLI's and a station
  page's call), for a sample of stations, median; goal <= 50 ms on the national
  set and national/province <= 1.2 (one station both times);
* ``figures.stations_completeness`` of all stations' month (a province-wide table,
  the monthly report), median of repetitions; goal <= 1 s on the national set and
  national/province <= 1.2 x the station-count ratio (2,500 / 200 = 12.5, so 15).

    .venv/bin/python bench/completeness.py --db postgresql --repeat 5
    .venv/bin/python bench/completeness.py --db sqlite --repeat 5

PostgreSQL databases are created and dropped on the server of ``BENCH_PG_ADMIN_URL``
(default postgresql://postgres@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
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
    median,
    migrate,
    new_database_name,
    pg_url,
    python_command,
    run_child,
    table,
    write_json,
)
from dataset import create_stations, station_specs  # noqa: E402

SCRIPT = str(Path(__file__).resolve())
SETS = {"province": (200, date(2026, 9, 1)), "national": (2500, date(2026, 7, 1))}
MONTH = (date(2026, 9, 1), date(2026, 9, 30))
LAST_DAY = date(2026, 9, 30)
FULL = (1 << 288) - 1


# --------------------------------------------------------------------------- data


def _span(first: int, stop: int) -> int:
    return ((1 << (stop - first)) - 1) << first


def day_patterns(rng: random.Random, count: int = 64) -> list[tuple[int, int]]:
    """Return (received, valid) day bitmaps: full days, outages, calibrations, nearly empty days."""
    patterns = []
    for number in range(count):
        received = FULL
        draw = number / count
        if draw >= 0.75:  # an outage of an hour to most of a day
            start = rng.randrange(0, 276)
            received &= ~_span(start, min(288, start + rng.randrange(12, 250)))
        elif draw >= 0.65:  # a few lost files
            for _ in range(rng.randrange(1, 6)):
                received &= ~(1 << rng.randrange(288))
        if number == count - 1:
            received = _span(0, 30)  # a day the station went silent early
        calibration = _span(start := rng.randrange(0, 282), start + rng.randrange(3, 7)) if draw < 0.5 else 0
        patterns.append((received, received & ~calibration))
    return patterns


class RowMaker:
    """Rollup rows from the pattern pool, their JSON hour sums and counts computed once per pattern."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.patterns = day_patterns(self.rng)
        self.weights = [30 if number < 40 else 1 for number in range(len(self.patterns))]
        self.counts = [self._counts(valid) for _received, valid in self.patterns]
        self.sums: dict[tuple[int, float], str] = {}
        self.bytes = [(r.to_bytes(36, "little"), v.to_bytes(36, "little")) for r, v in self.patterns]

    @staticmethod
    def _counts(valid: int) -> list[int]:
        return [(valid >> (12 * hour) & 0xFFF).bit_count() for hour in range(24)]

    def _sums(self, pattern: int, typical: float) -> str:
        key = (pattern, typical)
        if key not in self.sums:
            self.sums[key] = json.dumps([round(count * typical, 6) for count in self.counts[pattern]])
        return self.sums[key]

    def rows(self, station_id: int, parameters, first: date, last: date):
        """Yield (station_id, parameter, day, received, valid, hour_sums, hour_counts) rows."""
        day = first
        choices = range(len(self.patterns))
        while day <= last:
            pattern = self.rng.choices(choices, self.weights)[0]
            received, valid = self.bytes[pattern]
            counts = json.dumps(self.counts[pattern])
            for code, _name, _unit, typical, _spread in parameters:
                yield station_id, code, day, received, valid, self._sums(pattern, typical), counts
            yield station_id, "*", day, received, received, "null", "null"
            day += timedelta(days=1)


def child_setup(args: argparse.Namespace) -> None:
    """Build one set: the schema, stations, a few approved windows, the rollups."""
    import sqlalchemy as sa

    from app.db import commit
    from app.extensions import db
    from app.stations.models import ExcuseWindow
    from app.telemetry.slots import day_start

    stations, first = SETS[args.set]
    app = make_app(args.url, Path(args.instance))
    migrate(app)
    started = time.perf_counter()
    specs = station_specs(stations)
    rows = 0
    with app.app_context():
        ids = create_stations(specs, first)
        rng = random.Random(7)
        for spec in specs[::20]:
            start = day_start(MONTH[0] + timedelta(days=rng.randrange(25))) + timedelta(hours=8)
            db.session.add(
                ExcuseWindow(
                    station_id=ids[spec.code],
                    kind="maintenance",
                    status="approved",
                    starts_at=start,
                    expected_end_at=start + timedelta(hours=6),
                    ends_at=start + timedelta(hours=5),
                    reason="bảo trì định kỳ",
                )
            )
        commit()
        maker = RowMaker(seed=stations)

        def all_rows():
            for spec in specs:
                yield from maker.rows(ids[spec.code], spec.parameters, first, LAST_DAY)

        connection = db.session.connection().connection.driver_connection
        if db.engine.dialect.name == "postgresql":
            columns = "station_id, parameter, day, received, valid, hour_sums, hour_counts"
            with connection.cursor() as cursor:
                with cursor.copy(f"COPY day_rollups ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
                    # json's binary form is its text: the JSON is written as prepared text.
                    copy.set_types(["int4", "text", "date", "bytea", "bytea", "text", "text"])
                    for row in all_rows():
                        copy.write_row(row)
                        rows += 1
        else:

            def stored():
                nonlocal rows
                for station_id, parameter, day, received, valid, sums, counts in all_rows():
                    rows += 1
                    yield station_id, parameter, day.isoformat(), received, valid, sums, counts

            connection.executemany(
                "INSERT INTO day_rollups (station_id, parameter, day, received, valid, hour_sums, hour_counts)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                stored(),
            )
        commit()
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does to a table after bulk inserts: statistics, and the
            # visibility map that lets the figures read the rollups from the index alone.
            db.session.remove()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE day_rollups")
        db.session.execute(sa.text("ANALYZE"))
        commit()
        size = table_bytes("day_rollups")
        db.session.remove()
        db.engine.dispose()
    emit({"rows": rows, "stations": stations, "seconds": time.perf_counter() - started, "bytes": size})


def table_bytes(name: str) -> int | None:
    """Return a table's size on disk with its indexes (None when the database cannot tell)."""
    import sqlalchemy as sa

    from app.extensions import db

    if db.engine.dialect.name == "postgresql":
        return db.session.scalar(sa.text("SELECT pg_total_relation_size(:name)"), {"name": name})
    try:
        return db.session.scalar(
            sa.text(
                "SELECT sum(pgsize) FROM dbstat WHERE name IN (SELECT name FROM sqlite_master WHERE tbl_name = :name)"
            ),
            {"name": name},
        )
    except sa.exc.OperationalError:  # SQLite built without the dbstat table
        db.session.rollback()
        return None


def child_time(args: argparse.Namespace) -> None:
    """Time one station-month for a sample of stations, then all stations' month, repeatedly."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.stations.models import Station
    from app.telemetry import figures
    from app.telemetry.slots import day_start

    app = make_app(args.url, Path(args.instance))
    first, last = MONTH
    as_of = day_start(last + timedelta(days=1))
    result: dict = {}
    with app.app_context():
        codes = list(db.session.scalars(sa.select(Station.code).order_by(Station.id)))
        sample = random.Random(11).sample(codes, min(args.sample, len(codes)))
        # Warm-up: the first query of a process pays for the connection and compilation.
        warm = db.session.scalar(sa.select(Station).where(Station.code_key == sample[0].lower()))
        figures.station_completeness(warm, first, last, as_of)
        singles = []
        for code in sample:
            started = time.perf_counter()
            station = db.session.scalar(sa.select(Station).where(Station.code_key == code.lower()))
            loaded = time.perf_counter()
            figures_ = figures.station_completeness(station, first, last, as_of)
            done = time.perf_counter()
            singles.append((loaded - started, done - loaded, done - started))
            assert figures_["expected_slots"] == 30 * 288
        db.session.expunge_all()
        alls = []
        for _ in range(args.repeat):
            db.session.expunge_all()
            started = time.perf_counter()
            stations = list(db.session.scalars(sa.select(Station).order_by(Station.id)))
            loaded = time.perf_counter()
            values = figures.stations_completeness(stations, first, last, as_of)
            done = time.perf_counter()
            alls.append((loaded - started, done - loaded, done - started))
            assert len(values) == len(codes)
        rates = [item["effective_rate"] for item in values.values() if item["effective_rate"] is not None]
        result = {
            "stations": len(codes),
            "sample": len(sample),
            "one_station_figures_s": [round(item[1], 5) for item in singles],
            "one_station_median_s": median([item[1] for item in singles]),
            "one_station_with_load_median_s": median([item[2] for item in singles]),
            "one_station_max_s": max(item[1] for item in singles),
            "all_stations_figures_s": [round(item[1], 4) for item in alls],
            "all_stations_median_s": median([item[1] for item in alls]),
            "all_stations_load_median_s": median([item[0] for item in alls]),
            "all_stations_with_load_median_s": median([item[2] for item in alls]),
            "mean_effective_rate": sum(rates) / len(rates) if rates else None,
        }
        db.session.remove()
        db.engine.dispose()
    emit(result)


# --------------------------------------------------------------------------- the run


def run_db(kind: str, args: argparse.Namespace, work: Path) -> dict:
    """Build both sets on one kind of database and time them; drop them after."""
    results: dict = {}
    urls: dict[str, str] = {}
    names: list[str] = []
    try:
        for name in SETS:
            if kind == "postgresql":
                database = new_database_name(f"qt_bench_{name}")
                create_pg_database(database)
                names.append(database)
                urls[name] = pg_url(database)
            else:
                urls[name] = f"sqlite:///{work / f'{name}.sqlite3'}"
            built = run_child(
                [SCRIPT, "child-setup", "--set", name, "--url", urls[name], "--instance", str(work / name)]
            )
            print(
                f"[{kind}] {name}: {built['stations']} stations, {built['rows']} rollup rows"
                f" written in {built['seconds']:.1f} s",
                flush=True,
            )
            results[name] = {
                "rows": built["rows"],
                "build_s": round(built["seconds"], 1),
                "table_bytes": built["bytes"],
                "bytes_per_row": round(built["bytes"] / built["rows"], 1) if built["bytes"] else None,
            }
        runs: dict[str, list[dict]] = {name: [] for name in SETS}
        for number in range(args.rounds):
            order = list(SETS) if number % 2 == 0 else list(reversed(SETS))
            for name in order:
                timed = run_child(
                    [SCRIPT, "child-time", "--url", urls[name], "--instance", str(work / name)]
                    + ["--repeat", str(args.repeat), "--sample", str(args.sample)]
                )
                runs[name].append(timed)
                print(
                    f"[{kind}] {name} round {number + 1}: one station-month"
                    f" {timed['one_station_median_s'] * 1000:.1f} ms, all stations"
                    f" {timed['all_stations_median_s']:.3f} s",
                    flush=True,
                )
        for name in SETS:
            items = runs[name]
            results[name].update(
                {
                    "stations": items[0]["stations"],
                    "one_station_median_s": median([item["one_station_median_s"] for item in items]),
                    "one_station_with_load_median_s": median(
                        [item["one_station_with_load_median_s"] for item in items]
                    ),
                    "one_station_max_s": max(item["one_station_max_s"] for item in items),
                    "all_stations_median_s": median([item["all_stations_median_s"] for item in items]),
                    "all_stations_load_median_s": median(
                        [item["all_stations_load_median_s"] for item in items]
                    ),
                    "all_stations_with_load_median_s": median(
                        [item["all_stations_with_load_median_s"] for item in items]
                    ),
                    "mean_effective_rate": items[0]["mean_effective_rate"],
                    "rounds": items,
                }
            )
    finally:
        for database in names:
            drop_pg_database(database)
        for name in SETS:
            shutil.rmtree(work / name, ignore_errors=True)
    province, national = results["province"], results["national"]
    count_ratio = national["stations"] / province["stations"]
    results["ratios"] = {
        "station_count_ratio": count_ratio,
        "one_station": national["one_station_median_s"] / province["one_station_median_s"],
        "one_station_goal": 1.2,
        "all_stations": national["all_stations_median_s"] / province["all_stations_median_s"],
        "all_stations_goal": 1.2 * count_ratio,
        "all_stations_with_load": national["all_stations_with_load_median_s"]
        / province["all_stations_with_load_median_s"],
    }
    return results


def main(argv: list[str]) -> None:
    """Run the benchmark on the chosen databases; print the table; write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("postgresql", "sqlite", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=5, help="all-stations calls per round")
    parser.add_argument("--rounds", type=int, default=3, help="child processes per set (alternating)")
    parser.add_argument("--sample", type=int, default=25, help="stations timed one by one per round")
    parser.add_argument("--json", default=None, help="where to write the results (default bench/results/)")
    parser.add_argument("--workdir", default=None, help="temporary folder (default: the system's)")
    parser.add_argument("--from-json", default=None, help="print the table of earlier results, run nothing")
    args = parser.parse_args(argv)
    if args.from_json:
        saved = json.loads(Path(args.from_json).read_text())
        report(saved["command"], saved["machine"], saved["results"])
        return
    kinds = ["postgresql", "sqlite"] if args.db == "both" else [args.db]
    info = machine()
    results = {}
    with tempfile.TemporaryDirectory(prefix="qt-bench-completeness-", dir=args.workdir) as folder:
        for kind in kinds:
            results[kind] = run_db(kind, args, Path(folder))
    command = f"{python_command()} bench/completeness.py " + " ".join(argv)
    report(command, info, results)
    output = args.json or str(ROOT / "bench" / "results" / "completeness.json")
    write_json(
        output,
        {
            "benchmark": "completeness",
            "command": command,
            "machine": info,
            "args": vars(args),
            "results": results,
        },
    )
    print(f"written: {output}")


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def report(command: str, info: dict, results: dict) -> None:
    """Print the results table and the verdict of each goal (fills ``results[kind]["verdict"]``)."""
    print()
    print(command)
    print(
        f"{info['date_utc']}, {info['cpus']} CPUs, Python {info['python']}, PostgreSQL {info.get('postgresql')}"
    )
    rows = []
    for kind, result in results.items():
        ratios = result["ratios"]
        national = result["national"]
        for name in SETS:
            item = result[name]
            rows.append(
                [
                    kind,
                    name,
                    item["stations"],
                    item["rows"],
                    f"{item['one_station_median_s'] * 1000:.1f}",
                    f"{item['one_station_max_s'] * 1000:.1f}",
                    f"{item['all_stations_median_s']:.3f}",
                    f"{item['all_stations_load_median_s']:.3f}",
                ]
            )
        verdict = {
            "one_station_ratio": ratios["one_station"] <= ratios["one_station_goal"],
            "one_station_50ms": national["one_station_median_s"] <= 0.05,
            "all_stations_ratio": ratios["all_stations"] <= ratios["all_stations_goal"],
            "all_stations_1s": national["all_stations_median_s"] <= 1,
        }
        result["verdict"] = verdict
        rows.append(
            [
                kind,
                "national / province",
                f"{ratios['station_count_ratio']:.1f}",
                "",
                f"{ratios['one_station']:.2f}x (goal <= 1.2: {_met(verdict['one_station_ratio'])})",
                "",
                f"{ratios['all_stations']:.2f}x (goal <= {ratios['all_stations_goal']:.1f}:"
                f" {_met(verdict['all_stations_ratio'])})",
                "",
            ]
        )
    headers = [
        "database",
        "set",
        "stations",
        "rollup rows",
        "one station-month ms (median)",
        "max ms",
        "all stations s (median)",
        "loading stations s",
    ]
    print(table(headers, rows))
    for kind, result in results.items():
        verdict, national = result["verdict"], result["national"]
        print(
            f"{kind}: national one station-month {national['one_station_median_s'] * 1000:.1f} ms"
            f" (goal <= 50 ms: {_met(verdict['one_station_50ms'])}); all stations"
            f" {national['all_stations_median_s']:.2f} s (goal <= 1 s: {_met(verdict['all_stations_1s'])})"
        )


def child_main(argv: list[str]) -> None:
    """Entry of the child processes (not for direct use)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("child-setup", "child-time"))
    parser.add_argument("--url", required=True)
    parser.add_argument("--instance", required=True)
    parser.add_argument("--set", choices=tuple(SETS))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sample", type=int, default=25)
    args = parser.parse_args(argv)
    {"child-setup": child_setup, "child-time": child_time}[args.mode](args)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].startswith("child-"):
        child_main(sys.argv[1:])
    else:
        main(sys.argv[1:])
