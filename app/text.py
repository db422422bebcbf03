"""Text as the app accepts it: no invisible characters that change how other text is shown.

Pure: no Flask. Every form field (``app.http.Request``) and every imported
spreadsheet cell goes through ``clean_text``. It removes the Unicode bidi
embedding, override and isolate controls (a right-to-left override in a name
would turn round the rest of the line it is printed on, in a page, an e-mail or
an official PDF) and the C0 control characters other than tab and line breaks.
The right-to-left and left-to-right marks, which only place punctuation, stay.
"""

from __future__ import annotations

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_KEPT_CONTROLS = frozenset("\t\n\r")
_REMOVED = {ord(c): None for c in BIDI_CONTROLS} | {
    code: None for code in range(32) if chr(code) not in _KEPT_CONTROLS
}


def clean_text(value: str) -> str:
    """The text without bidi embedding/override/isolate controls and C0 controls (tab, CR, LF kept)."""
    return value.translate(_REMOVED)


def clean_name(value: str) -> str:
    """A one-line name (of a file, say): ``clean_text`` with tabs and line breaks made spaces."""
    return " ".join(clean_text(value).split())
