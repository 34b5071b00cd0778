"""The four tables of sync, made by this migration instead of on the fly by the first sync.

Revision ID: 0002
Revises: 0001

Up to revision 0001, ``smartdesk/sync/local.py`` created these tables with ``CREATE TABLE IF NOT
EXISTS`` when a sync started. So a file at 0001 may already have them (it has synced) or not (it
never synced). The statements below are the very ones that code ran, kept as text: a file that got
the tables on the fly and a file that gets them here end with the same schema, byte for byte in
``sqlite_master`` (tests/unit/test_store_upgrade.py), and ``IF NOT EXISTS`` leaves the tables of a
file that already has them, and their rows, untouched.

- ``sync_conflicts``: a server value that arrived while the member still had unsent changes to the
  same record (state open | held | resolved; a NULL ``server_value`` means deleted on the server).
- ``sync_rejections``: mutations the server refused for good, listed until the member dismisses them.
- ``sync_blobs_done``: receipt files the server already has (uploads are not repeated).
- ``sync_records``: what the cooperative sends that has no table of its own here (follow-up
  settings, support requests and their answers, notices of an upcoming reminder).
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

STATEMENTS = (
    "CREATE TABLE IF NOT EXISTS sync_conflicts ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " entity TEXT NOT NULL, entity_id TEXT NOT NULL,"
    " server_version INTEGER NOT NULL, server_value TEXT,"
    " local_value TEXT, state TEXT NOT NULL DEFAULT 'open',"
    " created_at TEXT NOT NULL, resolved_at TEXT)",
    "CREATE INDEX IF NOT EXISTS ix_sync_conflicts_entity ON sync_conflicts (entity_id, state)",
    "CREATE TABLE IF NOT EXISTS sync_rejections ("
    " mutation_id INTEGER PRIMARY KEY, name TEXT NOT NULL, entity_id TEXT NOT NULL, args TEXT NOT NULL,"
    " code TEXT NOT NULL, reason TEXT NOT NULL, created_at TEXT NOT NULL, dismissed INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS sync_blobs_done (sha256 TEXT PRIMARY KEY, uploaded_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS sync_records ("
    " entity TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL,"
    " PRIMARY KEY (entity, id))",
)


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("the local store is never downgraded: restore the copy taken before the migration")
