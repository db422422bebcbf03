"""A ladder step's wording filled from a case's evidence: pure, no Flask, no database.

The step's templates use str.format fields (app/cases/models.py, LadderStep):
{breach_subject} {breach_sentence} {facility} {enterprise}
{agency} {legal_basis} {deadline} {previous_number} {previous_date} {facts}.
``{deadline}`` stays in the draft's text (the deadline is counted from the issue
date, known only at issue) and ``{facts}`` stays as its own paragraph: it marks
where the evidence table goes.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

DEADLINE = "{deadline}"
FACTS = "{facts}"
NO_PREVIOUS = "(chưa có)"
DEFAULT_BASIS = "các quy định hiện hành về bảo vệ môi trường"
_CONJUNCTIONS = {"và", "với"}


@dataclass(frozen=True)
class Wording:
    """The filled summary, body (paragraphs separated by blank lines) and requests."""

    summary: str
    body: str
    requests: list[str]


def agency_in_text(name: str) -> str:
    """The agency's name as written inside a sentence: ``SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG`` → ``Sở Nông nghiệp và Môi trường``."""
    words = name.lower().split()
    if not words:
        return ""
    out = [words[0].capitalize()]
    start = True
    for word in words[1:]:
        if word in _CONJUNCTIONS:
            out.append(word)
            start = True
            continue
        out.append(word.capitalize() if start else word)
        start = not start
    return " ".join(out)


def short_date(value: date | None) -> str:
    """``05/01/2026``, as dates are written inside a sentence."""
    return value.strftime("%d/%m/%Y") if value else NO_PREVIOUS


class _Keep(dict):
    """Format values that leave unknown fields as they were written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, values: Mapping[str, Any]) -> str:
    """``template`` with the known fields filled; ``{deadline}``, ``{facts}`` and unknown fields kept."""
    fields = _Keep(values)
    fields.pop("deadline", None)
    fields.pop("facts", None)
    return string.Formatter().vformat(template, (), fields)


def template_values(
    evidence: Mapping[str, Any],
    *,
    facility: str,
    enterprise: str,
    agency: str,
    previous_number: str | None,
    previous_date: date | None,
) -> dict[str, str]:
    """The template fields of a case's evidence and its last issued notice."""
    basis = [b.strip().rstrip(";.") for b in evidence.get("legal_basis") or [] if str(b).strip()]
    return {
        "breach_subject": str(evidence.get("subject") or "").strip(),
        "breach_sentence": str(evidence.get("sentence") or "").strip(),
        "facility": facility,
        "enterprise": enterprise,
        "agency": agency_in_text(agency),
        "legal_basis": "; ".join(basis) if basis else DEFAULT_BASIS,
        "previous_number": previous_number or NO_PREVIOUS,
        "previous_date": short_date(previous_date) if previous_number else NO_PREVIOUS,
    }


def word_step(summary: str, body: str, request: str, values: Mapping[str, Any]) -> Wording:
    """A step's three templates filled with ``values``."""
    requests = [line.strip() for line in fill(request, values).split("\n") if line.strip()]
    return Wording(
        summary=" ".join(fill(summary, values).split()), body=fill(body, values).strip(), requests=requests
    )


def paragraphs(body: str) -> list[str]:
    """The body's paragraphs: blocks separated by blank lines, inner line breaks joined."""
    blocks = [" ".join(block.split()) for block in body.replace("\r\n", "\n").split("\n\n")]
    return [block for block in blocks if block]


def with_deadline(text: str, deadline: str) -> str:
    """``text`` with ``{deadline}`` replaced (nothing else is interpreted)."""
    return text.replace(DEADLINE, deadline)


def draft_deadline(answer_days: int | None) -> str:
    """What a draft shows in place of the deadline: it is counted from the issue date."""
    if answer_days:
        return f"…/…/… ({answer_days} ngày, tính từ ngày ban hành)"
    return "…/…/… (tính từ ngày ban hành)"
