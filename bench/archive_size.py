"""Size of the content-addressed file archive per station and year, raw and compressed.

Generates the ingest benchmark's files (bench/ingest.py's generator: real layout,
one file per station per 5-minute cycle, 6-8 lines) for a few stations and days,
stores them as the archive does (``<sha[:2]>/<sha256>``, one file per content), and
measures:

* the bytes of content, and the space the files take on this file system (each
  small file takes at least one block);
* the archived files of the period packed into one tar file (as a month is moved
  to cold storage), compressed with gzip, bzip2, xz (Python's standard library)
  and zstd when the ``zstd`` program is installed;

then scales to a station-year and to the national set (2,500 stations).

    .venv/bin/python bench/archive_size.py --stations 3 --days 30
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import hashlib
import io
import lzma
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, emit, machine, python_command, table, write_json  # noqa: E402
from dataset import station_specs  # noqa: E402
from ingest import generate  # noqa: E402

NATIONAL_STATIONS = 2500


def archive_copy(source: Path, archive: Path) -> list[Path]:
    """Store the files under ``source`` as the archive does; return the archived paths."""
    stored = []
    for folder, _dirs, names in os.walk(source):
        for name in sorted(names):
            data = (Path(folder) / name).read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            target = archive / digest[:2] / digest
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                stored.append(target)
    return stored


def packed(paths: list[Path], root: Path) -> bytes:
    """Return an uncompressed tar of the archived files (paths relative to the archive root)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(paths):
            tar.add(path, arcname=str(path.relative_to(root)))
    return buffer.getvalue()


def main(argv: list[str]) -> None:
    """Generate, archive, pack and compress; print the sizes and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stations", type=int, default=3)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)
    info = machine()
    specs = station_specs(args.stations)
    first = date(2026, 9, 1)
    with tempfile.TemporaryDirectory(prefix="qt-bench-archive-") as folder:
        work = Path(folder)
        files = lines = content = 0
        for offset in range(args.days):
            expected = generate(work / "data", specs, first + timedelta(days=offset), seed=offset)
            files += expected.files
            lines += expected.lines
            content += expected.bytes
        stored = archive_copy(work / "data", work / "archive")
        shutil.rmtree(work / "data")
        disk = sum(path.stat().st_blocks * 512 for path in stored)
        stored_bytes = sum(path.stat().st_size for path in stored)
        station_days = args.stations * args.days
        tar = packed(stored, work / "archive")
        compressed = {
            "gzip -9": len(gzip.compress(tar, compresslevel=9)),
            "bzip2 -9": len(bz2.compress(tar, compresslevel=9)),
            "xz -6": len(lzma.compress(tar, preset=6)),
        }
        zstd = shutil.which("zstd")
        if zstd:
            for level in (3, 19):
                out = subprocess.run(
                    [zstd, f"-{level}", "-c", "-q"], input=tar, capture_output=True, check=True
                )
                compressed[f"zstd -{level}"] = len(out.stdout)
    per_station_year = {
        "content": content / station_days * 365,
        "archived_content": stored_bytes / station_days * 365,
        "on_disk_as_files": disk / station_days * 365,
        "tar": len(tar) / station_days * 365,
        **{name: size / station_days * 365 for name, size in compressed.items()},
    }
    rows = [
        [name, f"{size / 1e6:.1f}", f"{size * NATIONAL_STATIONS / 1e9:.1f}"]
        for name, size in per_station_year.items()
    ]
    print(
        f"{args.stations} stations x {args.days} days: {files} files ({len(stored)} distinct), {lines} lines"
    )
    print(f"{info['date_utc']}, {info['platform']}")
    print(table(["form", "MB per station-year", "GB per year, 2,500 stations"], rows))
    result = {
        "benchmark": "archive_size",
        "command": f"{python_command()} bench/archive_size.py " + " ".join(argv),
        "machine": info,
        "stations": args.stations,
        "days": args.days,
        "files": files,
        "distinct_files": len(stored),
        "lines": lines,
        "bytes": {
            "content": content,
            "archived": stored_bytes,
            "on_disk": disk,
            "tar": len(tar),
            **compressed,
        },
        "per_station_year_bytes": per_station_year,
    }
    output = args.json or str(ROOT / "bench" / "results" / "archive_size.json")
    write_json(output, result)
    emit({"written": output})


if __name__ == "__main__":
    main(sys.argv[1:])
