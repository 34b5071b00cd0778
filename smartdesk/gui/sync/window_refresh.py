"""Until every screen listens to the event bus itself: refresh the main window's screens after a pull.

TEMPORARY BRIDGE (issue 15). Sync no longer calls into the window: it emits
``events().documents_changed(ids)``. This listener does, in ONE place, what ``SyncUi`` used to do
inline: refresh the visible document lists, the clients and activities pages, and reload the open
document when a pull changed it (and no edit of it is still being saved). Once the lists and the
editor connect to the bus themselves (the "gui by screen" work), delete this module and its one call
in ``SyncUi.__init__``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer

from smartdesk.gui.events import events

if TYPE_CHECKING:
    from smartdesk.gui.main_window import MainWindow


class WindowRefresh(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        events().documents_changed.connect(self.documents_changed)

    def documents_changed(self, ids: object) -> None:
        w = self.window
        w._documents_changed()  # noqa: SLF001 - the window's own "documents changed" refresh
        for key in ("clients", "activities"):
            page = w.pages.get(key)
            refresh = getattr(page, "refresh", None)
            if page is not None and page.isVisible() and callable(refresh):
                refresh()
        from smartdesk.gui.main_window import EDITOR

        if w.current_key() == EDITOR and isinstance(ids, set | frozenset) and w.editor.doc.id in ids:
            if w.tasks.pending:
                QTimer.singleShot(500, lambda: self.documents_changed(ids))
            elif self._differs(w.editor.doc):
                w.editor.load(w.editor.doc.id)

    def _differs(self, shown: Any) -> bool:
        """Does the stored document differ from the one on screen? (The echo of the member's own edits
        does not: the editor is left alone, with its undo history.)"""
        from smartdesk.domain.serialize import document_to_dict

        try:
            stored = self.window.ws.documents.get(shown.id)
        except Exception:  # noqa: BLE001 - deleted elsewhere: the editor shows what it has
            return False
        skip = ("version", "updated_at", "created_at")
        a = {k: v for k, v in document_to_dict(stored).items() if k not in skip}
        b = {k: v for k, v in document_to_dict(shown).items() if k not in skip}
        return a != b
