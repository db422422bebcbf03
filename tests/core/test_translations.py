"""The Vietnamese catalog: complete, compiled, true to its placeholders, and used by the pages.

After changing user-visible strings, run ``scripts/i18n``, translate the new
entries of ``app/translations/vi/LC_MESSAGES/messages.po`` and run it again.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
VI_PO = ROOT / "app" / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
VI_MO = VI_PO.with_suffix(".mo")

# The keywords of scripts/i18n: Babel's defaults plus ``-k _l -k lazy_gettext``.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}

# %(name)d-style and {name}-style placeholders, with their conversion.
PERCENT = re.compile(r"%\(\w+\)[#0 +-]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")
BRACE = re.compile(r"\{\w*(?:![rsa])?(?::[^{}]*)?\}")


def read_catalog(path: Path) -> Catalog:
    """The catalog of a .po file; any problem in the file is an error, not a printed warning."""
    with path.open("rb") as po:
        return read_po(po, locale="vi", abort_invalid=True)


def source_messages() -> dict[tuple[str | None, str], str]:
    """Every msgid of the source, extracted as scripts/i18n does: (context, msgid) -> first location."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: dict[tuple[str | None, str], str] = {}

    def directory_filter(path: str) -> bool:
        name = Path(path).name
        return not (name.startswith(".") or name == "__pycache__")

    for filename, lineno, message, _comments, context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS, directory_filter=directory_filter
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault((context, msgid), f"{filename}:{lineno}")
    return found


def forms(value: str | Iterable[str]) -> tuple[str, ...]:
    """The singular and plural forms of a msgid or msgstr, as a tuple."""
    return (value,) if isinstance(value, str) else tuple(value)


def placeholders(texts: Iterable[str]) -> set[str]:
    """The formatting placeholders found in the texts."""
    return {p for text in texts for p in PERCENT.findall(text) + BRACE.findall(text) if p != "%%"}


def translated(catalog: Catalog) -> dict[tuple[str | None, tuple[str, ...]], tuple[str, ...]]:
    """The translations of a catalog, keyed by context and msgid forms."""
    return {(m.context, forms(m.id)): forms(m.string) for m in catalog if m.id}


def describe(message: Message) -> str:
    """A msgid as a failure message shows it."""
    msgid = " | ".join(forms(message.id))
    return f"[{message.context}] {msgid!r}" if message.context else repr(msgid)


def test_every_source_message_is_in_the_vietnamese_catalog():
    catalog = read_catalog(VI_PO)
    missing = [
        f"{msgid!r}  ({where})"
        for (context, msgid), where in sorted(source_messages().items(), key=lambda item: item[0][1])
        if catalog.get(msgid, context) is None
    ]
    assert not missing, (
        f"{len(missing)} msgid(s) missing from {VI_PO.relative_to(ROOT)}; run scripts/i18n and translate:\n"
        + "\n".join(missing)
    )


def test_no_vietnamese_entry_is_empty_or_fuzzy():
    catalog = read_catalog(VI_PO)
    assert catalog.num_plurals == 1 and catalog.plural_expr == "0"
    assert not catalog.fuzzy, "the header of the vi catalog is marked fuzzy"
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = forms(message.string)
        if message.fuzzy:
            problems.append(f"fuzzy: {describe(message)}")
        if not all(s.strip() for s in strings):
            problems.append(f"empty: {describe(message)}")
        elif len(strings) != (catalog.num_plurals if message.pluralizable else 1):
            problems.append(f"{len(strings)} forms instead of {catalog.num_plurals}: {describe(message)}")
    assert not problems, "vi entries to translate:\n" + "\n".join(problems)


def test_committed_mo_is_the_compiled_po():
    with VI_MO.open("rb") as mo:
        committed = translated(read_mo(mo))
    compiled_file = io.BytesIO()
    write_mo(compiled_file, read_catalog(VI_PO))
    compiled_file.seek(0)
    compiled = translated(read_mo(compiled_file))
    stale = sorted(
        repr(" | ".join(key[1]))
        for key in committed.keys() | compiled.keys()
        if committed.get(key) != compiled.get(key)
    )
    assert not stale, (
        f"{VI_MO.relative_to(ROOT)} differs from its .po; run scripts/i18n. Differing msgids:\n"
        + "\n".join(stale)
    )


def test_every_placeholder_is_kept_in_the_translation():
    problems = []
    for message in read_catalog(VI_PO):
        if not message.id:
            continue
        expected = placeholders(forms(message.id))
        for string in forms(message.string):
            found = placeholders([string])
            if string and found != expected:
                problems.append(
                    f"{describe(message)} -> {string!r}: expected {sorted(expected)}, found {sorted(found)}"
                )
    assert not problems, "placeholders changed by the vi translation:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("path", "vietnamese", "english"),
    [
        (
            "/login",
            ["Đăng nhập", "Mật khẩu", "Duy trì đăng nhập trên máy tính này", "quan trắc môi trường tự động"],
            ["Log in", "Password", "Keep me logged in", "Follow-up of automatic", "Skip to content"],
        ),
        (
            "/no-such-page",
            ["Không tìm thấy trang"],
            ["Page not found", "The page does not exist"],
        ),
    ],
)
def test_a_page_in_vietnamese_shows_no_english(client, path, vietnamese, english):
    text = client.get(path).get_data(as_text=True)
    assert 'lang="vi"' in text
    assert [phrase for phrase in vietnamese if phrase not in text] == []
    assert [phrase for phrase in english if phrase in text] == []


def test_the_same_page_in_english_shows_the_source_strings(client):
    text = client.get("/login?lang=en").get_data(as_text=True)
    assert "Log in" in text and "Keep me logged in on this computer" in text
    assert "Đăng nhập" not in text
