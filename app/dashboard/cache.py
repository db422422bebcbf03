"""A small in-process memo of the dashboard's figures (per web worker), bounded, with an optional lifetime.

Snapshot figures are keyed by a fingerprint of the rows they come from (the
snapshots' latest ``computed_at`` and count, the facilities' latest ``updated_at``
and count, the database): a refreshed snapshot or an edited facility changes the key,
so nothing stale is served. Live station status ("now") is kept at most
``NOW_SECONDS``, the refresh period of the stations' derived status.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

# 12 months of 2,000 facilities are 24,000 rows, about 12 MB (tracemalloc): a handful per worker at most.
SIZE = 8
NOW_SECONDS = 60.0


class Memo:
    """A bounded least-recently-used memo; an entry older than its lifetime is computed again."""

    def __init__(self, size: int = SIZE, clock: Callable[[], float] = time.monotonic):
        self.size = size
        self.clock = clock
        self._items: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], Any], max_age: float | None = None) -> Any:
        """The value of ``key``, computed (and kept) when missing or older than ``max_age`` seconds."""
        now = self.clock()
        with self._lock:
            found = self._items.get(key)
            if found is not None and (max_age is None or now - found[0] <= max_age):
                self._items.move_to_end(key)
                return found[1]
        value = compute()
        with self._lock:
            self._items[key] = (now, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._items.clear()


MEMO = Memo()
