"""The local store: one SQLite file per data folder, migrated with Alembic, with an outbox."""

from smartdesk.store.repository import (
    ActivitySummary,
    ClientRow,
    DocumentQuery,
    DocumentRow,
    ListSums,
    OutboxEntry,
    Page,
    SearchHit,
    Snippet,
    Store,
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
