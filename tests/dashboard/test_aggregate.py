"""The dashboard's arithmetic on plain rows: measures, drill-downs, groups, months, the longest out."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.dashboard import aggregate
from app.dashboard.aggregate import Row

TARGET = 0.9


def row(fid: int, commune="Xã A", industry="paper", obliged=True, installed=True, connected=True,
        receiving=True, raw=0.95, excused=0.95) -> Row:  # fmt: skip
    return Row(fid, f"CS-{fid:03d}", f"Cơ sở {fid}", commune, industry, obliged, installed, connected,
               receiving, raw, excused)  # fmt: skip


ROWS = [
    row(1),
    row(2, raw=0.85, excused=0.92),
    row(3, receiving=False, raw=0.5, excused=0.5),
    row(4, installed=False, connected=False, receiving=False, raw=None, excused=None, commune=None),
    row(5, obliged=False, raw=None, excused=None),
    row(6, raw=0.9, excused=0.9, industry="cement"),
]


def test_counts_only_facilities_under_an_obligation():
    assert aggregate.counts(ROWS, TARGET) == {
        "obliged": 5,
        "installed": 4,
        "connected": 4,
        "receiving": 3,
        "meets_raw": 2,  # 1 and 6 (exactly the target meets it)
        "meets_excused": 3,  # 2 meets once its excused windows are left out
    }


def test_every_count_drills_down_to_exactly_its_rows():
    for name in aggregate.MEASURES:
        found = aggregate.drill(ROWS, name, TARGET)
        assert len(found) == sum(1 for r in ROWS if aggregate.MEASURES[name](r, TARGET))
    assert [r.code for r in aggregate.drill(ROWS, "meets_excused", TARGET)] == ["CS-001", "CS-002", "CS-006"]
    assert [r.code for r in aggregate.drill(ROWS, "out_of_compliance", TARGET)] == ["CS-003", "CS-004"]
    with pytest.raises(ValueError):
        aggregate.drill(ROWS, "nonsense", TARGET)


def test_groups_put_facilities_without_a_commune_last():
    groups = aggregate.by_group(ROWS, "commune", TARGET)
    assert [name for name, _ in groups] == ["Xã A", ""]
    assert groups[0][1]["obliged"] == 4 and groups[1][1]["obliged"] == 1
    industries = dict(aggregate.by_group(ROWS, "industry", TARGET))
    assert industries["cement"]["meets_raw"] == 1
    former = [replace(row(7), district="Huyện Thốt Nốt"), row(8)]
    assert [(n, c["obliged"]) for n, c in aggregate.by_group(former, "district", TARGET)] == [
        ("Huyện Thốt Nốt", 1),
        ("", 1),
    ]


def test_longest_out_of_compliance_counts_consecutive_months_up_to_the_last():
    months = aggregate.last_months(date(2026, 3, 1), 3)
    assert months == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    by_month = {
        months[0]: [row(1, raw=0.1, excused=0.1), row(2), row(3, raw=0.1, excused=0.1)],
        months[1]: [row(1, raw=0.1, excused=0.1), row(2, raw=0.2, excused=0.2), row(3)],
        months[2]: [row(1, raw=0.1, excused=0.1), row(2, raw=0.2, excused=0.2), row(3, raw=0.1, excused=0.1)],
    }
    found = aggregate.longest_out(months, by_month, TARGET)
    assert [(o.row.code, o.months, o.since) for o in found] == [
        ("CS-001", 3, date(2026, 1, 1)),
        ("CS-002", 2, date(2026, 2, 1)),
        ("CS-003", 1, date(2026, 3, 1)),
    ]


def test_last_months_cross_the_year():
    assert aggregate.last_months(date(2026, 2, 1), 4) == [
        date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)
    ]  # fmt: skip


def test_a_month_without_snapshots_has_no_figure_rather_than_zero():
    months = aggregate.last_months(date(2026, 2, 1), 2)
    found = aggregate.series(months, {months[1]: ROWS}, TARGET)
    assert found[0] == (date(2026, 1, 1), None)
    assert found[1][1]["obliged"] == 5
