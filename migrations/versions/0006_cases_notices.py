"""cases and notices: the ladder, cases, notices, numbering, delivery, answers, reminders

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 20:07:08.894501

"""

from alembic import op
import sqlalchemy as sa


from datetime import UTC, datetime

# Content of an issued notice never changes; nor is an issued notice deleted.
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
_SQLITE_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN)
JSON_COLUMNS = {"facts", "legal_basis", "requests", "copies_to"}
# PostgreSQL has no equality for json: the JSON columns are compared as jsonb.
_PG_CHANGED = " OR ".join(
    f"NEW.{c}::jsonb IS DISTINCT FROM OLD.{c}::jsonb" if c in JSON_COLUMNS else f"NEW.{c} IS DISTINCT FROM OLD.{c}"
    for c in FROZEN
)
FREEZE_SQL = {
    "sqlite": [
        "CREATE TRIGGER notices_issued_frozen BEFORE UPDATE ON notices "
        f"WHEN OLD.status = 'issued' AND ({_SQLITE_CHANGED}) "
        "BEGIN SELECT RAISE(ABORT, 'an issued notice is never changed'); END",
        "CREATE TRIGGER notices_issued_kept BEFORE DELETE ON notices WHEN OLD.status = 'issued' "
        "BEGIN SELECT RAISE(ABORT, 'an issued notice is never deleted'); END",
        "CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events "
        "BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END",
    ],
    "postgresql": [
        "CREATE FUNCTION notices_issued_frozen() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'DELETE' THEN IF OLD.status = 'issued' THEN "
        "RAISE EXCEPTION 'an issued notice is never deleted'; END IF; RETURN OLD; END IF; "
        f"IF OLD.status = 'issued' THEN IF {_PG_CHANGED} THEN "
        "RAISE EXCEPTION 'an issued notice is never changed'; END IF; END IF; RETURN NEW; END $$",
        "CREATE TRIGGER notices_issued_frozen BEFORE UPDATE OR DELETE ON notices "
        "FOR EACH ROW EXECUTE FUNCTION notices_issued_frozen()",
        "CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'case_events is append-only'; END $$",
        "CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events "
        "FOR EACH ROW EXECUTE FUNCTION case_events_append_only()",
    ],
}
UNFREEZE_SQL = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS notices_issued_frozen",
        "DROP TRIGGER IF EXISTS notices_issued_kept",
        "DROP TRIGGER IF EXISTS case_events_no_update",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS notices_issued_frozen ON notices",
        "DROP FUNCTION IF EXISTS notices_issued_frozen()",
        "DROP TRIGGER IF EXISTS case_events_no_update ON case_events",
        "DROP FUNCTION IF EXISTS case_events_append_only()",
    ],
}

# The default ladder of workflow.md: (position, type, name, summary, body, request, answer, wait).
_FACTS = "{facts}"
LADDER = [
    (
        1,
        "CV",
        "Công văn đôn đốc lần 1",
        "V/v đôn đốc {breach_subject}",
        "Căn cứ {legal_basis};\n\n"
        "Qua theo dõi hệ thống quan trắc tự động, {agency} nhận thấy {facility} ({enterprise}) "
        "{breach_sentence}\n\n" + _FACTS,
        "Đề nghị {enterprise} khẩn trương khắc phục, báo cáo bằng văn bản kết quả thực hiện "
        "về {agency} trước ngày {deadline}.",
        15,
        15,
    ),
    (
        2,
        "CV",
        "Công văn đôn đốc lần 2",
        "V/v đôn đốc lần 2 {breach_subject}",
        "Căn cứ {legal_basis};\n\n"
        "Ngày {previous_date}, {agency} đã có Công văn số {previous_number} đôn đốc {enterprise}. "
        "Đến nay, qua theo dõi, {facility} {breach_sentence}\n\n" + _FACTS,
        "Đề nghị {enterprise} khắc phục ngay và báo cáo bằng văn bản về {agency} trước ngày "
        "{deadline}. Quá thời hạn trên, {agency} sẽ mời làm việc và xem xét xử lý theo quy định.",
        10,
        10,
    ),
    (
        3,
        "GM",
        "Giấy mời làm việc",
        "Làm việc về việc {breach_subject}",
        "Căn cứ {legal_basis};\n\n"
        "{agency} đã có Công văn số {previous_number} ngày {previous_date} đôn đốc {enterprise}; "
        "nhưng đến nay {facility} {breach_sentence}\n\n" + _FACTS,
        "{agency} trân trọng kính mời đại diện lãnh đạo {enterprise} đến làm việc, mang theo "
        "báo cáo giải trình bằng văn bản, trước ngày {deadline}.",
        10,
        10,
    ),
    (
        4,
        "TTr",
        "Tờ trình đề xuất kiểm tra, xử lý",
        "Đề xuất kiểm tra, xử lý vi phạm về {breach_subject}",
        "Căn cứ {legal_basis};\n\n"
        "{facility} ({enterprise}) {breach_sentence} {agency} đã ban hành văn bản số "
        "{previous_number} ngày {previous_date} nhưng cơ sở chưa khắc phục.\n\n" + _FACTS,
        "Kính trình Lãnh đạo Sở xem xét, cho ý kiến chỉ đạo kiểm tra đột xuất và xử lý vi phạm "
        "hành chính theo quy định.",
        None,
        None,
    ),
]


def _seed_ladder():
    table = sa.table(
        "ladder_steps",
        sa.column("position", sa.Integer),
        sa.column("document_type", sa.String),
        sa.column("name", sa.String),
        sa.column("summary_template", sa.Text),
        sa.column("body_template", sa.Text),
        sa.column("request_template", sa.Text),
        sa.column("answer_days", sa.Integer),
        sa.column("wait_days", sa.Integer),
        sa.column("valid_from", sa.DateTime(timezone=True)),
    )
    start = datetime(2020, 1, 1, tzinfo=UTC)
    rows = [
        dict(
            position=p,
            document_type=t,
            name=n,
            summary_template=su,
            body_template=b,
            request_template=r,
            answer_days=a,
            wait_days=w,
            valid_from=start,
        )
        for p, t, n, su, b, r, a, w in LADDER
    ]
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for row in rows:
            row["valid_from"] = row["valid_from"].replace(tzinfo=None)
    op.bulk_insert(table, rows)


# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table(
        "register_counters",
        sa.Column("register", sa.String(length=8), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("register", "year", name=op.f("pk_register_counters")),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("rule_version_ids", sa.JSON(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("close_reason", sa.Text(), nullable=True),
        sa.Column("times_reopened", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("step_issued_on", sa.Date(), nullable=True),
        sa.Column("inspector_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('not_installed', 'not_connected', 'lost_connection', 'low_completeness', 'missing_parameters', 'exceedance')",
            name=op.f("ck_cases_kind"),
        ),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_cases_status")),
        sa.CheckConstraint("step >= 0", name=op.f("ck_cases_step")),
        sa.ForeignKeyConstraint(["closed_by_id"], ["users.id"], name=op.f("fk_cases_closed_by_id_users")),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facilities.id"], name=op.f("fk_cases_facility_id_facilities")
        ),
        sa.ForeignKeyConstraint(["inspector_id"], ["users.id"], name=op.f("fk_cases_inspector_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("facility_id", "kind", name="uq_cases_facility_kind"),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_facility_id"), ["facility_id"], unique=False)
        batch_op.create_index("ix_cases_status_kind", ["status", "kind"], unique=False)

    op.create_table(
        "ladder_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("document_type", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("summary_template", sa.Text(), nullable=False),
        sa.Column("body_template", sa.Text(), nullable=False),
        sa.Column("request_template", sa.Text(), nullable=False),
        sa.Column("answer_days", sa.Integer(), nullable=True),
        sa.Column("wait_days", sa.Integer(), nullable=True),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "document_type IN ('CV', 'GM', 'TB', 'TTr')", name=op.f("ck_ladder_steps_document_type")
        ),
        sa.CheckConstraint(
            "answer_days IS NULL OR answer_days >= 1", name=op.f("ck_ladder_steps_answer_days")
        ),
        sa.CheckConstraint("position >= 1", name=op.f("ck_ladder_steps_position")),
        sa.CheckConstraint("wait_days IS NULL OR wait_days >= 1", name=op.f("ck_ladder_steps_wait_days")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_ladder_steps_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ladder_steps")),
    )
    with op.batch_alter_table("ladder_steps", schema=None) as batch_op:
        batch_op.create_index("ix_ladder_steps_position", ["position", "superseded_at"], unique=False)

    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("facility_id", sa.Integer(), nullable=False),
        sa.Column("ladder_step_id", sa.Integer(), nullable=True),
        sa.Column("step_position", sa.Integer(), nullable=False),
        sa.Column("document_type", sa.String(length=8), nullable=False),
        sa.Column("register", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("addressee", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("legal_basis", sa.JSON(), nullable=False),
        sa.Column("requests", sa.JSON(), nullable=False),
        sa.Column("copies_to", sa.JSON(), nullable=False),
        sa.Column("rule_version_ids", sa.JSON(), nullable=False),
        sa.Column("answer_due_on", sa.Date(), nullable=True),
        sa.Column("signer_name", sa.String(length=200), nullable=True),
        sa.Column("signer_title", sa.String(length=200), nullable=True),
        sa.Column("signer_authority", sa.String(length=200), nullable=True),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("number_text", sa.String(length=80), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=True),
        sa.Column("pdf_path", sa.String(length=300), nullable=True),
        sa.Column("verify_token", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.String(length=200), nullable=True),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("returned_reason", sa.Text(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "document_type IN ('CV', 'GM', 'TB', 'TTr', 'BB', 'BC')", name=op.f("ck_notices_document_type")
        ),
        sa.CheckConstraint(
            "status <> 'issued' OR (number IS NOT NULL AND issued_on IS NOT NULL AND pdf_sha256 IS NOT NULL)",
            name=op.f("ck_notices_issued_complete"),
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'approved', 'issued', 'cancelled')",
            name=op.f("ck_notices_status"),
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["users.id"], name=op.f("fk_notices_approved_by_id_users")
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_notices_case_id_cases")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_notices_created_by_id_users")),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facilities.id"], name=op.f("fk_notices_facility_id_facilities")
        ),
        sa.ForeignKeyConstraint(["issued_by_id"], ["users.id"], name=op.f("fk_notices_issued_by_id_users")),
        sa.ForeignKeyConstraint(
            ["ladder_step_id"], ["ladder_steps.id"], name=op.f("fk_notices_ladder_step_id_ladder_steps")
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"], ["notices.id"], name=op.f("fk_notices_supersedes_id_notices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
        sa.UniqueConstraint("register", "year", "number", name="uq_notices_register_year_number"),
        sa.UniqueConstraint("verify_token", name=op.f("uq_notices_verify_token")),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notices_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notices_facility_id"), ["facility_id"], unique=False)
        batch_op.create_index("ix_notices_status", ["status", "issued_on"], unique=False)

    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('opened', 'updated', 'closed', 'reopened', 'notice_issued', 'note')",
            name=op.f("ck_case_events_kind"),
        ),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"], name=op.f("fk_case_events_by_id_users")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_events_case_id_cases")),
        sa.ForeignKeyConstraint(["notice_id"], ["notices.id"], name=op.f("fk_case_events_notice_id_notices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_events")),
    )
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_events_case_id"), ["case_id"], unique=False)

    op.create_table(
        "notice_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_notice_answers_author_id_users")),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notices.id"], name=op.f("fk_notice_answers_notice_id_notices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_answers")),
    )
    with op.batch_alter_table("notice_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notice_answers_notice_id"), ["notice_id"], unique=False)

    op.create_table(
        "notice_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'failed')", name=op.f("ck_notice_deliveries_status")
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notices.id"], name=op.f("fk_notice_deliveries_notice_id_notices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_deliveries")),
        sa.UniqueConstraint("notice_id", "recipient", name="uq_notice_deliveries_notice_recipient"),
    )
    with op.batch_alter_table("notice_deliveries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notice_deliveries_notice_id"), ["notice_id"], unique=False)

    op.create_table(
        "notice_receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('opened', 'acknowledged')", name=op.f("ck_notice_receipts_kind")),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notices.id"], name=op.f("fk_notice_receipts_notice_id_notices")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_notice_receipts_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_receipts")),
    )
    with op.batch_alter_table("notice_receipts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notice_receipts_notice_id"), ["notice_id"], unique=False)

    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.CheckConstraint("kind IN ('answer_due', 'step_due')", name=op.f("ck_reminders_kind")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_reminders_case_id_cases")),
        sa.ForeignKeyConstraint(["notice_id"], ["notices.id"], name=op.f("fk_reminders_notice_id_notices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders")),
        sa.UniqueConstraint("notice_id", "kind", name="uq_reminders_notice_kind"),
    )
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.create_index("ix_reminders_due", ["sent_at", "due_at"], unique=False)

    op.create_table(
        "delivery_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("message_id", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["notice_deliveries.id"],
            name=op.f("fk_delivery_log_delivery_id_notice_deliveries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_log")),
    )
    with op.batch_alter_table("delivery_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_delivery_log_delivery_id"), ["delivery_id"], unique=False)

    # ### end Alembic commands ###
    for statement in FREEZE_SQL.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    _seed_ladder()


def downgrade():
    for statement in UNFREEZE_SQL.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table("delivery_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_log_delivery_id"))

    op.drop_table("delivery_log")
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.drop_index("ix_reminders_due")

    op.drop_table("reminders")
    with op.batch_alter_table("notice_receipts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_receipts_notice_id"))

    op.drop_table("notice_receipts")
    with op.batch_alter_table("notice_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_deliveries_notice_id"))

    op.drop_table("notice_deliveries")
    with op.batch_alter_table("notice_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_answers_notice_id"))

    op.drop_table("notice_answers")
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_events_case_id"))

    op.drop_table("case_events")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index("ix_notices_status")
        batch_op.drop_index(batch_op.f("ix_notices_facility_id"))
        batch_op.drop_index(batch_op.f("ix_notices_case_id"))

    op.drop_table("notices")
    with op.batch_alter_table("ladder_steps", schema=None) as batch_op:
        batch_op.drop_index("ix_ladder_steps_position")

    op.drop_table("ladder_steps")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_status_kind")
        batch_op.drop_index(batch_op.f("ix_cases_facility_id"))

    op.drop_table("cases")
    op.drop_table("register_counters")
    # ### end Alembic commands ###
