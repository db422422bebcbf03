"""A short-lived in-process cache of the public pages, so that many visitors cost one computation.

Each worker process keeps the rendered body of a public page as anonymous visitors
see it (by language and path, query strings ignored: no public page reads one) for
``PUBLIC_CACHE_SECONDS`` (default 300 s), at most ``MAX_ENTRIES`` pages; only
successful pages are kept. Switching the page off takes effect at once (the switch is
checked before the cache).
"""

from __future__ import annotations

import threading
import time

from flask import current_app

DEFAULT_SECONDS = 300
MAX_ENTRIES = 512

_lock = threading.Lock()
_pages: dict[tuple[int, str], tuple[float, bytes, str]] = {}


def seconds() -> int:
    """How long a page is kept (the app's ``PUBLIC_CACHE_SECONDS``, default 300)."""
    return int(current_app.config.get("PUBLIC_CACHE_SECONDS", DEFAULT_SECONDS))


def get(key: str) -> tuple[bytes, str] | None:
    """The kept body and mimetype of a page, if still fresh."""
    with _lock:
        found = _pages.get((id(current_app._get_current_object()), key))
    if found is None or found[0] < time.monotonic():
        return None
    return found[1], found[2]


def put(key: str, body: bytes, mimetype: str) -> None:
    """Keep a page's body; the oldest pages go first when full."""
    if seconds() <= 0:
        return
    with _lock:
        if len(_pages) >= MAX_ENTRIES:
            for key in sorted(_pages, key=lambda k: _pages[k][0])[: MAX_ENTRIES // 4]:
                del _pages[key]
        _pages[(id(current_app._get_current_object()), key)] = (time.monotonic() + seconds(), body, mimetype)


def clear() -> None:
    """Forget every kept page."""
    with _lock:
        _pages.clear()
