"""The portal's list of an enterprise's finalised minutes, with download; another's are a 404."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.inspections.models import Inspection
from tests.inspections.test_views import SCHEDULE, record_data, schedule


def test_an_enterprise_lists_and_downloads_its_own_minutes_and_guesses_no_other(
    client, login, make_user, facility, stations
):
    login(make_user("inspector"))
    done = schedule(client, facility)
    client.post(f"/inspections/{done.id}/edit", data=record_data())
    client.post(f"/inspections/{done.id}/finalise")
    client.post(f"/inspections/new?facility={facility.code}", data=SCHEDULE)
    planned = db.session.scalars(sa.select(Inspection).where(Inspection.status == "planned")).one()
    client.post("/logout")

    login(make_user("enterprise", enterprise=facility.enterprise))
    page = client.get("/portal/minutes/")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Biên bản kiểm tra" in text
    assert done.number_text in text and facility.name in text and "12/01/2026" in text
    assert f"/inspections/minutes/{done.id}.pdf" in text
    assert f"/inspections/minutes/{planned.id}.pdf" not in text
    own = client.get(f"/inspections/minutes/{done.id}.pdf")
    assert own.status_code == 200 and own.data.startswith(b"%PDF")
    assert client.get(f"/inspections/minutes/{planned.id}.pdf").status_code == 404
    client.post("/logout")

    login(make_user("enterprise"))  # another enterprise, guessing addresses
    other = client.get("/portal/minutes/").get_data(as_text=True)
    assert done.number_text not in other and "Chưa có biên bản kiểm tra" in other
    for guess in (done.id, planned.id, done.id + 1, 0):
        assert client.get(f"/inspections/minutes/{guess}.pdf").status_code == 404
    client.post("/logout")

    login(make_user("inspector"))
    assert client.get("/portal/minutes/").status_code == 403
