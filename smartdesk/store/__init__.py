"""The local store: one SQLite file per data folder, migrated with Alembic, with an outbox."""

from smartdesk.store import rows
from smartdesk.store.repository import Store
from smartdesk.store.rows import *  # noqa: F403 (the row types, named in rows.__all__)

__all__ = ["Store"]
__all__ += rows.__all__
