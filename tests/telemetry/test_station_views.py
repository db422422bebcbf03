"""The station data section: figures equal ``figures.station_completeness``, gaps, charts, access.

NT1 (pH and COD, expected from 10:00 on 2026-01-15) sends, on that day:

- 10:00-10:55 both parameters valid;
- nothing 11:00-12:25 (18 slots; an approved maintenance window excuses 11:00-11:30);
- 12:30-12:55 COD, except 12:40; COD calibrating (01) at 12:30 and 12:35, in error (02) at 12:50;
- nothing afterwards, to the end of the month.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from app.db import utcnow
from app.extensions import db
from app.stations.models import ExcuseWindow
from app.telemetry import station_data
from app.telemetry.figures import station_completeness
from app.telemetry.station_views import fraction_percent
from tests.telemetry.ingest_helpers import at, file_name, ingest, line, new_station, write

FIRST, LAST = date(2026, 1, 1), date(2026, 1, 31)
MONTH = "month=2026-01"


@pytest.fixture
def station(app, tmp_path, make_facility):
    station = new_station("NT1", parameters=["pH", "COD"], data_expected_from=at(10, 0))
    morning = [
        line(p, "7.1" if p == "pH" else "40", at(10, m)) for m in range(0, 60, 5) for p in ("pH", "COD")
    ]
    statuses = {30: "01", 35: "01", 50: "02"}
    noon = [line("COD", "60", at(12, m), statuses.get(m, "00")) for m in range(30, 60, 5) if m != 40]
    write(tmp_path, file_name("NT1", at(11, 0)), morning)
    write(tmp_path, file_name("NT1", at(13, 0)), noon)
    assert ingest(app, tmp_path)["accepted"] == 2
    db.session.add(
        ExcuseWindow(
            station_id=station.id,
            kind="maintenance",
            status="approved",
            starts_at=at(11, 0),
            expected_end_at=at(11, 30),
            reason="bảo trì",
        )
    )
    db.session.flush()
    return station


def page_figures(page: str) -> dict[tuple[str, str], dict[str, str]]:
    """The figures table as (item, variant) -> figure -> data-value."""
    found = {}
    for item, variant, cells in re.findall(
        r'<tr data-item="([^"]+)" data-variant="([^"]+)"[^>]*>(.*?)</tr>', page, re.S
    ):
        found[item, variant] = dict(re.findall(r'data-figure="([^"]+)" data-value="([^"]*)"', cells))
    return found


def value(text: str) -> float | None:
    return None if text == "" else float(text)


def test_the_page_shows_the_figures_of_station_completeness_raw_and_excused(
    app, client, make_user, login, station
):
    login(make_user("inspector"))
    page = client.get(f"/stations/NT1/data?{MONTH}").get_data(as_text=True)
    shown = page_figures(page)
    now = utcnow()

    for variant, excused in (("raw", False), ("excused", True)):
        expected = station_completeness(station, FIRST, LAST, now, excused=excused)
        row = shown["station", variant]
        assert int(row["expected"]) == expected["expected_slots"]
        assert int(row["data_slots"]) == expected["data_slots"]
        for key in ("transmission_rate", "validity_rate", "effective_rate", "connection_rate"):
            assert value(row[key]) == expected[key], (variant, key)
        for code, figures in expected["parameters"].items():
            row = shown[code, variant]
            assert [int(row[k]) for k in ("expected", "received", "valid")] == [
                figures["expected"],
                figures["received"],
                figures["valid"],
            ]
            for key in ("transmission_rate", "validity_rate", "effective_rate"):
                assert value(row[key]) == figures[key], (variant, code, key)
    assert shown["station", "excused"]["expected"] != shown["station", "raw"]["expected"]


def test_exact_rates_round_the_counts_half_up():
    figures = {"expected": 400, "received": 349, "valid": 349}  # 87.25%
    rates = station_data.parameter_rates(figures)
    assert fraction_percent(rates.effective) == "87,3%"
    assert fraction_percent(None) == "—"


def test_the_gap_list_marks_gaps_of_an_hour_or_more(app, client, make_user, login, station):
    login(make_user("inspector"))
    now = utcnow()
    for variant, excused in (("raw", False), ("excused", True)):
        page = client.get(f"/stations/NT1/data?{MONTH}&gaps={variant}").get_data(as_text=True)
        rows = re.findall(r'data-gap-start="([^"]+)" data-slots="(\d+)" data-long="(yes|no)"', page)
        gaps = station_completeness(station, FIRST, LAST, now, excused=excused)["gaps"]
        assert [(start, int(slots)) for start, slots, _ in rows] == [(g["start"], g["slots"]) for g in gaps]
        assert all((long == "yes") == (int(slots) >= 12) for _, slots, long in rows)
    raw = client.get(f"/stations/NT1/data?{MONTH}").get_data(as_text=True)
    assert re.findall(r'data-gap-start="([^"]+)" data-slots="(\d+)" data-long="(yes|no)"', raw)[:2] == [
        ("2026-01-15T11:00:00+07:00", "18", "yes"),
        ("2026-01-15T12:40:00+07:00", "1", "no"),
    ]
    long_only = client.get(f"/stations/NT1/data?{MONTH}&long=1").get_data(as_text=True)
    assert 'data-long="no"' not in long_only


def test_the_calendar_shows_each_day_effective_rate(app, station):
    now = utcnow()
    daily = station_data.daily_effective(station, FIRST, LAST, now)
    day = date(2026, 1, 15)
    for excused in (False, True):
        valid, expected = daily[excused][day]
        figures = station_completeness(station, day, day, now, excused=excused)
        assert valid / expected == figures["effective_rate"]
    assert daily[False][date(2026, 1, 14)] == (0, 0)


def test_the_chart_endpoint_returns_svg_with_status_bands_and_the_limit(
    app, client, make_user, login, station
):
    station.facility.qcvn_column = "A"
    login(make_user("inspector"))

    response = client.get("/stations/NT1/chart?parameter=COD&day=2026-01-15&span=day")

    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert svg.startswith("<svg") and "style=" not in svg
    assert svg.count("<title>calibrating</title>") == 1  # 12:30 and 12:35 merged
    assert svg.count("<title>error</title>") == 1
    assert svg.count("<title>excused</title>") == 1
    assert 'stroke="#b3261e"' in svg  # the COD limit of column A
    week = client.get("/stations/NT1/chart?parameter=COD&day=2026-01-15&span=week")
    assert week.status_code == 200 and "<title>calibrating</title>" in week.get_data(as_text=True)
    assert client.get("/stations/NT1/chart?parameter=NOX&day=2026-01-15").status_code == 404
    assert client.get("/stations/NT1/chart?parameter=COD&day=15-01-2026").status_code == 400
    assert client.get("/stations/NT1/chart?parameter=COD&span=month").status_code == 400


def test_status_bands_merge_adjacent_slots_of_one_kind():
    from app.charts.svg import Point

    points = [Point(at(12, m), 1.0, s) for m, s in ((30, 1), (35, 1), (40, 0), (45, 2), (50, 1))]
    bands = station_data.status_bands(points)
    assert [(b.kind, b.start, b.end) for b in bands] == [
        ("calibrating", at(12, 30), at(12, 40)),
        ("error", at(12, 45), at(12, 50)),
        ("calibrating", at(12, 50), at(12, 55)),
    ]


def test_the_page_shows_the_chart_last_file_and_exceedances(app, client, make_user, login, station):
    station.facility.qcvn_column = "A"
    login(make_user("leader"))
    page = client.get(f"/stations/NT1/data?{MONTH}&parameter=COD&day=2026-01-15").get_data(as_text=True)
    assert 'data-parameter="COD" data-points="17"' in page
    assert re.search(r'data-last-file="\d+"', page)
    assert 'data-limit="COD" data-source="regulation"' in page
    assert 'data-parameter="COD" data-day="2026-01-15" data-exceeded="0" data-with-mean="1"' in page
    assert client.get("/stations/NT1/data?month=2026-13").status_code == 400


def test_the_station_page_includes_the_receipt_summary(app, client, make_user, login, station):
    login(make_user("inspector"))
    page = client.get("/stations/NT1").get_data(as_text=True)
    assert 'id="receipt"' in page
    assert re.search(r'data-last-file="\d+"', page)


def test_line_errors_and_conflicts_latest_first_and_paginated(
    app, client, make_user, login, station, tmp_path
):
    bad = [f"pH\tnot-a-number\tmg/L\t{at(14, 0):%Y%m%d%H%M%S}\t00" for _ in range(30)]
    conflicting = [line("pH", "8.5", at(10, 0)), line("pH", "8.6", at(10, 5))]
    write(tmp_path / "more", file_name("NT1", at(14, 0)), [*bad, *conflicting])
    ingest(app, tmp_path / "more")
    login(make_user("inspector"))

    first = client.get("/stations/NT1/errors").get_data(as_text=True)
    second = client.get("/stations/NT1/errors?page=2").get_data(as_text=True)

    ids = [int(i) for i in re.findall(r'data-line-error="(\d+)"', first)]
    assert len(ids) == 25 and ids == sorted(ids, reverse=True)
    assert len(re.findall(r'data-line-error="(\d+)"', second)) == 5
    conflicts = [int(i) for i in re.findall(r'data-conflict="(\d+)"', first)]
    assert len(conflicts) == 2 and conflicts == sorted(conflicts, reverse=True)


def test_enterprise_users_see_only_their_own_stations_data(
    app, client, make_user, login, station, make_facility
):
    other = new_station("NT2", parameters=["COD"], data_expected_from=at(0, 0))
    login(make_user("enterprise", enterprise=station.facility.enterprise))

    assert client.get(f"/stations/NT1/data?{MONTH}").status_code == 200
    assert client.get("/stations/NT1/chart?parameter=COD&day=2026-01-15").status_code == 200
    assert client.get("/stations/NT1/errors").status_code == 200
    for url in ("/stations/NT2/data", "/stations/NT2/chart?parameter=COD", "/stations/NT2/errors"):
        assert client.get(url).status_code == 404, url
    assert other.facility.enterprise_id != station.facility.enterprise_id
    assert client.get("/telemetry/overview").status_code == 403


def test_an_ambient_station_has_data_but_no_limits(app, client, make_user, login):
    new_station("KK1", kind="ambient", parameters=["PM10"], data_expected_from=at(0, 0))
    login(make_user("inspector"))
    page = client.get(f"/stations/KK1/data?{MONTH}").get_data(as_text=True)
    assert 'data-item="PM10" data-variant="raw"' in page
    assert "data-limit=" not in page
    assert client.get("/stations/KK1/chart?parameter=PM10&day=2026-01-15").status_code == 200
