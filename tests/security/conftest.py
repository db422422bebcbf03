"""Fixtures of the security suite: the two-enterprise world, and the counts it reports."""

from __future__ import annotations

import pytest

from app.public import cache as public_cache
from tests.security.world import build_world

# What the suite checked, printed at the end of the run (docs/security.md quotes it).
COUNTS: dict[str, int] = {}


def count(name: str, n: int = 1) -> None:
    """Add to one of the suite's reported counts."""
    COUNTS[name] = COUNTS.get(name, 0) + n


@pytest.fixture
def world(make_enterprise, make_facility, make_user):
    """Enterprise A (the logged-in enterprise user's), enterprise B, shared objects, one user per role."""
    yield build_world(make_enterprise, make_facility, make_user)
    public_cache.clear()  # pages the matrix's anonymous requests left in the public page's cache


def pytest_terminal_summary(terminalreporter):
    if COUNTS:
        terminalreporter.section("security suite counts")
        for name, value in sorted(COUNTS.items()):
            terminalreporter.write_line(f"{name}: {value}")
