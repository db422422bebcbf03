"""Hostile text in the filters and search boxes of every staff page, the dashboard's drill-down included."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.conftest import PASSWORD
from tests.security.conftest import count
from tests.security.hostile import ATTRIBUTE, SCRIPT
from tests.security.matrix import cases_for
from tests.security.test_filters import _get_fields

# The dashboard's drill-down is reached by links, not a form: its query values are tried by name,
# with each group so that the value is read (it is ignored without a known group).
DRILL_QUERIES = [
    {"measure": ATTRIBUTE},
    {"month": ATTRIBUTE},
    {"scope": ATTRIBUTE},
    {"page": ATTRIBUTE},
    {"group": "commune", "value": ATTRIBUTE},
    {"group": "industry", "value": SCRIPT},
    {"group": "district", "value": SCRIPT},
    {"group": ATTRIBUTE, "value": SCRIPT},
]


def _queries(endpoint: str, html: str) -> list[dict[str, str]]:
    """Each GET-form field of the page (and the usual search names) with hostile text, one at a time."""
    fields = _get_fields(html) | {"q"}
    queries = [{field: text} for field in sorted(fields) for text in (SCRIPT, ATTRIBUTE)]
    return queries + (DRILL_QUERIES if endpoint.startswith("dashboard.") else [])


@pytest.mark.parametrize("role", ["inspector", "leader"])
def test_hostile_text_in_every_filter_is_shown_escaped(app, client, world, role):
    response = client.post("/login", data={"email": world.users[role].email, "password": PASSWORD})
    assert response.status_code == 302
    wrong, tried, endpoints = [], 0, set()
    for case in cases_for(app, world, role):
        if case.method != "GET" or case.expected != 200 or case.side == "other":
            continue
        page = client.get(case.url)
        html = page.get_data(as_text=True) if page.mimetype == "text/html" else None
        page.close()
        if html is None:
            continue
        for query in _queries(case.endpoint, html):
            path = urlsplit(case.url)
            answer = client.get(path.path, query_string={**dict(parse_qsl(path.query)), **query})
            text = answer.get_data(as_text=True) if answer.mimetype == "text/html" else ""
            answer.close()
            tried += 1
            endpoints.add(case.endpoint)
            if answer.status_code >= 500:
                wrong.append(f"{case.url}?{query}: {answer.status_code}")
            for hostile in (SCRIPT, ATTRIBUTE, "<img src=x"):
                if hostile in text:
                    wrong.append(f"{case.url}?{query}: {hostile!r} shown unescaped")
    count(f"filter requests of the {role} with hostile text", tried)
    # The new domains' filters are among those tried.
    assert {"dashboard.index", "dashboard.facilities", "inspections.list", "reports.list"} <= endpoints
    assert wrong == []
