"""Inspection minutes: finalising a record in full against WeasyPrint rendering the same HTML bare.

Run: ``.venv/bin/python bench/minutes.py [--runs 10]``. On the embedded default
(SQLite in a temporary folder, jobs inline) a facility with 3 wastewater stations
(7 parameters each) and a month of 5-minute data (one station silent for its last
11 days, one with an approved maintenance window) is built once. Then, alternately,
after one warm-up of each:

- **full**: an inspection of that month is scheduled (not timed), then finalised and
  committed: the facts gathered from the system (obligations, coverage, stations,
  completeness raw and excused of every station and parameter, gaps, exceedance
  hours, cases, notices), frozen on the record; the job, run after the commit, takes
  the BB register number, builds the document (11 tables and a chart), renders the
  PDF, hashes and stores it, and commits;
- **bare**: WeasyPrint renders the final HTML of the same minutes (the document as
  the job built it), nothing else.

Prints the medians and the ratio (goal <= 1.3, the benchmark notes) and writes them
to ``bench/results/minutes.json``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from weasyprint import HTML  # noqa: E402

from bench.common import ROOT, machine, make_app, migrate, write_json  # noqa: E402

MONTH = (date(2025, 12, 1), date(2025, 12, 31))
MOMENT = "2026-01-15 09:00"


def local(text: str) -> datetime:
    from app.formatting import LOCAL_TZ

    return datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ)


def seed() -> int:
    """The facility, its obligations, 3 stations and their month of rollups; return the facility id."""
    from app.compliance.services import store_obligations
    from app.db import commit
    from app.extensions import db
    from app.facilities.models import Enterprise, Facility
    from app.stations.models import ExcuseWindow, Station
    from app.telemetry.rollups import add_readings
    from app.telemetry.slots import day_start

    enterprise = Enterprise(name="Công ty TNHH Thủy sản Mê Kông", tax_code="1800000001")
    db.session.add(enterprise)
    db.session.flush()
    facility = Facility(
        code="CT-TS-001",
        name="Nhà máy chế biến thủy sản Mê Kông",
        enterprise_id=enterprise.id,
        address="KCN Trà Nóc, phường Thới An Đông, TP Cần Thơ",
        pollution_risk_type=True,
        wastewater_flow_m3_day=620,
        industry_type="seafood",
        qcvn_column="A",
        kq=Decimal(1),
        kf=Decimal(1),
    )
    db.session.add(facility)
    db.session.flush()
    db.session.refresh(facility)
    store_obligations(facility, date(2026, 1, 15))
    (obligation,) = [
        o for o in facility.obligations if o.kind == "wastewater" and o.regime == "decree-05-2025"
    ]
    for index in range(3):
        code = f"TS001NT{index + 1}"
        station = Station(
            code=code,
            code_key=code.lower(),
            kind="wastewater",
            facility_id=facility.id,
            parameters=list(obligation.parameters),
            installed_at=date(2025, 6, 1),
            data_expected_from=local("2025-06-01 00:00"),
            has_camera=index == 0,
            has_sampler=True,
        )
        db.session.add(station)
        db.session.flush()
        last = MONTH[1] - timedelta(days=11) if index == 1 else MONTH[1]
        moment, end, readings = day_start(MONTH[0]), day_start(last + timedelta(days=1)), []
        while moment < end:
            if not (index == 2 and local("2025-12-10 08:00") <= moment < local("2025-12-10 11:00")):
                for parameter in station.parameters:
                    value = Decimal("7") if parameter == "pH" else Decimal("3")
                    readings.append((station.id, parameter, moment, value, 0))
            moment += timedelta(minutes=5)
        add_readings(readings)
        station.last_reading_at = readings[-1][2]
        if index == 2:
            db.session.add(
                ExcuseWindow(
                    station_id=station.id,
                    kind="maintenance",
                    status="approved",
                    starts_at=local("2025-12-10 08:00"),
                    expected_end_at=local("2025-12-10 11:00"),
                    reason="Bảo trì định kỳ",
                )
            )
    commit()
    return facility.id


def scheduled(facility_id: int):
    """A planned inspection of December with its representative and a request, committed."""
    from app.db import commit
    from app.extensions import db
    from app.facilities.models import Facility
    from app.inspections import services

    facility = db.session.get(Facility, facility_id)
    plan = services.Plan(
        decision_number="125/QĐ-SNNMT",
        decision_date=date(2026, 1, 5),
        inspected_on=date(2026, 1, 12),
        place=facility.address,
        team=[
            {"name": "Trần Thị Bích", "title": "Trưởng đoàn"},
            {"name": "Lê Văn Cường", "title": "Chuyên viên"},
        ],
        period_from=MONTH[0],
        period_to=MONTH[1],
    )
    inspection = services.schedule_inspection(facility, plan, None)
    services.update_record(
        inspection,
        {
            "representatives": [{"name": "Phạm Minh Đức", "title": "Giám đốc"}],
            "findings": "Trạm TS001NT2 ngừng truyền dữ liệu từ ngày 21/12/2025.",
        },
    )
    services.add_request(inspection, "Khắc phục việc truyền dữ liệu của trạm TS001NT2.", date(2026, 1, 27))
    commit()
    return inspection


def full(facility_id: int) -> tuple[float, str]:
    """Seconds to finalise a scheduled inspection (job included); and its final HTML."""
    from app.db import commit
    from app.documents.render import render_html
    from app.extensions import db
    from app.inspections import services

    inspection = scheduled(facility_id)
    start = time.perf_counter()
    services.finalise_inspection(inspection, None)
    commit()  # the render job runs inline after the commit
    elapsed = time.perf_counter() - start
    db.session.refresh(inspection)
    assert inspection.status == "finalised", inspection.status
    html = render_html(services.document_of(inspection, is_draft=False, number=inspection.number))
    return elapsed, html


def bare(html: str) -> float:
    """Seconds for WeasyPrint to render the final HTML, nothing else."""
    from app.documents.render import BASE_URL

    start = time.perf_counter()
    HTML(string=html, base_url=BASE_URL).write_pdf()
    return time.perf_counter() - start


def main() -> None:
    """Build the data once, alternate full and bare, print and write the medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    from app.audit.actor import acting_as

    with tempfile.TemporaryDirectory() as folder:
        app = make_app(f"sqlite:///{folder}/bench.sqlite3", Path(folder) / "instance")
        migrate(app)
        with app.app_context(), acting_as("bench"):
            facility_id = seed()
            _elapsed, html = full(facility_id)  # warm-up of both sides
            bare(html)
            ours, theirs = [], []
            for _ in range(runs):
                elapsed, html = full(facility_id)
                ours.append(elapsed)
                theirs.append(bare(html))
    mine, base = statistics.median(ours), statistics.median(theirs)
    result = {
        "machine": machine(),
        "runs": runs,
        "full_median_s": round(mine, 4),
        "bare_median_s": round(base, 4),
        "ratio": round(mine / base, 3),
        "goal": 1.3,
    }
    write_json(ROOT / "bench" / "results" / "minutes.json", result)
    print(f"minutes of 3 stations x 1 month, {runs} runs each, medians ({result['machine']['date_utc']})")
    print(f"  finalise + job (full)  {mine * 1000:8.1f} ms")
    print(f"  bare WeasyPrint        {base * 1000:8.1f} ms")
    print(f"  ratio                  {mine / base:8.2f}x (goal <= 1.3x)")


if __name__ == "__main__":
    main()
