"""notices: the PostgreSQL freeze trigger compares the JSON columns as jsonb

PostgreSQL has no equality operator for ``json``: the trigger of 0006 failed on
every update of a notice (``operator does not exist: json = json``). The
function is replaced with one that compares the JSON columns as ``jsonb`` and
looks at the columns only when the row is already issued. SQLite is unchanged.

Revision ID: 0007_notices
Revises: 0006
Create Date: 2026-12-04 20:25:00

"""

from alembic import op

revision = "0007_notices"
down_revision = "0006"
branch_labels = None
depends_on = None

FROZEN = (
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
JSON_COLUMNS = {"facts", "legal_basis", "requests", "copies_to"}


def _changed(as_jsonb: bool) -> str:
    def pair(column: str) -> str:
        if as_jsonb and column in JSON_COLUMNS:
            return f"NEW.{column}::jsonb IS DISTINCT FROM OLD.{column}::jsonb"
        return f"NEW.{column} IS DISTINCT FROM OLD.{column}"

    return " OR ".join(pair(c) for c in FROZEN)


def _function(as_jsonb: bool) -> str:
    return (
        "CREATE OR REPLACE FUNCTION notices_issued_frozen() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'DELETE' THEN IF OLD.status = 'issued' THEN "
        "RAISE EXCEPTION 'an issued notice is never deleted'; END IF; RETURN OLD; END IF; "
        f"IF OLD.status = 'issued' THEN IF {_changed(as_jsonb)} THEN "
        "RAISE EXCEPTION 'an issued notice is never changed'; END IF; END IF; RETURN NEW; END $$"
    )


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_function(as_jsonb=True))


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_function(as_jsonb=False))
