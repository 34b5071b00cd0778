"""archive of issued documents: the PDF rendered at validation, content-addressed, with the stamped data

Revision ID: 0004_identity
Revises: 0003_statements
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_identity"
down_revision = "0004_delivery"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "issued_archives",
        sa.Column("document_id", sa.String(36), primary_key=True),
        sa.Column("member_id", sa.String(36), nullable=False),
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("stamped", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_issued_archives_sha_member", "issued_archives", ["sha256", "member_id"])


def downgrade() -> None:
    op.drop_index("ix_issued_archives_sha_member", table_name="issued_archives")
    op.drop_table("issued_archives")
