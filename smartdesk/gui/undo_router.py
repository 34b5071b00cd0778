"""Route Ctrl+Z / Ctrl+Shift+Z from text fields to the window's undo stacks."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit


class UndoRouter(QObject):
    """Lets Ctrl+Z / Ctrl+Shift+Z reach the document's undo stack even inside a text field.

    ``text_first``: the field keeps its own undo while it has some (a search box), then passes it on."""

    def __init__(self, parent: QObject | None = None, text_first: bool = False) -> None:
        super().__init__(parent)
        self.text_first = text_first

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if (
                self.text_first
                and isinstance(watched, QLineEdit)
                and (watched.isUndoAvailable() or watched.isRedoAvailable())
            ):
                return False
            if (
                event.matches(QKeySequence.StandardKey.Undo)
                or event.matches(QKeySequence.StandardKey.Redo)
                or (event.key() == Qt.Key.Key_Z and event.modifiers() & Qt.KeyboardModifier.ControlModifier)
            ):
                event.ignore()
                return True
        return False
