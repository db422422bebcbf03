"""HTTP in and out: the request class (form and query values cleaned of invisible controls), PDF responses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from io import BytesIO
from typing import Any

from flask import Request as FlaskRequest
from flask import Response, send_file
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

from app.text import clean_text


class CleanMultiDict(ImmutableMultiDict):
    """Form and query values with ``clean_text`` applied to every string."""

    def __init__(self, mapping: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None) -> None:
        if mapping is None:
            super().__init__()
            return
        pairs = mapping.items(multi=True) if isinstance(mapping, MultiDict) else mapping
        if isinstance(pairs, Mapping):
            pairs = pairs.items()
        super().__init__([(key, clean_text(v) if isinstance(v, str) else v) for key, v in pairs])


class Request(FlaskRequest):
    """Flask's request whose ``form`` and ``args`` are cleaned (uploaded files are left as sent)."""

    parameter_storage_class = CleanMultiDict


def pdf_response(data: bytes, name: str, *, inline: bool = True) -> Response:
    """A stored PDF, shown in the browser or downloaded as ``name``; never cached."""
    response = send_file(
        BytesIO(data), mimetype="application/pdf", as_attachment=not inline, download_name=name, max_age=0
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
