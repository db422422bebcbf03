"""Notices: one issued notice's PDF against bare WeasyPrint, and a batch issued by real RQ workers.

Run: ``.venv/bin/python bench/notices.py [--runs 20] [--count 1000] [--workers 2]``
(PostgreSQL on ``BENCH_PG_ADMIN_URL``, Redis on ``BENCH_REDIS_URL``, default
``redis://127.0.0.1:6379/13``). Two measurements, each against a baseline in the
same run (the goals of the benchmark notes):

1. One notice: issued in full as the issue page does it (the register number
   reserved and committed, then the document built from the notice, rendered,
   hashed and stored, the case moved, audited, committed) against WeasyPrint
   rendering the same final HTML bare.
   Goal: ratio <= 1.3.
2. A batch: ``count`` approved notices issued by ``workers`` real ``flask worker``
   processes (the bulk-issue job split into one run per worker) against ``count``
   bare renders spread over as many processes. Goal: ratio <= 1.5. It also prints
   how many notices were between their reservation and their issue at once (from
   the audit times): close to ``workers`` when one register's renders overlap.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    ROOT,
    create_pg_database,
    drop_pg_database,
    machine,
    make_app,
    migrate,
    new_database_name,
    pg_url,
)

EVIDENCE = {
    "subject": "lắp đặt, kết nối truyền số liệu quan trắc tự động",
    "sentence": "chưa kết nối truyền số liệu quan trắc nước thải tự động theo quy định.",
    "table": {
        "caption": "Bảng 1. Trạm quan trắc của cơ sở",
        "header": ["Trạm", "Lắp đặt", "Kết nối", "Tỷ lệ dữ liệu"],
        "rows": [
            ["NT-01 Cửa xả nước thải", "Đã lắp đặt", "Chưa kết nối", "0,0%"],
            ["NT-02", "Đã lắp đặt", "Chưa kết nối", None],
        ],
    },
    "legal_basis": ["Khoản 3 Điều 97 Nghị định số 08/2022/NĐ-CP ngày 10 tháng 01 năm 2022 của Chính phủ"],
    "as_of": "2026-12-01",
}
SITE = "https://quantrac.example.vn"


def seed(count: int) -> tuple[list[int], int]:
    """``count`` approved step-1 notices of as many cases, committed; and the inspector's id."""
    from app.audit.actor import acting_as
    from app.auth.services import create_user
    from app.cases.models import Case
    from app.db import commit
    from app.extensions import db
    from app.facilities.models import Enterprise, Facility
    from app.notices import services

    user, _ = create_user(
        f"bench-{uuid.uuid4().hex[:6]}@example.vn", "inspector", password="Mat-khau-thu-2026"
    )
    ids = []
    with acting_as("bench", user.id):
        for i in range(count):
            enterprise = Enterprise(name=f"Công ty TNHH Thủy sản số {i}")
            db.session.add(enterprise)
            db.session.flush()
            facility = Facility(
                code=f"B{i:05d}", name=f"Nhà máy chế biến số {i}", enterprise_id=enterprise.id
            )
            db.session.add(facility)
            db.session.flush()
            case = Case(facility_id=facility.id, kind="not_connected", evidence=EVIDENCE)
            db.session.add(case)
            db.session.flush()
            notice = services.draft_notice(case, 1, user)
            services.submit_notice(notice)
            services.approve_notice(notice, user)
            ids.append(notice.id)
    commit()
    return ids, user.id


def final_html(notice) -> str:
    """The final HTML of an issued notice, as issue rendered it."""
    from app.documents.render import render_html
    from app.notices import document
    from app.settings.services import agency, all_values

    built = document.build_document(
        notice,
        agency(),
        all_values()[f"register.{notice.register}"],
        deadline=document.deadline_text(notice.answer_due_on),
        verification_url=document.verification_url(SITE, notice.verify_token),
    )
    return render_html(built)


def bare(html: str) -> bytes:
    """WeasyPrint alone on the final HTML."""
    from weasyprint import HTML

    from app.documents.render import BASE_URL

    return HTML(string=html, base_url=BASE_URL).write_pdf()


def one_notice(app, runs: int) -> dict:
    """Median of a full issue (committed) and of a bare render of the same HTML, alternately."""
    from app.audit.actor import acting_as
    from app.auth.models import User
    from app.db import commit
    from app.extensions import db
    from app.notices import issuing
    from app.notices.models import Notice

    with app.app_context():
        ids, user_id = seed(runs + 1)
        ours, theirs = [], []
        for index, notice_id in enumerate(ids):
            user = db.session.get(User, user_id)
            commit()
            start = time.perf_counter()
            with acting_as("bench", user_id):
                outcome = issuing.issue(notice_id, user, SITE)
            elapsed = time.perf_counter() - start
            if not outcome.is_issued:
                raise RuntimeError(outcome.error)
            html = final_html(db.session.get(Notice, notice_id))
            start = time.perf_counter()
            bare(html)
            if index:  # the first pair warms caches
                theirs.append(time.perf_counter() - start)
                ours.append(elapsed)
        db.session.remove()
    mine, base = statistics.median(ours), statistics.median(theirs)
    return {"issue_ms": mine * 1000, "bare_ms": base * 1000, "ratio": mine / base}


def _bare_chunk(args: tuple[str, int]) -> float:
    html, times = args
    bare(html)  # warm-up in this process, as a worker's first job
    start = time.perf_counter()
    for _ in range(times):
        bare(html)
    return time.perf_counter() - start


def bare_batch(html: str, count: int, workers: int) -> float:
    """Wall time of ``count`` bare renders in ``workers`` processes."""
    per = [count // workers + (1 if i < count % workers else 0) for i in range(workers)]
    start = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        pool.map(_bare_chunk, [(html, n) for n in per])
    return time.perf_counter() - start


def worker_batch(
    app, url: str, instance: Path, count: int, workers: int, redis_url: str, prefix: str
) -> dict:
    """Wall time of ``count`` notices issued by ``workers`` real RQ workers (the job split per worker)."""
    from app.db import commit
    from app.extensions import db
    from app.jobs.dispatch import defer_job
    from app.jobs.models import JobRun
    from app.notices.services_bulk import BULK_ISSUE_JOB

    with app.app_context():
        ids, user_id = seed(count)
        for part in range(workers):
            defer_job(BULK_ISSUE_JOB, requested_by_id=user_id, notice_ids=ids[part::workers], site_url=SITE)
        commit()
        import sqlalchemy as sa

        from app.notices.models import Notice

        early = db.session.scalar(sa.select(sa.func.count(Notice.id)).where(Notice.status == "issued"))
        if early:
            raise RuntimeError(f"{early} notices were issued before the workers started: the jobs ran inline")
        db.session.remove()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "QUEUE_PREFIX": prefix,
        "QUANTRAC_INSTANCE_PATH": str(instance),
        "JOBS_MODE": "rq",
    }
    command = [sys.executable, "-m", "flask", "--app", "app", "worker", "--burst", "--no-scheduler"]
    start = time.perf_counter()
    processes = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(workers)
    ]
    for process in processes:
        _out, err = process.communicate(timeout=3600)
        if process.returncode != 0:
            raise RuntimeError(err.decode()[-3000:])
    wall = time.perf_counter() - start
    with app.app_context():
        import sqlalchemy as sa

        from app.notices.models import Notice

        runs = db.session.scalars(sa.select(JobRun).where(JobRun.name == BULK_ISSUE_JOB)).all()
        failed = sum(len((r.result or {}).get("failed", [])) for r in runs)
        numbers = db.session.scalars(
            sa.select(Notice.number).where(Notice.status == "issued").order_by(Notice.number)
        ).all()
        html = final_html(db.session.scalar(sa.select(Notice).where(Notice.status == "issued").limit(1)))
        overlap = concurrency()
        db.session.remove()
    gapless = numbers == list(range(1, len(numbers) + 1))
    return {
        "wall_s": wall,
        "issued": len(numbers),
        "failed": failed,
        "gapless": gapless,
        "html": html,
        **overlap,
    }


def concurrency() -> dict:
    """How many notices were between reservation and issue at once (audit times), and their overlaps."""
    import sqlalchemy as sa

    from app.audit.models import AuditEvent
    from app.extensions import db

    actions = ("notice.number_reserved", "notice.issued")
    rows = db.session.execute(
        sa.select(AuditEvent.object_id, AuditEvent.action, AuditEvent.at).where(
            AuditEvent.action.in_(actions)
        )
    ).all()
    spans: dict[str, dict] = {}
    for object_id, action, at in rows:
        spans.setdefault(object_id, {})[action] = at
    intervals = sorted((v[actions[0]], v[actions[1]]) for v in spans.values() if len(v) == 2)
    if len(intervals) < 2:
        return {"in_progress": 0.0, "overlapping_pairs": 0, "issuing_wall_s": 0.0}
    busy = sum((end - start).total_seconds() for start, end in intervals)
    wall = (max(end for _, end in intervals) - intervals[0][0]).total_seconds()
    overlapping = sum(1 for a, b in zip(intervals, intervals[1:], strict=False) if b[0] < a[1])
    return {"in_progress": busy / wall, "overlapping_pairs": overlapping, "issuing_wall_s": wall}


def main() -> None:
    """Run both measurements on fresh PostgreSQL databases and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", choices=("one", "batch"), help="Run one of the two measurements.")
    args = parser.parse_args()
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
    info = machine()
    print(f"notices benchmark {info['date_utc']} · PostgreSQL {info.get('postgresql')} · {info['cpus']} CPUs")
    for label, size in (("one", args.runs), ("batch", args.count)):
        if args.only and label != args.only:
            continue
        name = new_database_name(f"qt_bench_notices_{label}")
        create_pg_database(name)
        url = pg_url(name).replace("postgresql://", "postgresql+psycopg://", 1)
        try:
            with tempfile.TemporaryDirectory() as folder:
                instance = Path(folder)
                prefix = f"qt-bench-{uuid.uuid4().hex[:8]}"
                # The batch's app enqueues on Redis at commit, so the workers (not this process) issue.
                extra = (
                    {"JOBS_MODE": "rq", "REDIS_URL": redis_url, "QUEUE_PREFIX": prefix}
                    if label == "batch"
                    else {}
                )
                app = make_app(url, instance, **extra)
                migrate(app)
                if label == "one":
                    one = one_notice(app, size)
                    print(f"1. one notice, {size} runs, medians")
                    print(
                        f"   issue (number reserved, render, hash, store, commit) {one['issue_ms']:7.1f} ms"
                    )
                    print(f"   bare WeasyPrint, same HTML                          {one['bare_ms']:8.1f} ms")
                    print(f"   ratio {one['ratio']:.2f}x (goal <= 1.3x)")
                else:
                    batch = worker_batch(app, url, instance, size, args.workers, redis_url, prefix)
                    base = bare_batch(batch.pop("html"), size, args.workers)
                    print(
                        f"2. batch of {size}, {args.workers} RQ workers vs {args.workers} processes of bare renders"
                    )
                    print(
                        f"   workers: {batch['wall_s']:.1f} s, issued {batch['issued']}, failed {batch['failed']}, gapless {batch['gapless']}"
                    )
                    print(
                        f"   in progress at once: {batch['in_progress']:.2f} "
                        f"(overlapping consecutive pairs {batch['overlapping_pairs']} of {batch['issued'] - 1}, "
                        f"first reservation to last issue {batch['issuing_wall_s']:.1f} s)"
                    )
                    print(f"   bare:    {base:.1f} s")
                    print(f"   ratio {batch['wall_s'] / base:.2f}x (goal <= 1.5x)")
                from app.extensions import db

                with app.app_context():
                    db.engine.dispose()
        finally:
            drop_pg_database(name)


if __name__ == "__main__":
    main()
