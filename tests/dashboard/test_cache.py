"""The dashboard's memo: bounded, keyed by fingerprint, with a lifetime for live status."""

from __future__ import annotations

from app.dashboard.cache import Memo
from app.dashboard.services import fingerprint, month_rows
from app.dashboard.snapshots import snapshot_month
from tests.dashboard.conftest import DECEMBER


def test_entries_expire_and_the_oldest_goes_first():
    now = [0.0]
    memo = Memo(size=2, clock=lambda: now[0])
    calls = []

    def compute(value):
        calls.append(value)
        return value

    assert memo.get("a", lambda: compute(1), max_age=60) == 1
    assert memo.get("a", lambda: compute(2), max_age=60) == 1
    now[0] = 61
    assert memo.get("a", lambda: compute(3), max_age=60) == 3
    memo.get("b", lambda: compute(4))
    memo.get("c", lambda: compute(5))
    assert memo.get("a", lambda: compute(6)) == 6  # pushed out by b and c
    assert calls == [1, 3, 4, 5, 6]


def test_a_refreshed_snapshot_changes_the_key(facility, december):
    before = fingerprint([DECEMBER])
    first = month_rows([DECEMBER])[DECEMBER]
    assert month_rows([DECEMBER])[DECEMBER] is first  # kept
    snapshot_month(DECEMBER)
    assert fingerprint([DECEMBER]) != before
    assert month_rows([DECEMBER])[DECEMBER] is not first
