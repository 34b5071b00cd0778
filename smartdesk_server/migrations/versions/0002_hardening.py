"""PLACEHOLDER on the "payments" branch only, so that 0003_statements has its parent here.

The "server" branch brings the real 0002_hardening; at merge, keep that one and drop this file.

Revision ID: 0002_hardening
Revises: 0001
"""

revision = "0002_hardening"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
