"""hardening: login throttling counted in the database, known sign-in places, used refresh tokens

Revision ID: 0002_hardening
Revises: 0001
Create Date: 2026-12-03 17:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = "0002_hardening"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "known_logins",
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("last_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "fingerprint"),
    )
    op.create_table(
        "refresh_used",
        sa.Column("refresh_hash", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("expires", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("refresh_hash"),
    )


def downgrade() -> None:
    op.drop_table("refresh_used")
    op.drop_table("known_logins")
    op.drop_table("login_throttle")
