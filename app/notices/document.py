"""A notice as a Decree 30/2020 document (``app.documents.render.Document``), and its stored PDF.

Pure apart from ``store_pdf``/``read_pdf``: the agency block and the register
pattern come in as plain values. The body's ``{facts}`` paragraph becomes the
evidence table; the requests follow, with the deadline filled in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from markupsafe import Markup

from app.documents import body as blocks
from app.documents.layout import DocumentType, has_addressee, symbol_of
from app.documents.render import Document, Signer
from app.files import read_stored, store_by_hash
from app.notices import wording

PDF_FOLDER = "notices"


def facts_table(facts: Mapping[str, Any]) -> blocks.Table | None:
    """The evidence table, or None when the evidence has no rows."""
    rows = facts.get("rows") or [] if facts else []
    header = list(facts.get("header") or []) if facts else []
    if not rows or not header:
        return None
    return blocks.Table(header=header, rows=[list(r) for r in rows], caption=str(facts.get("caption") or ""))


def body_markup(body: str, facts: Mapping[str, Any], requests: list[str], deadline: str) -> Markup:
    """The body paragraphs with the table at ``{facts}`` (or after them), then the requests."""
    table = facts_table(facts)
    parts: list[Any] = []
    placed = False
    for text in wording.paragraphs(body):
        if text == wording.FACTS:
            if table is not None:
                parts.append(table)
            placed = True
            continue
        parts.append(wording.with_deadline(text.replace(wording.FACTS, ""), deadline))
    if table is not None and not placed:
        parts.append(table)
    parts += [wording.with_deadline(r, deadline) for r in requests]
    return blocks.body_html(parts)


def addressee_lines(kind: DocumentType, addressee: str) -> tuple[str, ...]:
    """The "Kính gửi" lines of an official letter or an invitation (none for other types)."""
    if not has_addressee(kind):
        return ()
    return tuple(line.strip() for line in addressee.split("\n") if line.strip())


def build_document(
    notice: Any,
    agency: Mapping[str, Any],
    register_pattern: str,
    *,
    deadline: str,
    verification_url: str = "",
    is_draft: bool = False,
) -> Document:
    """The document of a notice (its number and issue date as they stand: None in a draft)."""
    kind = DocumentType(notice.document_type)
    symbol = symbol_of(register_pattern, agency["abbreviation"], agency["division_abbreviation"])
    signer = Signer(
        name=notice.signer_name or agency["signatory_name"],
        title=notice.signer_title or agency["signatory_title"],
        authority=notice.signer_authority if notice.signer_authority is not None else "",
    )
    return Document(
        type=kind,
        symbol=symbol,
        summary=notice.summary,
        body=body_markup(notice.body, notice.facts or {}, list(notice.requests or []), deadline),
        agency=agency,
        number=None if is_draft else notice.number,
        issued_on=None if is_draft else notice.issued_on,
        addressees=addressee_lines(kind, notice.addressee or ""),
        copies_to=tuple(notice.copies_to or ()),
        signers=(signer,),
        verification_url=verification_url,
        is_draft=is_draft,
    )


def verification_url(base_url: str, token: str) -> str:
    """The short link of the public verification page: ``<base>/v/<token>``."""
    return f"{base_url.rstrip('/')}/v/{token}"


def deadline_text(due_on: date | None) -> str:
    """The deadline as written in a request: ``20/01/2026``."""
    return due_on.strftime("%d/%m/%Y") if due_on else ""


def store_pdf(instance_path: str, data: bytes) -> tuple[str, str]:
    """Write the PDF under its hash once (temporary file, then rename); return (sha256, relative path)."""
    return store_by_hash(instance_path, PDF_FOLDER, data)


def read_pdf(instance_path: str, relative: str) -> bytes:
    """The stored bytes of a notice's PDF."""
    return read_stored(instance_path, relative)
