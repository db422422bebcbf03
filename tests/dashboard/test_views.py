"""Dashboard pages: a leader sees the figures, drills down to the facilities, exports to Excel."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from app.dashboard import views
from app.dashboard.labels import rate_text
from app.dashboard.snapshots import snapshot_month
from app.extensions import db
from tests.dashboard.conftest import DECEMBER


def test_a_leader_sees_the_month_and_drills_down(client, login, make_user, facility, december):
    login(make_user("leader"))
    page = client.get("/dashboard/?month=2025-12")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    drill = "/dashboard/facilities?measure=meets_raw&amp;month=2025-12&amp;scope=month"
    assert drill in html
    assert "<svg" in html and "<title>" in html
    listing = client.get("/dashboard/facilities?measure=obliged&month=2025-12")
    text = listing.get_data(as_text=True)
    assert listing.status_code == 200
    assert f'href="/facilities/{facility.code}"' in text
    raw = db.session.scalar(
        db.select(views.services.FacilityMonth.raw_rate).where(
            views.services.FacilityMonth.facility_id == facility.id,
            views.services.FacilityMonth.month == DECEMBER,
        )
    )
    assert rate_text(raw) in text
    empty = client.get("/dashboard/facilities?measure=meets_raw&month=2025-12")
    assert facility.code not in empty.get_data(as_text=True)
    by_commune = client.get(
        "/dashboard/facilities?measure=obliged&month=2025-12&group=commune&value=Phường Thốt Nốt"
    )
    assert facility.code in by_commune.get_data(as_text=True)
    other = client.get("/dashboard/facilities?measure=obliged&month=2025-12&group=commune&value=Xã Khác")
    assert facility.code not in other.get_data(as_text=True)


def test_now_counts_the_live_status(client, login, make_user, facility, december):
    snapshot_month(views.services.closed_month().replace(day=1))
    login(make_user("leader"))
    listing = client.get("/dashboard/facilities?measure=receiving&scope=now")
    # The station's last reading was in December: not receiving now.
    assert facility.code not in listing.get_data(as_text=True)
    listing = client.get("/dashboard/facilities?measure=connected&scope=now")
    assert facility.code in listing.get_data(as_text=True)


def test_a_bad_month_is_named_and_the_last_full_month_shown(client, login, make_user):
    login(make_user("inspector"))
    page = client.get("/dashboard/?month=12-2025", follow_redirects=True)
    assert page.status_code == 200
    assert "YYYY-MM" in page.get_data(as_text=True)


def test_enterprise_users_may_not_open_the_dashboard(client, login, make_user):
    login(make_user("enterprise"))
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/dashboard/export.xlsx").status_code == 403


def test_every_table_exports_with_vietnamese_headers(client, login, make_user, facility, december):
    facility.name = '=HYPERLINK("x")'
    db.session.flush()
    login(make_user("leader", locale="en"))
    response = client.get("/dashboard/export.xlsx?month=2025-12")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert len(book.sheetnames) == 9
    summary = book[book.sheetnames[0]]
    assert summary["A3"].value == "Chỉ tiêu" and summary["A3"].font.bold
    assert summary["A4"].value == "Thuộc diện phải quan trắc"
    drill = client.get("/dashboard/facilities.xlsx?measure=obliged&month=2025-12")
    sheet = load_workbook(io.BytesIO(drill.data)).active
    assert sheet["A3"].value == "Mã cơ sở"
    assert (sheet["A4"].value, sheet["B4"].value) == (facility.code, '=HYPERLINK("x")')
    assert sheet["B4"].data_type == "s"
