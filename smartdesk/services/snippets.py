"""Snippets: lines and texts saved for later and put back into a document."""

from __future__ import annotations

from typing import TYPE_CHECKING

from smartdesk.store import Snippet

if TYPE_CHECKING:
    from smartdesk.services.workspace import Workspace


class SnippetService:
    """``ws.snippets``."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def list(self, kind: str | None = None) -> list[Snippet]:
        return self._ws.store.list_snippets(kind)

    def save(self, snippet: Snippet) -> Snippet:
        return self._ws.store.put_snippet(snippet)

    def delete(self, snippet_id: str) -> None:
        self._ws.store.delete_snippet(snippet_id)
