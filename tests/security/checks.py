"""Checks applied to every response of the security suite: headers, inline code, leaks."""

from __future__ import annotations

import re
from io import BytesIO

from openpyxl import load_workbook

# What a Content-Security-Policy without 'unsafe-inline' blocks in a page.
INLINE_PATTERNS = {
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "style= attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
    "<style> block": re.compile(r"<style[\s>]", re.I),
    "on…= handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"(href|src|action)\s*=\s*[\"']?\s*javascript:", re.I),
}


def header_problems(response) -> list[str]:
    """What is missing from the response's security headers."""
    problems = []
    csp = response.headers.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part for part in (p.strip() for p in csp.split(";")) if part}
    for name in ("script-src", "style-src"):
        if name not in directives and "default-src" not in directives:
            problems.append(f"CSP has no {name}")
        if "'unsafe-inline'" in directives.get(name, "") or "'unsafe-eval'" in directives.get(name, ""):
            problems.append(f"CSP {name} allows unsafe code")
    if "frame-ancestors 'none'" not in csp:
        problems.append("CSP does not deny framing")
    if "object-src 'none'" not in csp:
        problems.append("CSP allows plugins")
    expected = {
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }
    for name, value in expected.items():
        if response.headers.get(name) != value:
            problems.append(f"{name} is {response.headers.get(name)!r}, not {value!r}")
    return problems


def inline_code(html: str) -> list[str]:
    """The inline scripts, styles and handlers of a page that the CSP would block."""
    found = []
    for label, pattern in INLINE_PATTERNS.items():
        for match in pattern.finditer(html):
            found.append(f"{label}: {match.group(0)[:80]}")
    return found


def visible_text(response) -> str | None:
    """The text a user gets from a response (the cells of a spreadsheet); None for binary files."""
    mimetype = response.mimetype or ""
    if mimetype.startswith("text/") or mimetype == "application/json":
        return response.get_data(as_text=True)
    if mimetype.endswith("spreadsheetml.sheet"):
        book = load_workbook(BytesIO(response.data), read_only=True)
        cells = [
            str(v)
            for sheet in book
            for row in sheet.iter_rows(values_only=True)
            for v in row
            if v is not None
        ]
        book.close()
        return "\n".join(cells)
    return None
