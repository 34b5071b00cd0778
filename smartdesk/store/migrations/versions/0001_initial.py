"""Initial local store schema, frozen: exactly what the releases up to December 2026 created.

Revision ID: 0001
Revises:

Explicit operations, never ``metadata.create_all``: this file must build the same tables forever,
whatever the code around it becomes (tests/unit/test_store_upgrade.py compares it with the saved
database of that release in tests/fixtures/store-0001/).

Defaults of the columns were given by the code, not by SQL (no DEFAULT clause); money columns are
decimal text (VARCHAR(40)), never NUMERIC (a binary float in SQLite).
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_FTS = "tokenize = \"unicode61 remove_diacritics 2\", prefix = '2 3'"


def upgrade() -> None:
    op.create_table(
        "activities",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("code", sa.String(50), nullable=False),
        sa.Column("entity", sa.String(2), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("server_version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "clients",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("vat_number", sa.String(30), nullable=False),
        sa.Column("email", sa.Text, nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("server_version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "outbox",
        sa.Column("mutation_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.String(36), nullable=False),
        sa.Column("args", sa.Text, nullable=False),
        sa.Column("base_version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(60), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "attachments",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("media_type", sa.String(60), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("uploaded", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "snippets",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("number", sa.String(50), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("client_id", sa.String(36), sa.ForeignKey("clients.id"), nullable=True),
        sa.Column("activity_id", sa.String(36), sa.ForeignKey("activities.id"), nullable=True),
        sa.Column("issue_date", sa.String(10), nullable=True),
        sa.Column("due_date", sa.String(10), nullable=True),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("total_incl", sa.String(40), nullable=False),
        sa.Column("total_cents", sa.Integer, nullable=False),
        sa.Column("paid_amount", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("server_version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "document_bodies",
        sa.Column("id", sa.String(36), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_index("ix_clients_name", "clients", ["name"])
    # every list index ends with (issue_date, id): the list's order, so a first page never sorts
    op.create_index("ix_documents_date", "documents", ["issue_date", "id"])
    op.create_index("ix_documents_kind_date", "documents", ["kind", "issue_date", "id"])
    op.create_index("ix_documents_kind_status_date", "documents", ["kind", "status", "issue_date", "id"])
    op.create_index("ix_documents_client", "documents", ["client_id", "kind", "issue_date", "id"])
    op.create_index("ix_documents_activity", "documents", ["activity_id", "kind", "issue_date", "id"])
    op.create_index("ix_documents_kind_updated", "documents", ["kind", "updated_at"])
    # FTS5 indexes: rowid = the rowid of the indexed row, so updates and deletes are direct
    op.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(title, body, {_FTS})")
    op.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS clients_fts USING fts5(name, body, {_FTS})")


def downgrade() -> None:
    raise NotImplementedError("the local store is never downgraded: restore the copy taken before the migration")
