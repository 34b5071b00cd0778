"""bank statements: imports, transactions, allocations, invoice references for matching

Revision ID: 0003_statements
Revises: 0002_hardening
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_statements"
down_revision = "0002_hardening"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "statement_imports",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("format", sa.String(10), nullable=False),
        sa.Column("file_name", sa.String(300), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("account", sa.String(40), nullable=False),
        sa.Column("transactions", sa.Integer(), nullable=False),
        sa.Column("new", sa.Integer(), nullable=False),
        sa.Column("imported_by", sa.String(36), nullable=False),
        sa.Column("imported_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "statement_transactions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("key", sa.String(64), nullable=False, unique=True),
        sa.Column("import_id", sa.String(36), nullable=False),
        sa.Column("account", sa.String(40), nullable=False),
        sa.Column("bank_ref", sa.String(100), nullable=False),
        sa.Column("booking_date", sa.String(10), nullable=False),
        sa.Column("value_date", sa.String(10), nullable=False),
        sa.Column("amount", sa.String(20), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("structured", sa.String(12), nullable=False),
        sa.Column("creditor_ref", sa.String(40), nullable=False),
        sa.Column("free_text", sa.Text(), nullable=False),
        sa.Column("counterparty_name", sa.String(200), nullable=False),
        sa.Column("counterparty_iban", sa.String(40), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("suggestions", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("resolved_by", sa.String(36), nullable=False),
        sa.Column("resolved_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_statement_transactions_state", "statement_transactions", ["state"])
    op.create_index("ix_statement_transactions_iban", "statement_transactions", ["counterparty_iban"])
    op.create_table(
        "statement_allocations",
        sa.Column("tx_id", sa.String(36), primary_key=True),
        sa.Column("document_id", sa.String(36), primary_key=True),
        sa.Column("amount", sa.String(20), nullable=False),
        sa.Column("how", sa.String(20), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
    )
    op.create_index("ix_statement_allocations_document", "statement_allocations", ["document_id"])
    op.create_table(
        "invoice_refs",
        sa.Column("document_id", sa.String(36), primary_key=True),
        sa.Column("member_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("ogm", sa.String(12), nullable=False),
        sa.Column("number", sa.String(60), nullable=False),
        sa.Column("client_id", sa.String(36), nullable=False),
        sa.Column("client_name", sa.String(200), nullable=False),
        sa.Column("total", sa.String(20), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
    )
    op.create_index("ix_invoice_refs_ogm", "invoice_refs", ["ogm"])
    op.create_index("ix_invoice_refs_number", "invoice_refs", ["number"])
    op.create_index("ix_invoice_refs_client_name", "invoice_refs", ["client_name"])
    op.create_index("ix_invoice_refs_client_id", "invoice_refs", ["client_id"])
    # invoice_refs is filled from the records at the first import (statements.service.refresh_refs)


def downgrade() -> None:
    for name in ("invoice_refs", "statement_allocations", "statement_transactions", "statement_imports"):
        op.drop_table(name)
