"""Safe body HTML for documents: paragraphs, headings, tables and charts, every text escaped.

The renderer takes the body as :class:`markupsafe.Markup` and trusts it; build it here
(or escape it yourself) so that data such as a company name can never inject markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

from app.formatting import format_number

FONT_FAMILY = "Liberation Serif"
_SVG_ROOT = re.compile(r"<svg\b[^>]*>")
_FONT_ATTRIBUTE = re.compile(r'\sfont-family="[^"]*"')
_SIZE_ATTRIBUTES = re.compile(r'\s(?:width|height)="[^"]*"')
_NUMERIC_TEXT = re.compile(r"^[-+−]?\d[\d.]*(,\d+)?\s*%?$|^—$")

Cell = str | int | float | Decimal | None


@dataclass(frozen=True)
class Table:
    """A table of plain values; numbers (and texts such as ``87,3%``) are right-aligned.

    Numbers are formatted the Vietnamese way (``8.928``, ``0,5``).
    """

    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    caption: str = ""
    footer: Sequence[Cell] = ()
    # Columns whose cells never wrap (codes such as ``CT-GI-002``, which would break at a hyphen).
    nowrap: Sequence[int] = ()


Block = str | Table | Markup


def paragraph(text: str, *, indent: bool = True) -> Markup:
    """A body paragraph (first line indented, justified)."""
    css = "" if indent else ' class="flush"'
    return Markup(f"<p{css}>{escape(text)}</p>")


def heading(text: str) -> Markup:
    """A bold run-in heading such as ``1. Căn cứ pháp lý``."""
    return Markup(f'<p class="heading">{escape(text)}</p>')


def items(texts: Iterable[str]) -> Markup:
    """Indented lines starting with a dash (requests, legal bases)."""
    return Markup("".join(f'<p class="item">- {escape(t)}</p>' for t in texts))


def _cell(value: Cell, tag: str, nowrap: bool = False) -> str:
    extra = " nowrap" if nowrap else ""
    if value is None:
        return f"<{tag}></{tag}>"
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return f'<{tag} class="num{extra}">{escape(format_number(value))}</{tag}>'
    if _NUMERIC_TEXT.match(str(value).strip()):
        return f'<{tag} class="num{extra}">{escape(value)}</{tag}>'
    if nowrap:
        return f'<{tag} class="nowrap">{escape(value)}</{tag}>'
    return f"<{tag}>{escape(value)}</{tag}>"


def table(data: Table) -> Markup:
    """A bordered data table with a repeated header row when it breaks across pages."""
    parts = ['<table class="data">']
    if data.caption:
        parts.append(f"<caption>{escape(data.caption)}</caption>")
    parts.append("<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in data.header) + "</tr></thead>")
    parts.append("<tbody>")
    for row in data.rows:
        if len(row) != len(data.header):
            raise ValueError(f"a row has {len(row)} cells for {len(data.header)} columns")
        cells = (_cell(v, "td", i in data.nowrap) for i, v in enumerate(row))
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody>")
    if data.footer:
        parts.append("<tfoot><tr>" + "".join(_cell(v, "th") for v in data.footer) + "</tr></tfoot>")
    parts.append("</table>")
    return Markup("".join(parts))


def chart(svg: Markup, caption: str = "") -> Markup:
    """An SVG chart of ``app.charts.svg`` as a figure scaled to the text width.

    Its font is switched to the bundled serif so the PDF does not depend on the
    machine's fonts; its fixed size gives way to the figure's width (the viewBox keeps
    the proportions).
    """
    if not isinstance(svg, Markup):
        raise TypeError("a chart is the Markup of app.charts.svg")
    source = str(svg)
    root = _SVG_ROOT.search(source)
    if root is None:
        raise ValueError("not an SVG element")
    tag = _SIZE_ATTRIBUTES.sub("", _FONT_ATTRIBUTE.sub("", root.group(0)))
    tag = tag[:-1].rstrip("/ ") + f' font-family="{FONT_FAMILY}">'
    inner = source[: root.start()] + tag + source[root.end() :]
    caption_html = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return Markup(f'<figure class="chart">{inner}{caption_html}</figure>')


def body_html(blocks: Iterable[Block]) -> Markup:
    """The body from blocks: a plain string is an escaped paragraph, a Table a table, Markup as is."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Markup):
            parts.append(block)
        elif isinstance(block, Table):
            parts.append(table(block))
        elif isinstance(block, str):
            parts.append(paragraph(block))
        else:
            raise TypeError(f"not a body block: {type(block).__name__}")
    return Markup("".join(parts))
