"""public disclosure: the VN_AQI rule data (breakpoints, bands, NowCast, sufficiency) as a versioned table

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 14:00:00

Seeds the first version from app/public/aqi_data.py as it stood when this
migration was written, valid from the decision's date and marked to verify
(regulation.md: the annex's values are remembered, not read). Corrections are
new rows that supersede it.
"""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

DECISION_DATE = date(2019, 11, 12)


def upgrade():
    op.create_table(
        "aqi_rule_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("confidence", sa.String(length=20), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("change_reason", sa.Text(), nullable=True),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "confidence IN ('confirmed', 'to_verify')", name=op.f("ck_aqi_rule_versions_confidence")
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from", name=op.f("ck_aqi_rule_versions_validity")
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"],
            ["aqi_rule_versions.id"],
            name=op.f("fk_aqi_rule_versions_supersedes_id_aqi_rule_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aqi_rule_versions")),
    )
    from app.public.aqi_data import SOURCE, seed_aqi

    now = datetime.now(UTC)
    if op.get_bind().dialect.name == "sqlite":
        now = now.replace(tzinfo=None)
    table = sa.table(
        "aqi_rule_versions",
        sa.column("data", sa.JSON),
        sa.column("valid_from", sa.Date),
        sa.column("source", sa.Text),
        sa.column("confidence", sa.String),
        sa.column("recorded_at", sa.DateTime(timezone=True)),
        sa.column("change_reason", sa.Text),
    )
    op.bulk_insert(
        table,
        [
            {
                "data": seed_aqi(),
                "valid_from": DECISION_DATE,
                "source": SOURCE,
                "confidence": "to_verify",
                "recorded_at": now,
                "change_reason": "Dữ liệu ban đầu theo ghi nhớ; cần đối chiếu phụ lục của Quyết định.",
            }
        ],
    )


def downgrade():
    op.drop_table("aqi_rule_versions")
