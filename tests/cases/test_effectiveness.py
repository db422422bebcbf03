"""Notice effectiveness on plain values: median days to clearing, share cleared within the answer days."""

from __future__ import annotations

from datetime import date, timedelta

from app.cases.effectiveness import Issued, effectiveness, median_days

DAY = date(2026, 3, 1)


def issued(position: int, cleared_after: int | None, answer_days: int | None = 15) -> Issued:
    cleared = None if cleared_after is None else DAY + timedelta(days=cleared_after)
    return Issued(position, DAY, answer_days, cleared)


def test_median_ranks_not_cleared_after_every_cleared_case():
    assert median_days([3, 10, 20]) == 10
    assert median_days([3, 10]) == 6.5
    assert median_days([3, None, None]) is None
    assert median_days([3, 5, None]) == 5
    assert median_days([]) is None


def test_share_within_the_answer_days_counts_open_cases_as_not_cleared():
    figures = effectiveness([issued(1, 5), issued(1, 15), issued(1, 16), issued(1, None)])
    (step,) = figures
    assert (step.position, step.notices, step.cleared) == (1, 4, 3)
    assert step.cleared_within == 2
    assert step.share_within == 0.5
    assert step.median_days == 15.5


def test_every_step_is_listed_and_a_step_without_answer_days_has_no_share():
    figures = effectiveness([issued(4, 3, answer_days=None)], positions=[1, 2, 3, 4])
    assert [f.position for f in figures] == [1, 2, 3, 4]
    assert figures[0].notices == 0 and figures[0].median_days is None and figures[0].share_within is None
    assert figures[3].as_dict() == {
        "position": 4,
        "notices": 1,
        "cleared": 1,
        "median_days": 3,
        "cleared_within": None,
        "share_within": None,
    }
