"""Text widths in the bundled Liberation Serif, to break header lines evenly.

A long agency name or summary breaks into lines of even length ("SỞ NÔNG NGHIỆP" /
"VÀ MÔI TRƯỜNG"), as on a typed document, rather than leaving a word alone on the
last line. Widths come from the font's own advance widths (fontTools, loaded once).
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

from fontTools.ttLib import TTFont

FONTS_DIR = Path(__file__).resolve().parents[1] / "static" / "fonts"
POINT_MM = 25.4 / 72
FILES = {
    (False, False): "LiberationSerif-Regular.ttf",
    (True, False): "LiberationSerif-Bold.ttf",
    (False, True): "LiberationSerif-Italic.ttf",
    (True, True): "LiberationSerif-BoldItalic.ttf",
}


@functools.cache
def _advances(bold: bool, italic: bool) -> tuple[dict[int, int], int, int]:
    with TTFont(FONTS_DIR / FILES[bold, italic], lazy=True) as font:
        cmap = font.getBestCmap()
        hmtx = font["hmtx"]
        widths = {code: hmtx[glyph][0] for code, glyph in cmap.items()}
        return widths, font["head"].unitsPerEm, hmtx[".notdef"][0]


def text_width(text: str, size_pt: float, *, bold: bool = False, italic: bool = False) -> float:
    """The width of ``text`` in millimetres (no kerning: close enough for line breaking)."""
    widths, units, missing = _advances(bold, italic)
    total = sum(widths.get(ord(c), missing) for c in unicodedata.normalize("NFC", text))
    return total / units * size_pt * POINT_MM


def _wrap(words: list[str], limit: float, width) -> list[str]:
    lines: list[str] = []
    for word in words:
        if lines and width(f"{lines[-1]} {word}") <= limit:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def balanced_lines(
    text: str, width_mm: float, size_pt: float, *, bold: bool = False, upper: bool = False
) -> list[str]:
    """``text`` in as few lines as fit ``width_mm``, each as even in length as possible."""
    words = (text.upper() if upper else text).split()
    if not words:
        return []

    def width(line: str) -> float:
        return text_width(line, size_pt, bold=bold)

    needed = len(_wrap(words, width_mm, width))
    if needed == 1:
        return [" ".join(words)]
    low, high = max(width(w) for w in words), width_mm
    for _ in range(20):
        middle = (low + high) / 2
        if len(_wrap(words, middle, width)) <= needed:
            high = middle
        else:
            low = middle
    return _wrap(words, high, width)
