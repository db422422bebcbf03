"""inspections: the inspection record, its requests and its minutes

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 13:40:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "inspections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("decision_number", sa.String(length=120), nullable=False),
        sa.Column("decision_date", sa.Date(), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=500), nullable=False),
        sa.Column("team", sa.JSON(), nullable=False),
        sa.Column("representatives", sa.JSON(), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("opinion", sa.Text(), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("risk", sa.JSON(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("number_text", sa.String(length=80), nullable=True),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=True),
        sa.Column("pdf_path", sa.String(length=300), nullable=True),
        sa.Column("finalised_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('planned', 'finalising', 'finalised', 'cancelled')",
            name=op.f("ck_inspections_status"),
        ),
        sa.CheckConstraint("period_from <= period_to", name=op.f("ck_inspections_period")),
        sa.CheckConstraint(
            "status <> 'finalised' OR (number IS NOT NULL AND pdf_sha256 IS NOT NULL)",
            name=op.f("ck_inspections_finalised"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_inspections_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facilities.id"], name=op.f("fk_inspections_facility_id_facilities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspections")),
        sa.UniqueConstraint("year", "number", name=op.f("uq_inspections_year")),
    )
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inspections_facility_id"), ["facility_id"], unique=False)

    op.create_table(
        "inspection_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('open', 'done')", name=op.f("ck_inspection_requests_status")),
        sa.ForeignKeyConstraint(
            ["done_by_id"], ["users.id"], name=op.f("fk_inspection_requests_done_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspections.id"],
            name=op.f("fk_inspection_requests_inspection_id_inspections"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_requests")),
    )
    with op.batch_alter_table("inspection_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inspection_requests_inspection_id"), ["inspection_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("inspection_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspection_requests_inspection_id"))
    op.drop_table("inspection_requests")
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspections_facility_id"))
    op.drop_table("inspections")
