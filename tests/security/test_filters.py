"""Filters and search boxes never widen an enterprise user's view to another enterprise's objects."""

from __future__ import annotations

import re
from html import unescape

from markupsafe import escape

from tests.conftest import PASSWORD
from tests.security.checks import visible_text
from tests.security.conftest import count
from tests.security.matrix import cases_for, is_public_page

FORM_RE = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.I | re.S)
FIELD_RE = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", re.I)


def _get_fields(html: str) -> set[str]:
    """The field names of the page's GET forms (filters, search)."""
    names = set()
    for attributes, inner in FORM_RE.findall(html):
        if 'method="post"' in attributes.lower():
            continue
        names |= {unescape(n) for n in FIELD_RE.findall(inner) if n != "csrf_token"}
    return names


def test_every_filter_with_another_enterprises_values_shows_nothing_of_it(app, client, world):
    other = world.other.objects
    values = {
        other["facility"].code,
        other["station"].code,
        str(other["enterprise"].id),
        str(other["facility"].id),
        str(other["station"].id),
        other["enterprise"].name,
        "",
    }
    response = client.post("/login", data={"email": world.users["enterprise"].email, "password": PASSWORD})
    assert response.status_code == 302
    leaks, tried = [], 0
    for case in cases_for(app, world, "enterprise"):
        if case.method != "GET" or case.expected != 200 or case.side == "other":
            continue
        page = client.get(case.url)
        fields = _get_fields(page.get_data(as_text=True)) if page.mimetype == "text/html" else set()
        page.close()
        # The public page lists every obliged facility by name and code: there, private fields count.
        markers = (
            world.own.private + world.other.private if is_public_page(case.endpoint) else world.other.markers
        )
        for field in sorted(fields | {"enterprise", "facility", "station", "enterprise_id", "q", "code"}):
            for value in values:
                answer = client.get(case.url, query_string={field: value})
                text = visible_text(answer) or ""
                answer.close()
                if value:  # the filter box shows what was typed; the objects found are what counts
                    text = text.replace(value, "").replace(str(escape(value)), "")
                leaks += [f"{case.url}?{field}={value}: {m}" for m in markers if m in text]
                tried += 1
    count("filter requests of the enterprise user with another enterprise's values", tried)
    assert tried > 100
    assert leaks == []


def test_control_the_search_finds_the_other_enterprise_for_staff(client, world):
    """The same search by an inspector finds B's facility, so the enterprise user's empty result means something."""
    response = client.post("/login", data={"email": world.users["inspector"].email, "password": PASSWORD})
    assert response.status_code == 302
    code = world.other.objects["facility"].code
    text = client.get("/facilities/", query_string={"q": code}).get_data(as_text=True).replace(code, "")
    assert world.other.markers[-1] in text  # B's facility name, found by its code
