"""The table of a document's lines (keys: Enter adds a line, Ctrl+Delete removes it)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QTableView,
)


class LinesView(QTableView):
    """The lines table: Enter adds a line, Tab moves, Ctrl+Up/Down moves a line, Ctrl+Delete removes it."""

    add_requested = Signal(int)  # after this row
    delete_requested = Signal(int)
    move_requested = Signal(int, int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.currentIndex().row()
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.state() != QAbstractItemView.State.EditingState
        ):
            self.add_requested.emit(row)
            return
        if ctrl and event.key() == Qt.Key.Key_Delete and row >= 0:
            self.delete_requested.emit(row)
            return
        if ctrl and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and row >= 0:
            self.move_requested.emit(row, row + (-1 if event.key() == Qt.Key.Key_Up else 1))
            return
        super().keyPressEvent(event)
