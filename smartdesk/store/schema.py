"""Local store schema (SQLAlchemy Core tables; Alembic migrations in ``migrations/`` build the same).

A document is one narrow row with the columns lists filter and sort on, and its full body in the
documented JSON form (smartdesk.domain.serialize) in ``document_bodies``. Money is exact: Decimal-as-text plus integer cents
for sorting. ``outbox`` receives one entry in the same transaction as every edit.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeDecorator

metadata = MetaData()


class DecimalText(TypeDecorator[Decimal]):
    """Decimal stored as text: SQLite's NUMERIC would turn it into a binary float."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError("money must be a Decimal")
        return format(value, "f")

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


activities = Table(
    "activities", metadata,
    Column("id", String(36), primary_key=True),
    Column("name", Text, nullable=False, default=""),
    Column("code", String(50), nullable=False, default=""),
    Column("entity", String(2), nullable=False, default="BE"),
    Column("body", Text, nullable=False),
    Column("server_version", Integer, nullable=False, default=0),
    Column("updated_at", String(32), nullable=False),
)

clients = Table(
    "clients", metadata,
    Column("id", String(36), primary_key=True),
    Column("name", Text, nullable=False, default=""),
    Column("country", String(2), nullable=False, default=""),
    Column("vat_number", String(30), nullable=False, default=""),
    Column("email", Text, nullable=False, default=""),
    Column("language", String(2), nullable=False, default="fr"),
    Column("body", Text, nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("server_version", Integer, nullable=False, default=0),
    Column("updated_at", String(32), nullable=False),
    Index("ix_clients_name", "name"),
)

documents = Table(
    "documents", metadata,
    Column("id", String(36), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("status", String(20), nullable=False),
    Column("number", String(50), nullable=False, default=""),
    Column("title", Text, nullable=False, default=""),
    Column("client_id", String(36), ForeignKey("clients.id"), nullable=True),
    Column("activity_id", String(36), ForeignKey("activities.id"), nullable=True),
    Column("issue_date", String(10), nullable=True),
    Column("due_date", String(10), nullable=True),
    Column("currency", String(3), nullable=False, default="EUR"),
    Column("total_incl", DecimalText, nullable=False),
    Column("total_cents", Integer, nullable=False, default=0),
    Column("paid_amount", DecimalText, nullable=False),
    Column("version", Integer, nullable=False, default=0),
    Column("server_version", Integer, nullable=False, default=0),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    # every list index ends with (issue_date, id): the list's order, so a first page never sorts
    Index("ix_documents_date", "issue_date", "id"),
    Index("ix_documents_kind_date", "kind", "issue_date", "id"),
    Index("ix_documents_kind_status_date", "kind", "status", "issue_date", "id"),
    Index("ix_documents_client", "client_id", "kind", "issue_date", "id"),
    Index("ix_documents_activity", "activity_id", "kind", "issue_date", "id"),
    Index("ix_documents_kind_updated", "kind", "updated_at"),
)

# The full document (documented JSON form) lives apart, so the list table stays narrow: counting and
# sorting thousands of rows for a filtered list then reads few pages.
document_bodies = Table(
    "document_bodies", metadata,
    Column("id", String(36), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("body", Text, nullable=False),
)

outbox = Table(
    "outbox", metadata,
    Column("mutation_id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(40), nullable=False),
    Column("entity_id", String(36), nullable=False),
    Column("args", Text, nullable=False),
    Column("base_version", Integer, nullable=False, default=0),
    Column("created_at", String(32), nullable=False),
    sqlite_autoincrement=True,
)

sync_state = Table(
    "sync_state", metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)

settings = Table(
    "settings", metadata,
    Column("key", String(60), primary_key=True),
    Column("value", Text, nullable=False),
)

attachments = Table(
    "attachments", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("media_type", String(60), nullable=False),
    Column("size", Integer, nullable=False),
    Column("filename", Text, nullable=False, default=""),
    Column("uploaded", Boolean, nullable=False, default=False),
    Column("created_at", String(32), nullable=False),
)

snippets = Table(
    "snippets", metadata,
    Column("id", String(36), primary_key=True),
    Column("kind", String(10), nullable=False),  # "line" or "text"
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("updated_at", String(32), nullable=False),
)

# FTS5 indexes: rowid = the rowid of the indexed row, so updates and deletes are direct.
FTS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5("
    "title, body, tokenize = \"unicode61 remove_diacritics 2\", prefix = '2 3')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS clients_fts USING fts5("
    "name, body, tokenize = \"unicode61 remove_diacritics 2\", prefix = '2 3')",
)
