"""Hostile text posted in every field of every form page comes back escaped, re-shown or stored."""

from __future__ import annotations

import ast
import re
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

from tests.conftest import PASSWORD
from tests.security.conftest import count
from tests.security.hostile import SCRIPT
from tests.security.matrix import cases_for

APP = Path(__file__).resolve().parents[2] / "app"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE = f"{SCRIPT} {IMG}"
FORM_RE = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.I | re.S)
ACTION_RE = re.compile(r'\baction="([^"]+)"')
# Posting these would end the session the test walks with.
NOT_POSTED = {"/logout", "/login"}
FIELD_RE = re.compile(r"<(input|textarea|select)\b([^>]*)>", re.I)
NAME_RE = re.compile(r'\bname="([^"]+)"')
TYPE_RE = re.compile(r'\btype="([^"]+)"')
SKIPPED_TYPES = {"hidden", "file", "submit", "checkbox", "radio", "password"}
ROLE_ORDER = ("inspector", "enterprise", "leader", "admin")


def _fields(html: str) -> list[str]:
    names = []
    for _tag, attributes in FIELD_RE.findall(html):
        name, kind = NAME_RE.search(attributes), TYPE_RE.search(attributes)
        if name and (kind is None or kind.group(1) not in SKIPPED_TYPES) and name.group(1) != "csrf_token":
            names.append(name.group(1))
    return names


def _raw(html: str) -> list[str]:
    return [text for text in (SCRIPT, IMG) if text in html]


def _forms(html: str, url: str) -> dict[str, list[str]]:
    """The page's POST forms: action (the page itself when none) -> the text fields inside."""
    found = {}
    for attributes, inner in FORM_RE.findall(html):
        if 'method="post"' not in attributes.lower():
            continue
        action = ACTION_RE.search(attributes)
        names = _fields(inner)
        if names:
            found[unescape(action.group(1)) if action else url] = names
    return found


def test_every_form_shows_hostile_input_escaped(app, world):
    """Every POST form of every page each role opens, every text field hostile; the answer and where it leads."""
    problems, posted = [], set()
    client = app.test_client()
    for role in ROLE_ORDER:
        client.post("/logout")  # the test's app context keeps the last user until then
        response = client.post("/login", data={"email": world.users[role].email, "password": PASSWORD})
        assert response.status_code == 302
        for case in cases_for(app, world, role):
            if case.method != "GET" or case.expected != 200 or case.side == "other":
                continue
            page = client.get(case.url)
            if page.mimetype != "text/html":
                page.close()
                continue
            for action, names in _forms(page.get_data(as_text=True), case.url).items():
                path = urlsplit(action).path
                if path in posted or path in NOT_POSTED:
                    continue
                posted.add(path)
                answer = client.post(action, data={name: HOSTILE for name in names})
                html = answer.get_data(as_text=True)
                if answer.status_code in (301, 302, 303):
                    html += client.get(answer.headers["Location"]).get_data(as_text=True)
                problems += [f"{action} ({role}): {text} came back raw" for text in _raw(html)]
                if answer.status_code >= 500:
                    problems.append(f"{action} ({role}): {answer.status_code}")
                count("forms posted with hostile text in every field")
    assert len(posted) >= 25
    assert problems == []


def test_no_lazy_translation_interpolates_values():
    """Flask-Babel's lazy strings are marked safe: a value put into one would reach the page unescaped."""
    found = []
    for path in sorted(APP.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_l", "lazy_gettext")
                and (node.keywords or len(node.args) > 1)
            ):
                found.append(f"{path.relative_to(APP.parent)}:{node.lineno}")
    assert found == [], "use gettext for messages with values: " + ", ".join(found)
