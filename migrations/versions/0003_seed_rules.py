"""Seed the rule data of the four regimes (regulation.md) as their first recorded versions.

The seed is app/compliance/rules_data.py as it stood when this migration was
written; later corrections and new decrees are new versions (recorded through
the administrator's rule pages or a later migration), never edits of this seed.

Revision ID: 0003
Revises: 0002
"""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

rule_versions = sa.table(
    "rule_versions",
    sa.column("regime", sa.String),
    sa.column("kind", sa.String),
    sa.column("clause", sa.String),
    sa.column("data", sa.JSON),
    sa.column("valid_from", sa.Date),
    sa.column("valid_to", sa.Date),
    sa.column("recorded_at", sa.DateTime(timezone=True)),
    sa.column("change_reason", sa.Text),
    sa.column("confidence", sa.String),
)


def _date(value):
    return date.fromisoformat(value) if value else None


def upgrade():
    from app.compliance.rules_data import seed_regimes, seed_rules

    now = datetime.now(UTC)
    if op.get_bind().dialect.name == "sqlite":
        now = now.replace(tzinfo=None)
    rows = []
    for regime in seed_regimes():
        rows.append(
            {
                "regime": regime["code"],
                "kind": "regime",
                "clause": "*",
                "data": regime,
                "valid_from": _date(regime["valid_from"]),
                "valid_to": _date(regime["valid_to"]),
                "recorded_at": now,
                "change_reason": "dữ liệu ban đầu theo regulation.md",
                "confidence": regime["confidence"],
            }
        )
        for rule in seed_rules(regime["code"]):
            rows.append(
                {
                    "regime": rule["regime"],
                    "kind": rule["kind"],
                    "clause": rule["clause"],
                    "data": rule,
                    "valid_from": _date(rule["valid_from"]),
                    "valid_to": _date(rule["valid_to"]),
                    "recorded_at": now,
                    "change_reason": "dữ liệu ban đầu theo regulation.md",
                    "confidence": rule["confidence"],
                }
            )
    op.bulk_insert(rule_versions, rows)


def downgrade():
    op.execute(rule_versions.delete())
