"""Gathering the dashboard: snapshot rows of the months, live rows for now, cases and notices.

Figures come from the monthly snapshots (``app.dashboard.snapshots``), the derived
station status for "now", the cases' steps and the notices (``app.cases.services``):
never from raw readings. The arithmetic is ``app.dashboard.aggregate``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app

from app.cases import services as case_services
from app.cases.effectiveness import StepFigures
from app.cases.ladder_services import current_steps
from app.compliance.services import today
from app.dashboard import aggregate
from app.dashboard.cache import MEMO, NOW_SECONDS
from app.dashboard.models import FacilityMonth
from app.dashboard.snapshots import live_state, month_bounds
from app.extensions import db
from app.facilities.models import Facility
from app.notices.models import Notice, NoticeAnswer
from app.settings.services import get as setting
from app.telemetry.exceedances import last_full_month

NOTICE_MEASURES = ("notices_issued", "notices_answered", "notices_overdue")


def target() -> float:
    """The completeness target (setting)."""
    return float(setting("threshold.completeness_target"))


def closed_month(on: date | None = None) -> date:
    """The first day of the last full month before ``on`` (today)."""
    return last_full_month(on or today())[0]


def snapshot_months() -> list[date]:
    """The months that have snapshots, newest first."""
    query = sa.select(FacilityMonth.month).distinct().order_by(FacilityMonth.month.desc())
    return list(db.session.scalars(query))


def fingerprint(months: Sequence[date]) -> tuple:
    """What the snapshot rows of the months depend on: a key that changes whenever they do."""
    snaps = db.session.execute(
        sa.select(sa.func.max(FacilityMonth.computed_at), sa.func.count()).where(
            FacilityMonth.month.in_(list(months))
        )
    ).one()
    facilities = db.session.execute(
        sa.select(sa.func.max(Facility.updated_at), sa.func.count(Facility.id))
    ).one()
    return (db.engine.url.render_as_string(), tuple(months), *snaps, *facilities)


def month_rows(months: Sequence[date]) -> dict[date, list[aggregate.Row]]:
    """The snapshot rows of the months, by month (kept in the memo under their fingerprint)."""
    return MEMO.get(("rows", fingerprint(months)), lambda: read_month_rows(months))


def read_month_rows(months: Sequence[date]) -> dict[date, list[aggregate.Row]]:
    """The snapshot rows of the months (one query of plain columns, no ORM objects), by month."""
    f = FacilityMonth
    query = (
        sa.select(
            f.month,
            f.facility_id,
            Facility.code,
            Facility.name,
            f.commune,
            f.industry,
            f.is_obliged,
            f.is_installed,
            f.is_connected,
            f.is_receiving,
            f.raw_rate,
            f.excused_rate,
            f.exceedance_hours,
            f.district,
        )  # fmt: skip
        .join(Facility, f.facility_id == Facility.id)
        .where(f.month.in_(list(months)))
    )
    found: dict[date, list[aggregate.Row]] = {m: [] for m in months}
    for month, *values in db.session.execute(query):
        found[month].append(aggregate.Row(*values))
    return found


def now_rows(latest: date | None) -> list[aggregate.Row]:
    """The facilities obliged in the latest snapshot, with their installed/connected/receiving now.

    Kept up to ``cache.NOW_SECONDS`` (not under test): the stations' derived status is
    refreshed every minute anyway.
    """
    if latest is None:
        return []
    key = ("now", fingerprint([latest]))
    max_age = 0.0 if current_app.testing else NOW_SECONDS
    return MEMO.get(key, lambda: read_now_rows(month_rows([latest])[latest]), max_age)


def read_now_rows(current: list[aggregate.Row]) -> list[aggregate.Row]:
    """The obliged rows with their installed/connected/receiving derived now."""
    live = live_state([r.facility_id for r in current if r.is_obliged])
    return [
        aggregate.Row(
            facility_id=r.facility_id,
            code=r.code,
            name=r.name,
            commune=r.commune,
            district=r.district,
            industry=r.industry,
            is_obliged=True,
            is_installed=live[r.facility_id]["is_installed"],
            is_connected=live[r.facility_id]["is_connected"],
            is_receiving=live[r.facility_id]["is_receiving"],
        )
        for r in current
        if r.is_obliged
    ]


@dataclass(frozen=True)
class NoticeFigures:
    """Notices of the month: issued, answered (at least one answer), overdue (no answer, due date passed)."""

    issued: int
    answered: int
    overdue: int
    facility_ids: dict[str, set[int]]


def notice_figures(month: date, on: date | None = None) -> NoticeFigures:
    """The issued notices of the month, those answered and those overdue as of ``on`` (today)."""
    first, last = month_bounds(month)
    on = on or today()
    answered = sa.exists().where(NoticeAnswer.notice_id == Notice.id)
    query = sa.select(Notice.facility_id, answered, Notice.answer_due_on).where(
        Notice.status == "issued", Notice.issued_on.between(first, last)
    )
    ids: dict[str, set[int]] = {name: set() for name in NOTICE_MEASURES}
    issued = done = late = 0
    for facility_id, is_answered, due_on in db.session.execute(query):
        issued += 1
        ids["notices_issued"].add(facility_id)
        if is_answered:
            done += 1
            ids["notices_answered"].add(facility_id)
        elif due_on is not None and due_on < on:
            late += 1
            ids["notices_overdue"].add(facility_id)
    return NoticeFigures(issued, done, late, ids)


@dataclass(frozen=True)
class Dashboard:
    """Everything the dashboard page, its export and the monthly report show."""

    month: date
    months: list[date]
    target: float
    rows: list[aggregate.Row]
    now: dict[str, int] | None
    totals: dict[str, int]
    series: list[tuple[date, dict[str, int]]]
    by_commune: list[tuple[str, dict[str, int]]]
    by_industry: list[tuple[str, dict[str, int]]]
    by_district: list[tuple[str, dict[str, int]]]
    longest: list[aggregate.OutOfCompliance]
    cases_by_step: list[tuple[int, str, int]]
    notices: NoticeFigures
    effectiveness: list[StepFigures]


def steps_with_counts() -> list[tuple[int, str, int]]:
    """Open cases per ladder step: (position, the step's name, count); position 0 is "no notice yet"."""
    by_step = case_services.counts_by_step()
    names = {s.position: s.name for s in current_steps()}
    positions = sorted(set(by_step) | set(names))
    return [(p, names.get(p, ""), by_step.get(p, 0)) for p in positions]


def month_figures(months: list[date], month: date, goal: float) -> dict:
    """The snapshot figures of the month and the 12 months to it."""
    by_month = month_rows(months)
    rows = by_month[month]
    return {
        "rows": rows,
        "totals": aggregate.counts(rows, goal),
        "series": aggregate.series(months, by_month, goal),
        "by_commune": aggregate.by_group(rows, "commune", goal),
        "by_industry": aggregate.by_group(rows, "industry", goal),
        "by_district": aggregate.by_group(rows, "district", goal),
        "longest": aggregate.longest_out(months, by_month, goal),
    }


def dashboard(month: date, with_now: bool = True) -> Dashboard:
    """The dashboard of the closed month ``month`` (its first day) and the 12 months to it."""
    goal = target()
    months = aggregate.last_months(month)
    latest = snapshot_months()
    figures = MEMO.get(("figures", goal, fingerprint(months)), lambda: month_figures(months, month, goal))
    return Dashboard(
        month=month,
        months=months,
        target=goal,
        rows=figures["rows"],
        now=aggregate.counts(now_rows(latest[0] if latest else None), goal, aggregate.NOW_MEASURES)
        if with_now
        else None,
        totals=figures["totals"],
        series=figures["series"],
        by_commune=figures["by_commune"],
        by_industry=figures["by_industry"],
        by_district=figures["by_district"],
        longest=figures["longest"],
        cases_by_step=steps_with_counts(),
        notices=notice_figures(month),
        effectiveness=case_services.notice_effectiveness(),
    )


@dataclass(frozen=True)
class Drill:
    """What a drill-down lists: a measure of a month (or now), optionally within a commune or industry."""

    measure: str
    month: date
    scope: str = "month"
    group: str | None = None
    value: str | None = None


def drill_rows(spec: Drill) -> list[aggregate.Row]:
    """The facilities behind one number of the dashboard."""
    goal = target()
    rows = month_rows([spec.month])[spec.month]
    if spec.scope == "now":
        latest = snapshot_months()
        rows = now_rows(latest[0] if latest else None)
    if spec.group in aggregate.GROUPS and spec.value is not None:
        rows = [r for r in rows if r.is_obliged and aggregate.in_group(r, spec.group, spec.value)]
    if spec.measure in NOTICE_MEASURES:
        ids = notice_figures(spec.month).facility_ids[spec.measure]
        return sorted((r for r in rows if r.facility_id in ids), key=lambda r: r.code)
    return aggregate.drill(rows, spec.measure, goal)
