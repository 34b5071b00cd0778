"""The base of the read-only list models of the pages."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    Qt,
)

from smartdesk.gui.documents.model import Index
from smartdesk.gui.models.roles import (
    ID_ROLE,
    SORT_ROLE,
)
from smartdesk.i18n.ui import _


class _ListModel(QAbstractTableModel):
    headers: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Any] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(self.headers[section])
        return None

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def row_of(self, row_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == row_id), -1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._rows.sort(
            key=lambda r: self._sort_key(r, column), reverse=order == Qt.SortOrder.DescendingOrder
        )
        self.layoutChanged.emit()

    def _sort_key(self, row: Any, column: int) -> Any:
        return str(self._text(row, column)).casefold()

    def _text(self, row: Any, column: int) -> str:
        raise NotImplementedError

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == ID_ROLE:
            return row.id
        if role == SORT_ROLE:
            return self._sort_key(row, index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and self._is_number(index.column()):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _is_number(self, column: int) -> bool:
        return False
