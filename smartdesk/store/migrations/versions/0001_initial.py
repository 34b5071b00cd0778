"""Initial local store schema.

Revision ID: 0001
Revises:
"""

from alembic import op

from smartdesk.store.schema import FTS_DDL, metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    metadata.create_all(bind)
    for ddl in FTS_DDL:
        op.execute(ddl)


def downgrade() -> None:
    bind = op.get_bind()
    op.execute("DROP TABLE IF EXISTS documents_fts")
    op.execute("DROP TABLE IF EXISTS clients_fts")
    metadata.drop_all(bind)
