"""The monthly report: the full job against WeasyPrint rendering the same HTML bare.

Run: ``.venv/bin/python bench/report.py [--runs 10] [--facilities 200]``. On the
embedded default (SQLite in a temporary folder, jobs inline) a province is built
once, straight into its tables as ``bench/dashboard.py`` builds the national set:
200 facilities (250 stations) in 100 communes and 16 industries, each under a
required obligation, and 13 months of snapshots (the 12 closed months to the last
full month and the month in progress); plus one open case with an issued notice per
tenth facility, so the report's tables of cases, notices and effectiveness have rows.
Then, alternately, after one warm-up of each:

- **full**: the report of the last closed month is asked for and committed; the job,
  run after the commit, gathers the month's figures from the snapshots (the
  dashboard's memo emptied first, as in a fresh worker process), builds the document
  (tables and charts), takes the BC register number, renders the PDF, hashes and
  stores it, and commits;
- **bare**: WeasyPrint renders the final HTML of the same report (the document as
  the job built it), nothing else.

Prints the medians and the ratio (goal <= 1.3, the benchmark notes) and writes them
to ``bench/results/report.json``. ``--parts N`` prints instead the CPU time of the
job's steps (figures, document and HTML, render), N times.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from weasyprint import HTML  # noqa: E402

from bench.common import ROOT, machine, make_app, migrate, python_command, write_json  # noqa: E402

EVIDENCE = {
    "subject": "truyền số liệu quan trắc tự động",
    "sentence": "chưa truyền đủ số liệu quan trắc nước thải tự động theo quy định.",
    "legal_basis": ["Khoản 3 Điều 97 Nghị định số 08/2022/NĐ-CP ngày 10 tháng 01 năm 2022 của Chính phủ"],
    "as_of": "2026-11-01",
}


def _cases(facility_ids: list[int]) -> int:
    """An open case with an issued step-1 notice at one facility in ten; return how many."""
    from unittest import mock

    from app.auth.services import create_user
    from app.cases.models import Case
    from app.compliance.services import today
    from app.dashboard.services import closed_month
    from app.extensions import db
    from app.notices import services, services_issue
    from app.telemetry.slots import day_start

    user, _ = create_user("bench.report@example.vn", "inspector", password="Mat-khau-thu-2026")
    issued_at = day_start(closed_month(today()).replace(day=10))  # midnight in Việt Nam, aware
    chosen = facility_ids[::10]
    for facility_id in chosen:
        case = Case(facility_id=facility_id, kind="low_completeness", evidence=EVIDENCE)
        db.session.add(case)
        db.session.flush()
        notice = services.draft_notice(case, 1, user)
        services.submit_notice(notice)
        services.approve_notice(notice, user)
        with mock.patch.object(services_issue, "utcnow", lambda: issued_at):  # issued in the month
            services_issue.issue_notice(notice, user, "https://quantrac.example.vn")
    return len(chosen)


def seed(facilities: int) -> dict[str, int]:
    """The province: facilities, stations, obligations, 13 months of snapshots, cases; committed."""
    from datetime import timedelta

    import sqlalchemy as sa
    from dashboard import _national_rows
    from dataset import create_stations, station_specs

    from app.compliance.services import regime_in_force, today
    from app.db import commit
    from app.extensions import db
    from app.stations.models import Station

    specs = station_specs(facilities * 5 // 4)
    create_stations(specs, today() - timedelta(days=400))
    kinds: dict[int, set[str]] = {}
    for facility_id, kind in db.session.execute(sa.select(Station.facility_id, Station.kind)):
        kinds.setdefault(facility_id, set()).add(kind)
    _national_rows(sorted(kinds.items()), regime_in_force(today()), today())
    cases = _cases(sorted(kinds))
    commit()
    return {
        "facilities": len(kinds),
        "stations": len(specs),
        "snapshots": db.session.scalar(sa.text("SELECT count(*) FROM facility_months")),
        "cases": cases,
    }


def final_html(report) -> str:
    """The final HTML of a made report: its document rebuilt with its number and date."""
    from flask_babel import force_locale

    from app.dashboard.services import dashboard
    from app.documents.layout import DocumentType, register_of
    from app.documents.render import render_html
    from app.reports.document import build_document
    from app.settings.services import agency
    from app.settings.services import get as setting

    with force_locale("vi"):
        register = register_of(DocumentType.REPORT)
        document = build_document(
            dashboard(report.month, with_now=False),
            agency(),
            str(setting(f"register.{register}")),
            number=report.number,
            issued_on=report.finished_at.date() if report.finished_at else None,
        )
        return render_html(document)


def full(month) -> tuple[float, str, int]:
    """Seconds to ask for the month's report and commit (the job runs inline); its HTML and pages."""
    from app.dashboard.cache import MEMO
    from app.db import commit
    from app.extensions import db
    from app.reports import services

    MEMO.clear()  # a worker process starts with an empty memo
    start = time.perf_counter()
    report = services.request_report(month, None)
    commit()  # the job runs inline after the commit
    elapsed = time.perf_counter() - start
    db.session.refresh(report)
    assert report.status == "done", report.error
    return elapsed, final_html(report), report.id


def bare(html: str) -> tuple[float, int]:
    """Seconds for WeasyPrint to render the final HTML, nothing else; and its page count."""
    from app.documents.render import BASE_URL

    start = time.perf_counter()
    document = HTML(string=html, base_url=BASE_URL).render()
    document.write_pdf()
    return time.perf_counter() - start, len(document.pages)


def parts(month, repeat: int) -> list[dict[str, float]]:
    """CPU milliseconds (``time.process_time``) of each step of the job, memo emptied each time."""
    from flask_babel import force_locale

    from app.dashboard.cache import MEMO
    from app.dashboard.services import dashboard
    from app.documents.render import render_html, render_pdf
    from app.reports.document import build_document
    from app.settings.services import agency
    from app.settings.services import get as setting

    found = []
    for _ in range(repeat):
        MEMO.clear()
        with force_locale("vi"):
            start = time.process_time()
            figures = dashboard(month, with_now=False)
            gathered = time.process_time()
            document = build_document(
                figures, agency(), str(setting("register.BC")), number=1, issued_on=None
            )
            render_html(document)
            built = time.process_time()
            render_pdf(document)
            rendered = time.process_time()
        found.append(
            {
                "figures_ms": round((gathered - start) * 1000, 1),
                "document_html_ms": round((built - gathered) * 1000, 1),
                "render_pdf_ms": round((rendered - built) * 1000, 1),
            }
        )
    return found


def main() -> None:
    """Build the province once, alternate full and bare, print and write the medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--facilities", type=int, default=200)
    parser.add_argument("--parts", type=int, default=0, help="Only the CPU time of each step, N times.")
    args = parser.parse_args()
    from app.audit.actor import acting_as
    from app.dashboard.services import closed_month

    with tempfile.TemporaryDirectory() as folder:
        app = make_app(f"sqlite:///{folder}/bench.sqlite3", Path(folder) / "instance")
        migrate(app)
        with app.app_context(), acting_as("bench"):
            built = seed(args.facilities)
            month = closed_month()
            if args.parts:
                for found in parts(month, args.parts):
                    print(found)
                return
            _elapsed, html, _id = full(month)  # warm-up of both sides
            _seconds, pages = bare(html)
            ours, theirs, loads = [], [], []
            for _ in range(args.runs):
                elapsed, html, _id = full(month)
                ours.append(elapsed)
                theirs.append(bare(html)[0])
                loads.append(os.getloadavg()[0])
    mine, base = statistics.median(ours), statistics.median(theirs)
    result = {
        "command": f"{python_command()} bench/report.py --runs {args.runs} --facilities {args.facilities}",
        "machine": machine(),
        "data": {**built, "month": f"{month:%Y-%m}", "pages": pages},
        "runs": args.runs,
        "load_average_1m": [round(min(loads), 1), round(max(loads), 1)],
        "full_median_s": round(mine, 4),
        "bare_median_s": round(base, 4),
        "ratio": round(mine / base, 3),
        "goal": 1.3,
    }
    write_json(ROOT / "bench" / "results" / "report.json", result)
    print(
        f"monthly report {result['data']}, {args.runs} runs each, medians ({result['machine']['date_utc']})"
    )
    print(f"  request + job (full)   {mine * 1000:8.1f} ms")
    print(f"  bare WeasyPrint        {base * 1000:8.1f} ms")
    print(f"  ratio                  {mine / base:8.2f}x (goal <= 1.3x)")
    print(f"  load average (1 min)   {result['load_average_1m'][0]}-{result['load_average_1m'][1]}")


if __name__ == "__main__":
    main()
