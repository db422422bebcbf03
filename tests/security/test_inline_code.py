"""No page template holds code the Content-Security-Policy would block (its branches the matrix may miss)."""

from __future__ import annotations

from pathlib import Path

from tests.security.checks import inline_code
from tests.security.conftest import count

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Not served as pages: e-mails are read in mail clients, documents are printed to PDF.
NOT_PAGES = {"emails", "documents"}


def test_page_templates_have_no_inline_script_style_or_handlers():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        if path.relative_to(TEMPLATES).parts[0] in NOT_PAGES:
            continue
        found += [
            f"{path.relative_to(TEMPLATES)}: {p}" for p in inline_code(path.read_text(encoding="utf-8"))
        ]
        count("page templates checked for inline code")
    assert found == []


def test_the_check_finds_inline_code():
    html = '<p style="x"><script>1</script><a href="javascript:x" onclick="y"><style>p{}</style>'
    assert len(inline_code(html)) == 5
    assert inline_code('<script src="/static/quantrac.js" defer></script><p class="x">') == []
