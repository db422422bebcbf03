"""telemetry speed: no foreign key from readings to stations; rollups indexed by (station, day)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 20:30:00

The foreign key from ``readings`` to ``stations`` is dropped: its check locks the
station's row for every reading written (on PostgreSQL it doubled the cost of the
ingest's COPY). Integrity is kept by the rollups: every new reading is written in
the same transaction as its station's day rollup (``telemetry.rollups``), whose
foreign key to ``stations`` stays, so a reading of an unknown station fails its
batch, and a station with readings (hence with rollups) cannot be deleted.

The index on ``day_rollups (station_id, day)`` lets a station's period be read
without walking the rollups of every day it ever sent (the primary key starts
with (station_id, parameter)), so one station-month does not slow down as
history accumulates.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

READINGS_FK = "fk_readings_station_id_stations"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(READINGS_FK, "readings", type_="foreignkey")
    else:
        with op.batch_alter_table("readings", schema=None) as batch_op:
            batch_op.drop_constraint(READINGS_FK, type_="foreignkey")
    with op.batch_alter_table("day_rollups", schema=None) as batch_op:
        batch_op.create_index("ix_day_rollups_station_day", ["station_id", "day"], unique=False)


def downgrade():
    with op.batch_alter_table("day_rollups", schema=None) as batch_op:
        batch_op.drop_index("ix_day_rollups_station_day")
    if op.get_bind().dialect.name == "postgresql":
        op.create_foreign_key(READINGS_FK, "readings", "stations", ["station_id"], ["id"])
    else:
        with op.batch_alter_table("readings", schema=None) as batch_op:
            batch_op.create_foreign_key(READINGS_FK, "stations", ["station_id"], ["id"])
