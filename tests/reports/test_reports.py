"""Monthly reports: asked for on the page, made by a job, numbered, stored by hash, downloadable."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from app.cases.effectiveness import StepFigures
from app.dashboard import tables
from app.dashboard.services import NoticeFigures, closed_month
from app.extensions import db
from app.jobs.models import JobRun
from app.reports.document import notices_sentence, recipient
from app.reports.models import MonthlyReport


def pdf_text(data: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_a_leader_makes_and_downloads_the_month_report(
    app, client, login, make_user, facility, december, tmp_path
):
    login(make_user("leader"))
    response = client.post("/reports/", data={"month": "2025-12"})
    assert response.status_code == 302, response.get_data(as_text=True)
    report = db.session.scalars(sa.select(MonthlyReport).order_by(MonthlyReport.id.desc())).first()
    assert report.status == "done", report.error
    run = db.session.get(JobRun, report.job_run_id)
    assert (run.name, run.queue, run.status) == ("reports.monthly", "reports", "finished")
    assert report.number_text == f"{report.number:02d}/BC-SNNMT"
    listing = client.get("/reports/").get_data(as_text=True)
    assert f"/reports/{report.id}.pdf" in listing and report.number_text in listing
    pdf = client.get(f"/reports/{report.id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert hashlib.sha256(pdf.data).hexdigest() == report.pdf_sha256
    assert os.path.exists(os.path.join(app.instance_path, report.pdf_path))
    text = " ".join(pdf_text(pdf.data, tmp_path).split())
    assert "BÁO CÁO" in text
    assert "Tình hình thực hiện quan trắc tự động, liên tục và truyền số liệu tháng 12/2025" in text
    assert "toàn tỉnh có 1 cơ sở thuộc diện phải quan trắc" in text
    assert facility.code in text  # the longest out of compliance
    assert "Trong tháng, Sở không ban hành văn bản đôn đốc, xử lý nào." in text
    assert "- UBND thành phố Cần Thơ (để báo cáo);" in text
    assert "Hồ sơ đang mở theo bước, tại ngày lập báo cáo" in text  # not the month's end
    assert "Chưa có số liệu tổng hợp của các tháng 01/2025–10/2025." in text


def test_a_month_not_closed_is_refused(client, login, make_user):
    login(make_user("inspector"))
    month = closed_month()
    following = f"{month.year + (month.month == 12)}-{month.month % 12 + 1:02d}"
    response = client.post("/reports/", data={"month": following})
    assert response.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MonthlyReport)) == 0


def test_enterprise_users_may_not_see_reports(client, login, make_user):
    login(make_user("enterprise"))
    assert client.get("/reports/").status_code == 403


def test_the_superior_body_is_named_not_shouted_in_the_distribution_list():
    assert recipient("UBND THÀNH PHỐ CẦN THƠ") == "UBND thành phố Cần Thơ"
    assert recipient("UBND TỈNH BÀ RỊA - VŨNG TÀU") == "UBND tỉnh Bà Rịa - Vũng Tàu"
    assert recipient("ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK") == "Ủy ban nhân dân tỉnh Đắk Lắk"
    assert recipient("UBND thành phố Huế") == "UBND thành phố Huế"  # written as a name already


def test_a_month_without_notices_says_so_in_words():
    assert notices_sentence(NoticeFigures(0, 0, 0, {})) == (
        "Trong tháng, Sở không ban hành văn bản đôn đốc, xử lý nào."
    )
    assert "ban hành 3 văn bản đôn đốc, xử lý; 1 văn bản đã được cơ sở trả lời, 2 văn bản đã quá hạn" in (
        notices_sentence(NoticeFigures(3, 1, 2, {}))
    )


def test_the_effectiveness_table_names_each_step():
    figures = SimpleNamespace(
        cases_by_step=[(0, "", 2), (1, "Công văn đôn đốc lần 1", 1), (2, "Công văn đôn đốc lần 2", 0)],
        effectiveness=[StepFigures(1, 4, 1, 6.0, 1, 0.25), StepFigures(3, 0, 0, None, None, None)],
    )
    rows = tables.effectiveness_table(figures).rows
    assert rows[0][0] == "1. Công văn đôn đốc lần 1" and rows[0][1:] == [4, 1, "6", "25,0%"]
    assert rows[1][0] == 3  # a step no longer on the ladder keeps its number
