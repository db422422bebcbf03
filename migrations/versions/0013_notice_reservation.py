"""notice reservation: the register number reserved before the PDF, kept and frozen from then on

A notice's issue now has two steps: the number is reserved on the approved
notice in a short transaction of its own, then the PDF is rendered with it and
the notice becomes issued. A reserved notice (status approved, number set) is
always finished with the same number, so its printed columns are frozen from
the reservation on; only the PDF's hash and path and the status (to issued)
may still change, and it is never deleted. The verification link's site is
kept on the notice so a later retry prints the same link.

Receipts: an "opened" is recorded once per notice and user, an "acknowledged"
once per notice, by partial unique indexes (earlier duplicates are removed,
the first kept).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 13:40:00.000000

"""

from alembic import op
import sqlalchemy as sa


revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# The columns printed on, or proving, an issued notice (0006's list).
FROZEN_0006 = (
    "document_type",
    "register",
    "summary",
    "addressee",
    "body",
    "facts",
    "legal_basis",
    "requests",
    "copies_to",
    "answer_due_on",
    "number",
    "year",
    "number_text",
    "issued_on",
    "issued_at",
    "issued_by_id",
    "pdf_sha256",
    "pdf_path",
    "verify_token",
    "facility_id",
    "case_id",
    "ladder_step_id",
    "supersedes_id",
    "signer_name",
    "signer_title",
    "signer_authority",
    "status",
)
FROZEN = (*FROZEN_0006, "site_url")
# What finishing a reserved notice sets; everything else of FROZEN is fixed at reservation.
FINISHED = ("pdf_sha256", "pdf_path", "status")
RESERVED_FROZEN = tuple(c for c in FROZEN if c not in FINISHED)
JSON_COLUMNS = {"facts", "legal_basis", "requests", "copies_to"}
RESERVED = "OLD.status = 'approved' AND OLD.number IS NOT NULL"
LEAVES_RESERVED = "NEW.status NOT IN ('approved', 'issued')"


def _sqlite_changed(columns):
    return " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)


def _pg_changed(columns):
    # PostgreSQL has no equality for json: the JSON columns are compared as jsonb.
    return " OR ".join(
        f"NEW.{c}::jsonb IS DISTINCT FROM OLD.{c}::jsonb"
        if c in JSON_COLUMNS
        else f"NEW.{c} IS DISTINCT FROM OLD.{c}"
        for c in columns
    )


def _pg_function(body):
    return (
        "CREATE OR REPLACE FUNCTION notices_issued_frozen() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"{body} RETURN NEW; END $$"
    )


SQLITE_UP = [
    "DROP TRIGGER IF EXISTS notices_issued_frozen",
    "DROP TRIGGER IF EXISTS notices_issued_kept",
    "CREATE TRIGGER notices_issued_frozen BEFORE UPDATE ON notices "
    f"WHEN OLD.status = 'issued' AND ({_sqlite_changed(FROZEN)}) "
    "BEGIN SELECT RAISE(ABORT, 'an issued notice is never changed'); END",
    "CREATE TRIGGER notices_reserved_frozen BEFORE UPDATE ON notices "
    f"WHEN {RESERVED} AND ({_sqlite_changed(RESERVED_FROZEN)} OR {LEAVES_RESERVED}) "
    "BEGIN SELECT RAISE(ABORT, 'a reserved notice is only ever issued'); END",
    "CREATE TRIGGER notices_issued_kept BEFORE DELETE ON notices "
    "WHEN OLD.status = 'issued' OR OLD.number IS NOT NULL "
    "BEGIN SELECT RAISE(ABORT, 'an issued or reserved notice is never deleted'); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS notices_reserved_frozen",
    "DROP TRIGGER IF EXISTS notices_issued_frozen",
    "DROP TRIGGER IF EXISTS notices_issued_kept",
    # SQLite 3.35+ drops a column in place (no table copy, which foreign keys to notices would refuse).
    "ALTER TABLE notices DROP COLUMN site_url",
    "CREATE TRIGGER notices_issued_frozen BEFORE UPDATE ON notices "
    f"WHEN OLD.status = 'issued' AND ({_sqlite_changed(FROZEN_0006)}) "
    "BEGIN SELECT RAISE(ABORT, 'an issued notice is never changed'); END",
    "CREATE TRIGGER notices_issued_kept BEFORE DELETE ON notices WHEN OLD.status = 'issued' "
    "BEGIN SELECT RAISE(ABORT, 'an issued notice is never deleted'); END",
]
PG_UP = [
    _pg_function(
        "IF TG_OP = 'DELETE' THEN IF OLD.status = 'issued' OR OLD.number IS NOT NULL THEN "
        "RAISE EXCEPTION 'an issued or reserved notice is never deleted'; END IF; RETURN OLD; END IF; "
        f"IF OLD.status = 'issued' THEN IF {_pg_changed(FROZEN)} THEN "
        "RAISE EXCEPTION 'an issued notice is never changed'; END IF; END IF; "
        f"IF {RESERVED} THEN IF {_pg_changed(RESERVED_FROZEN)} OR {LEAVES_RESERVED} THEN "
        "RAISE EXCEPTION 'a reserved notice is only ever issued'; END IF; END IF;"
    )
]
PG_DOWN = [
    _pg_function(
        "IF TG_OP = 'DELETE' THEN IF OLD.status = 'issued' THEN "
        "RAISE EXCEPTION 'an issued notice is never deleted'; END IF; RETURN OLD; END IF; "
        f"IF OLD.status = 'issued' THEN IF {_pg_changed(FROZEN_0006)} THEN "
        "RAISE EXCEPTION 'an issued notice is never changed'; END IF; END IF;"
    ),
    "ALTER TABLE notices DROP COLUMN site_url",
]


RECEIPT_DUPLICATES = (
    "DELETE FROM notice_receipts WHERE kind = 'opened' AND id NOT IN "
    "(SELECT MIN(id) FROM notice_receipts WHERE kind = 'opened' GROUP BY notice_id, user_id)",
    "DELETE FROM notice_receipts WHERE kind = 'acknowledged' AND id NOT IN "
    "(SELECT MIN(id) FROM notice_receipts WHERE kind = 'acknowledged' GROUP BY notice_id)",
)


def _receipt_indexes():
    for statement in RECEIPT_DUPLICATES:
        op.execute(statement)
    for kind, columns in (("opened", ["notice_id", "user_id"]), ("acknowledged", ["notice_id"])):
        where = sa.text(f"kind = '{kind}'")
        op.create_index(
            f"uq_notice_receipts_{kind}",
            "notice_receipts",
            columns,
            unique=True,
            sqlite_where=where,
            postgresql_where=where,
        )


def upgrade():
    op.add_column("notices", sa.Column("site_url", sa.String(length=300), nullable=True))
    statements = SQLITE_UP if op.get_bind().dialect.name == "sqlite" else PG_UP
    for statement in statements:
        op.execute(statement)
    _receipt_indexes()


def downgrade():
    op.drop_index("uq_notice_receipts_acknowledged", table_name="notice_receipts")
    op.drop_index("uq_notice_receipts_opened", table_name="notice_receipts")
    statements = SQLITE_DOWN if op.get_bind().dialect.name == "sqlite" else PG_DOWN
    for statement in statements:
        op.execute(statement)
