"""Monthly partitions of the readings table on PostgreSQL (a no-op on SQLite).

``readings`` is partitioned by range of ``measured_at``; ``readings_pYYYYMM`` holds
one **local** calendar month (boundaries at local midnight, UTC+7, written with an
explicit ``+07:00`` offset so the session's time zone plays no part), so a local
day's readings, like its rollup, sit in one partition. The job
``telemetry.create_partitions`` (daily, and ``flask telemetry partitions``) creates
the current month and the next two ahead, idempotently.

Readings of a month without its partition land in ``readings_default``. PostgreSQL
refuses to create a partition for a range the default partition already holds
rows of, so such a month is skipped (reported, never an error): late data for
months without a partition, e.g. a backfill of months before the first run, stays
in the default partition, where it is found like any other reading.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from app.db import utcnow
from app.extensions import db
from app.telemetry.slots import LOCAL_TZ

log = logging.getLogger(__name__)

MONTHS_AHEAD = 2
DEFAULT_PARTITION = "readings_default"


@dataclass(slots=True)
class PartitionsReport:
    """What a run did: partitions created, already there, and months left to the default one."""

    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[str]]:
        """Return the report as plain data (a job's result, the CLI's output)."""
        return {"created": self.created, "existing": self.existing, "skipped": self.skipped}


def add_months(month: date, count: int) -> date:
    """Return the first day of the month ``count`` months after ``month``'s."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def partition_name(month: date) -> str:
    """Return the name of a month's partition, ``readings_pYYYYMM``."""
    return f"readings_p{month.year:04d}{month.month:02d}"


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """Return the local start of a month and of the next one."""
    first = date(month.year, month.month, 1)
    following = add_months(first, 1)
    return (
        datetime(first.year, first.month, 1, tzinfo=LOCAL_TZ),
        datetime(following.year, following.month, 1, tzinfo=LOCAL_TZ),
    )


def is_partitioned() -> bool:
    """Return whether the database partitions readings (PostgreSQL)."""
    return db.session.get_bind().dialect.name == "postgresql"


def existing_partitions() -> list[str]:
    """Return the names of the readings table's partitions (empty on SQLite)."""
    if not is_partitioned():
        return []
    query = sa.text(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
        " WHERE i.inhparent = 'readings'::regclass ORDER BY c.relname"
    )
    return list(db.session.scalars(query))


def _default_has_rows(start: datetime, end: datetime) -> bool:
    query = sa.text(
        f"SELECT EXISTS (SELECT 1 FROM {DEFAULT_PARTITION} WHERE measured_at >= :start AND measured_at < :end)"
    )
    return bool(db.session.scalar(query, {"start": start, "end": end}))


def create_partitions(today: date | None = None, months_ahead: int = MONTHS_AHEAD) -> PartitionsReport:
    """Create the partitions of the current local month and ``months_ahead`` following ones.

    Idempotent; a no-op on SQLite. A month whose rows already sit in the default
    partition is skipped and reported. The caller commits.
    """
    report = PartitionsReport()
    if not is_partitioned():
        return report
    first = (today or utcnow().astimezone(LOCAL_TZ).date()).replace(day=1)
    present = set(existing_partitions())
    for offset in range(months_ahead + 1):
        month = add_months(first, offset)
        name = partition_name(month)
        if name in present:
            report.existing.append(name)
            continue
        start, end = month_bounds(month)
        if _default_has_rows(start, end):
            log.warning("partition %s not created: the default partition holds rows of that month", name)
            report.skipped.append(name)
            continue
        db.session.execute(
            sa.text(
                f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF readings"
                f" FOR VALUES FROM ('{start.isoformat(sep=' ')}') TO ('{end.isoformat(sep=' ')}')"
            )
        )
        report.created.append(name)
    return report
