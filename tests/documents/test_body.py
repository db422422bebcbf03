"""Safe body HTML: every text escaped, numbers formatted, charts in the bundled font."""

from datetime import UTC, datetime, timedelta

import pytest
from markupsafe import Markup

from app.charts.svg import Point, line_chart
from app.documents.body import FONT_FAMILY, Table, body_html, chart, heading, items, paragraph, table


def test_texts_are_escaped():
    html = body_html(["<script>alert(1)</script>", heading("1. <b>Căn cứ</b>"), items(["a & b"])])
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "a &amp; b" in html
    assert paragraph("x", indent=False) == Markup('<p class="flush">x</p>')


def test_table_formats_numbers_and_escapes_cells():
    html = table(
        Table(
            ["Thông số", "Dự kiến", "Tỷ lệ"],
            [["<i>pH</i>", 8928, "78,5%"], ["COD", 0.5, None]],
            caption="Bảng 1 <x>",
            footer=["Tổng", 17856, ""],
        )
    )
    assert "&lt;i&gt;pH&lt;/i&gt;" in html and "Bảng 1 &lt;x&gt;" in html
    assert '<td class="num">8.928</td>' in html and '<td class="num">0,5</td>' in html
    assert '<td class="num">78,5%</td>' in html
    assert '<th class="num">17.856</th>' in html
    with pytest.raises(ValueError):
        table(Table(["a", "b"], [["only one"]]))


def test_columns_asked_not_to_wrap_are_marked_so():
    html = table(Table(["Mã", "Tên", "Từ tháng"], [["CT-GI-002", "Nhà máy <A>", "11/2026"]], nowrap=(0, 2)))
    assert '<td class="nowrap">CT-GI-002</td>' in html
    assert "<td>Nhà máy &lt;A&gt;</td>" in html
    assert '<td class="nowrap">11/2026</td>' in html


def test_body_rejects_unknown_blocks():
    with pytest.raises(TypeError):
        body_html([42])


def test_chart_uses_the_bundled_font_and_the_text_width():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    points = [Point(start + timedelta(minutes=5 * i), 7.0) for i in range(5)]
    svg = line_chart(points, start, start + timedelta(hours=1), title="pH <b>")
    html = chart(svg, "Hình 1. <pH>")
    root = html[html.index("<svg") : html.index(">", html.index("<svg")) + 1]
    assert f'font-family="{FONT_FAMILY}"' in root and "DejaVu" not in root
    assert ' width="' not in root and 'viewBox="0 0 720 240"' in root
    assert "<figcaption>Hình 1. &lt;pH&gt;</figcaption>" in html
    with pytest.raises(TypeError):
        chart("<svg></svg>")
    with pytest.raises(ValueError):
        chart(Markup("<p>no chart</p>"))
