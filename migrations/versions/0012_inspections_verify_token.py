"""inspections follow-up: the minutes' public verification token

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 14:50:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("verify_token", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_inspections_verify_token"), ["verify_token"])


def downgrade():
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_inspections_verify_token"), type_="unique")
        batch_op.drop_column("verify_token")
