"""telemetry speed 2: the rollups' bitmaps in an index of their own, in key order

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 14:00:00

The figures of all stations' month read each (station, parameter)'s bitmaps of
the period's days. From the table, every 36-byte bitmap costs a visit to a row of
about 400 bytes (the hourly sums live there too), and the rows of a station's
month lie wherever ingest wrote them, day after day. The index on
``day_rollups (station_id, parameter, day, received, valid)`` holds exactly what
the figures read, in the order they read it: each (station, parameter)'s period
is one short range of one index, read without the table (an index-only scan) and
without sorting. Hourly means and the station page still read the table.
"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

INDEX = "ix_day_rollups_bitmaps"


def upgrade():
    op.create_index(
        INDEX, "day_rollups", ["station_id", "parameter", "day", "received", "valid"], unique=False
    )


def downgrade():
    op.drop_index(INDEX, table_name="day_rollups")
