"""facility limits: discharge limits written in a facility's permit (they override QCVN)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 06:25:35.036863

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "facility_limits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=False),
        sa.Column("parameter", sa.String(length=20), nullable=False),
        sa.Column("low", sa.Numeric(precision=18, scale=6), nullable=True),
        sa.Column("high", sa.Numeric(precision=18, scale=6), nullable=True),
        sa.Column("permit_reference", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("low IS NOT NULL OR high IS NOT NULL", name=op.f("ck_facility_limits_a_bound")),
        sa.CheckConstraint(
            "low IS NULL OR high IS NULL OR low < high", name=op.f("ck_facility_limits_low_below_high")
        ),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facilities.id"], name=op.f("fk_facility_limits_facility_id_facilities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facility_limits")),
        sa.UniqueConstraint("facility_id", "parameter", name="uq_facility_limits_facility_parameter"),
    )


def downgrade():
    op.drop_table("facility_limits")
