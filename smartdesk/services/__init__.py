"""Use cases the GUI and the CLI both call."""

from smartdesk.services.workspace import Workspace
from smartdesk.store import (
    ActivitySummary,
    ClientRow,
    DocumentQuery,
    DocumentRow,
    OutboxEntry,
    Page,
    SearchHit,
    Snippet,
)

__all__ = ["ActivitySummary", "ClientRow", "DocumentQuery", "DocumentRow", "OutboxEntry", "Page", "SearchHit",
           "Snippet", "Workspace"]
