"""The document editor of a window under test (``make_window`` in tests/gui/conftest.py), reached the way
a person reaches it: a new document, or one opened from a list (Qt: import only from tests/gui)."""

from __future__ import annotations

from typing import Any

from smartdesk.domain.documents import DocumentKind
from tests.support.waits import WAIT_MS


def new_in_editor(window: Any, kind: DocumentKind) -> Any:
    """Start a new document of ``kind`` (as the New button does), once it is saved, and return the editor."""
    window.new_document(kind)
    window.tasks.flush()
    return window.editor


def open_in_editor(qtbot: Any, window: Any, doc_id: str) -> Any:
    """Open the document ``doc_id`` and return the editor once it shows that document."""
    window.open_document(doc_id)
    window.tasks.flush()
    editor = window.editor
    qtbot.waitUntil(lambda: editor.doc.id == doc_id, timeout=WAIT_MS)
    return editor
