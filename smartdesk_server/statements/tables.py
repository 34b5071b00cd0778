"""Tables of bank statements (created by migration 0003_statements), on the server's one metadata."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, Text

from smartdesk_server.db import id_column, metadata, sha256_column, time_column

# one row per imported file
statement_imports = Table(
    "statement_imports",
    metadata,
    id_column("id", primary_key=True),
    Column("format", String(10), nullable=False),
    Column("file_name", String(300), nullable=False, default=""),
    sha256_column(nullable=False),
    Column("account", String(40), nullable=False),
    Column("transactions", Integer, nullable=False),
    Column("new", Integer, nullable=False),
    id_column("imported_by", nullable=False, default=""),
    time_column("imported_at"),
)

# one row per bank movement, recorded once: ``key`` = account + bank reference + date + amount
statement_transactions = Table(
    "statement_transactions",
    metadata,
    id_column("id", primary_key=True),
    Column("key", String(64), nullable=False, unique=True),
    id_column("import_id", nullable=False),
    Column("account", String(40), nullable=False),
    Column("bank_ref", String(100), nullable=False),
    Column("booking_date", String(10), nullable=False),
    Column("value_date", String(10), nullable=False, default=""),
    Column("amount", String(20), nullable=False),  # signed decimal text
    Column("currency", String(3), nullable=False),
    Column("structured", String(12), nullable=False, default=""),
    Column("creditor_ref", String(40), nullable=False, default=""),
    Column("free_text", Text, nullable=False, default=""),
    Column("counterparty_name", String(200), nullable=False, default=""),
    Column("counterparty_iban", String(40), nullable=False, default=""),
    # matched | partly_assigned | unmatched | suggested | ignored | outgoing
    Column("state", String(20), nullable=False),
    Column("reason", Text, nullable=False, default=""),
    Column("suggestions", Text, nullable=False, default="[]"),  # JSON [{document_id, number, why}]
    Column("note", Text, nullable=False, default=""),
    time_column("created_at"),
    id_column("resolved_by", nullable=False, default=""),
    time_column("resolved_at", default=""),
    Index("ix_statement_transactions_state", "state"),
    Index("ix_statement_transactions_iban", "counterparty_iban"),
)

# each part of a movement given to an invoice (one movement may pay several invoices)
statement_allocations = Table(
    "statement_allocations",
    metadata,
    id_column("tx_id", primary_key=True),
    id_column("document_id", primary_key=True),
    Column("amount", String(20), nullable=False),
    Column("how", String(20), nullable=False),  # structured | invoice_number | staff
    time_column("at"),
    Index("ix_statement_allocations_document", "document_id"),
)

# what matching needs of every invoice and credit note the cooperative numbered, filled from
# ``records`` as they are numbered (legal number and payment reference never change afterwards)
invoice_refs = Table(
    "invoice_refs",
    metadata,
    id_column("document_id", primary_key=True),
    id_column("member_id", nullable=False),
    Column("kind", String(30), nullable=False),
    Column("ogm", String(12), nullable=False, default=""),
    Column("number", String(60), nullable=False, default=""),  # normalised: upper case, no separators
    id_column("client_id", nullable=False, default=""),
    Column("client_name", String(200), nullable=False, default=""),  # normalised for comparison
    Column("total", String(20), nullable=False),
    Column("currency", String(3), nullable=False),
    Index("ix_invoice_refs_ogm", "ogm"),
    Index("ix_invoice_refs_number", "number"),
    Index("ix_invoice_refs_client_name", "client_name"),
    Index("ix_invoice_refs_client_id", "client_id"),
)

ALL = (statement_imports, statement_transactions, statement_allocations, invoice_refs)
