"""dashboard and reports: monthly facility snapshots, monthly summary reports

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 13:50:00

``facility_months`` keeps, per facility and calendar month, what the dashboard's
month-by-month figures need (obligation, installed/connected/receiving at the
month's end, the month's raw and excused effective rates, exceedance hours, commune
and industry at the time). ``monthly_reports`` lists the generated summary reports
with the SHA-256 of their PDF.
"""

from alembic import op
import sqlalchemy as sa


revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "facility_months",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("commune", sa.String(length=120), nullable=True),
        sa.Column("district", sa.String(length=120), nullable=True),
        sa.Column("industry", sa.String(length=60), nullable=True),
        sa.Column("is_obliged", sa.Boolean(), nullable=False),
        sa.Column("is_installed", sa.Boolean(), nullable=False),
        sa.Column("is_connected", sa.Boolean(), nullable=False),
        sa.Column("is_receiving", sa.Boolean(), nullable=False),
        sa.Column("serving_stations", sa.Integer(), nullable=False),
        sa.Column("raw_rate", sa.Float(), nullable=True),
        sa.Column("excused_rate", sa.Float(), nullable=True),
        sa.Column("exceedance_hours", sa.Integer(), nullable=False),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["facilities.id"],
            name=op.f("fk_facility_months_facility_id_facilities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facility_months")),
        sa.UniqueConstraint("facility_id", "month", name="facility_month"),
    )
    with op.batch_alter_table("facility_months", schema=None) as batch_op:
        batch_op.create_index("ix_facility_months_month", ["month"], unique=False)

    op.create_table(
        "monthly_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("number_text", sa.String(length=80), nullable=True),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=True),
        sa.Column("pdf_path", sa.String(length=300), nullable=True),
        sa.Column("job_run_id", sa.Integer(), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'done', 'failed')", name=op.f("ck_monthly_reports_status")),
        sa.ForeignKeyConstraint(
            ["job_run_id"], ["job_runs.id"], name=op.f("fk_monthly_reports_job_run_id_job_runs")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_monthly_reports_requested_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monthly_reports")),
    )
    with op.batch_alter_table("monthly_reports", schema=None) as batch_op:
        batch_op.create_index("ix_monthly_reports_month", ["month"], unique=False)


def downgrade():
    with op.batch_alter_table("monthly_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_monthly_reports_month")
    op.drop_table("monthly_reports")
    with op.batch_alter_table("facility_months", schema=None) as batch_op:
        batch_op.drop_index("ix_facility_months_month")
    op.drop_table("facility_months")
