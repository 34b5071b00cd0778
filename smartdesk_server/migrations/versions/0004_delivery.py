"""e-invoices archived at validation and the delivery queue

Revision ID: 0004_delivery
Revises: 0003_statements
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_delivery"
down_revision = "0003_statements"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "einvoice_files",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "einvoice_documents",
        sa.Column("document_id", sa.String(36), primary_key=True),
        sa.Column("member_id", sa.String(36), nullable=False),
        sa.Column("syntax", sa.String(10), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("rule_sets", sa.Text(), nullable=False),
        sa.Column("warnings", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("document_id", sa.String(36), nullable=False, unique=True),
        sa.Column("member_id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("recipient", sa.String(320), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_at", sa.Float(), nullable=False),
        sa.Column("claimed_until", sa.Float(), nullable=False),
        sa.Column("message_id", sa.String(200), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_deliveries_status_next", "deliveries", ["status", "next_at"])


def downgrade() -> None:
    op.drop_index("ix_deliveries_status_next", "deliveries")
    op.drop_table("deliveries")
    op.drop_table("einvoice_documents")
    op.drop_table("einvoice_files")
