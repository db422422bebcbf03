"""SVG charts: well-formed, escaped, no inline style, gaps break the line."""

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

from app.charts.svg import Band, Point, bar_chart, line_chart, month_calendar

NS = "{http://www.w3.org/2000/svg}"


def parse(svg):
    root = ET.fromstring(str(svg))
    assert root.tag == NS + "svg"
    assert "style" not in str(svg)  # presentation attributes only (CSP without unsafe-inline)
    return root


def test_line_chart_breaks_at_gaps_and_marks_bands():
    start = datetime(2026, 1, 15, 0, 0, tzinfo=UTC)
    points = [Point(start + timedelta(minutes=5 * i), 7.0 + i / 10) for i in range(6)]
    points += [Point(start + timedelta(hours=2, minutes=5 * i), 8.0) for i in range(3)]
    svg = line_chart(
        points,
        start,
        start + timedelta(hours=3),
        title="pH <script>",
        unit="mg/L",
        bands=[Band(start + timedelta(minutes=30), start + timedelta(minutes=45), "calibrating")],
        limit=9,
    )
    root = parse(svg)
    assert len(root.findall(f"{NS}polyline")) == 2
    assert root.find(f"{NS}title").text == "pH <script>"
    assert "&lt;script&gt;" in str(svg)
    assert any(r.get("fill") == "#ffe8a3" for r in root.findall(f"{NS}rect"))


def test_single_point_and_empty_series():
    start = datetime(2026, 1, 15, tzinfo=UTC)
    parse(line_chart([Point(start, 1.0)], start, start + timedelta(hours=1), title="x"))
    parse(line_chart([], start, start + timedelta(hours=1), title="empty"))


def test_month_calendar_colours_by_target():
    days = {date(2026, 1, 1): (288, 288), date(2026, 1, 2): (100, 288), date(2026, 1, 3): (0, 0)}
    svg = month_calendar(2026, 1, days, title="Tháng 1/2026", target=0.9)
    root = parse(svg)
    fills = [r.get("fill") for r in root.findall(f"{NS}rect")]
    assert len(fills) == 31
    assert "#9bd3a6" in fills and "#f4a3a0" in fills
    assert "100,0%" in str(svg) and "34,7%" in str(svg)


def test_bar_chart():
    root = parse(bar_chart(["Xã A", "Phường B"], [3, 5], title="Cơ sở"))
    assert len(root.findall(f"{NS}rect")) == 2
