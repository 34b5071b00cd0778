"""The local store: one SQLite file per data folder, migrated with Alembic, with an outbox."""

from smartdesk.store.repository import Store
from smartdesk.store.rows import (
    ActivitySummary,
    ClientRow,
    DocumentQuery,
    DocumentRow,
    ListSums,
    OutboxEntry,
    Page,
    SearchHit,
    Snippet,
)

__all__ = [
    "ActivitySummary",
    "ClientRow",
    "DocumentQuery",
    "DocumentRow",
    "ListSums",
    "OutboxEntry",
    "Page",
    "SearchHit",
    "Snippet",
    "Store",
]
