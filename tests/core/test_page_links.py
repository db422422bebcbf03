"""The page links of paginated lists: the list's filters kept, previous and next where they exist."""

from flask import render_template_string


def links(app, url: str, page: int, pages: int, endpoint: str) -> str:
    with app.test_request_context(url):
        return render_template_string(
            '{% from "_macros/forms.html" import page_links %}{{ page_links(page, pages, endpoint) }}',
            page=page,
            pages=pages,
            endpoint=endpoint,
        )


def test_a_middle_page_links_both_ways_and_keeps_the_filters(app):
    html = links(app, "/cases/?status=all&commune=X&page=2", 2, 3, "cases.list")

    assert 'href="/cases/?status=all&amp;commune=X&amp;page=1"' in html
    assert 'href="/cases/?status=all&amp;commune=X&amp;page=3"' in html


def test_the_first_and_last_pages_link_one_way_and_a_single_page_has_no_links(app):
    first = links(app, "/dashboard/facilities?measure=obliged", 1, 2, "dashboard.facilities")
    last = links(app, "/dashboard/facilities?measure=obliged&page=2", 2, 2, "dashboard.facilities")

    assert "page=2" in first and "page=0" not in first and "page=1" not in first
    assert "page=1" in last and "page=3" not in last
    assert "pager" not in links(app, "/cases/", 1, 1, "cases.list")
