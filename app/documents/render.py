"""Render a :class:`Document` to PDF bytes with WeasyPrint: pure, no Flask, no database.

WeasyPrint is imported here at module top so a worker pays its import once per process.
The agency block comes in as a plain dict (``app.settings.services.agency()``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import jinja2
import segno
from markupsafe import Markup
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from app.documents import layout
from app.documents.layout import DocumentType
from app.documents.measure import balanced_lines

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
FONTS_DIR = STATIC_DIR / "fonts"
TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates" / "documents"
BASE_URL = STATIC_DIR.as_uri() + "/"
# Widths (mm) the header texts are broken to, matching document.css: 165 mm of text
# width, the agency block 40% of it less its padding, a typed summary 84%.
AGENCY_WIDTH = 62.0
SUMMARY_WIDTH = 136.0


@dataclass(frozen=True)
class Signer:
    """Who signs: the authority line (``KT. GIÁM ĐỐC``, may be empty), the title and the full name."""

    name: str
    title: str
    authority: str = ""


@dataclass(frozen=True)
class Document:
    """Everything printed on one document; ``body`` is trusted Markup (see ``app.documents.body``).

    ``number`` None leaves the number blank (a draft before issue); ``issued_on`` None
    leaves the date's figures blank. ``symbol`` is the register's text after the number
    (``SNNMT-CCBVMT``, ``TB-SNNMT``). ``addressees`` fill "Kính gửi" (official letter and
    invitation only); ``copies_to`` the "Nơi nhận" list, which ends with "Lưu: VT,
    ``filed_with``" (default: the division's abbreviation). ``signers`` default to the
    agency's signatory; two signers (minutes) sign side by side. ``agency`` has the keys
    of ``app.settings.services.agency()``.
    """

    type: DocumentType
    symbol: str
    summary: str
    body: Markup
    agency: Mapping[str, Any]
    number: int | None = None
    issued_on: date | None = None
    addressees: tuple[str, ...] = ()
    copies_to: tuple[str, ...] = ()
    filed_with: str = ""
    signers: tuple[Signer, ...] = ()
    verification_url: str = ""
    is_draft: bool = False


class DocumentError(ValueError):
    """A document that cannot be laid out as asked."""


class _LocalFetcher(URLFetcher):
    """Fetches only inline data and the bundled fonts; anything else stops the rendering."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data", "file"}, fail_on_errors=True)

    def fetch(self, url, headers=None):
        """Refuse a file outside the fonts folder (and every network URL)."""
        if url.startswith("file:"):
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if not path.is_relative_to(FONTS_DIR):
                raise ValueError(f"not a bundled resource: {url}")
        return super().fetch(url, headers)


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.cache
def _stylesheet() -> Markup:
    return Markup((TEMPLATES_DIR / "document.css").read_text(encoding="utf-8"))


def qr_data_uri(url: str) -> str:
    """A QR code of ``url`` as an SVG data URI (vector, medium error correction)."""
    return segno.make(url, error="m", micro=False).svg_data_uri(border=2, scale=1, dark="#000")


def _check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise DocumentError(f"the verification link must be an http(s) URL: {url!r}")
    return url


def _signers(document: Document) -> tuple[Signer, ...]:
    if document.signers:
        if len(document.signers) > 2:
            raise DocumentError("at most two signers side by side")
        return document.signers
    agency = document.agency
    return (
        Signer(
            name=agency["signatory_name"],
            title=agency["signatory_title"],
            authority=agency.get("signatory_authority", ""),
        ),
    )


def _subject_lines(kind: DocumentType, summary: str) -> list[str]:
    subject = layout.subject_line(kind, summary)
    if layout.type_name(kind):
        return balanced_lines(subject, SUMMARY_WIDTH, 14, bold=True)
    return balanced_lines(subject, AGENCY_WIDTH, 12.5)


def context(document: Document) -> dict[str, Any]:
    """The plain values the template prints (every text still to be escaped by Jinja)."""
    kind = DocumentType(document.type)
    if layout.has_addressee(kind) != bool(document.addressees):
        needs = "needs" if layout.has_addressee(kind) else "has no"
        raise DocumentError(f"a {kind.name.lower().replace('_', ' ')} {needs} 'Kính gửi' addressees")
    if not isinstance(document.body, Markup):
        raise DocumentError("the body must be Markup built with app.documents.body")
    agency = document.agency
    filed_with = document.filed_with or agency.get("division_abbreviation", "")
    return {
        "title": " ".join(filter(None, [layout.type_name(kind), document.summary])),
        "is_draft": document.is_draft,
        "draft_mark": layout.DRAFT_MARK,
        "superior_lines": balanced_lines(agency["superior_body"], AGENCY_WIDTH, 13, upper=True),
        "agency_lines": balanced_lines(agency["name"], AGENCY_WIDTH, 13, bold=True, upper=True),
        "agency_name": agency["name"],
        "national_name": layout.NATIONAL_NAME,
        "motto": layout.MOTTO,
        "number_line": layout.number_line(document.number, document.symbol),
        "date_line": layout.date_line(agency["province"], document.issued_on),
        "type_name": layout.type_name(kind),
        "subject_lines": _subject_lines(kind, document.summary),
        "addressee_label": layout.ADDRESSEE_LABEL,
        "addressees": layout.addressee_lines(document.addressees),
        "distribution_label": layout.DISTRIBUTION_LABEL,
        "distribution": layout.distribution_lines(document.copies_to, filed_with),
        "signers": _signers(document),
        "verification_url": _check_url(document.verification_url) if document.verification_url else "",
        "qr_uri": qr_data_uri(document.verification_url) if document.verification_url else "",
    }


def render_html(document: Document, template: str = "base.html") -> str:
    """The final HTML of a document, stylesheet inlined; resolve it against ``BASE_URL``."""
    page = _environment().get_template(template)
    return page.render(d=context(document), body=document.body, css=_stylesheet())


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of a final document HTML, fetching nothing but the bundled fonts and data URIs."""
    try:
        return HTML(string=html, base_url=BASE_URL, url_fetcher=_LocalFetcher()).write_pdf()
    except FatalURLFetchingError as error:
        raise DocumentError(f"{error} ({error.__cause__})") from error


def render_pdf(document: Document, template: str = "base.html") -> bytes:
    """The document as PDF bytes (A4, Decree 30/2020 layout, bundled fonts)."""
    return html_to_pdf(render_html(document, template))
