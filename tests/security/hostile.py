"""Hostile texts: markup, script, SQL fragments, template syntax, bidi controls, very long names."""

from __future__ import annotations

from markupsafe import escape

SCRIPT = '<script>alert("xss")</script>'
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
SQL = "Công ty A'; DROP TABLE facilities; --"
TEMPLATE = "{{ 7*7 }} {% if 1 %}x{% endif %}"
# Right-to-left override, pop, isolate: could turn the text after a name around.
BIDI = "Công ty \u202egnòhp\u202c \u2067ثابت\u2069 \u200fnhãn"
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
LONG = (
    "Công ty Trách nhiệm Hữu hạn Một thành viên Chế biến Thủy sản Xuất khẩu Đồng bằng sông Cửu Long " * 4
)[:300].strip()
FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]

TEXTS = {
    "script": SCRIPT,
    "attribute": ATTRIBUTE,
    "sql": SQL,
    "template": TEMPLATE,
    "bidi": BIDI,
    "long": LONG,
}


def shown(text: str) -> str:
    """How a hostile text must look once stored: bidi embedding, override and isolate controls removed."""
    return "".join(c for c in text if c not in BIDI_CONTROLS)


def problems_in_html(html: str, text: str) -> list[str]:
    """Why a page does not show ``text`` escaped (empty when it does)."""
    problems = []
    expected = str(escape(shown(text)))
    if expected not in html:
        problems.append(f"{text[:40]!r} is not shown escaped")
    if "<" in text and shown(text) in html:
        problems.append(f"{text[:40]!r} is in the page as markup")
    if any(c in html for c in BIDI_CONTROLS):
        problems.append("a bidi control character reached the page")
    return problems
