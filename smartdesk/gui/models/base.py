"""The base of the read-only list models of the pages: a model is a table of its columns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    Qt,
)

from smartdesk.gui import fmt
from smartdesk.gui.documents.model import Index
from smartdesk.gui.models.roles import (
    ID_ROLE,
    SORT_ROLE,
)
from smartdesk.i18n.ui import _

if TYPE_CHECKING:
    from smartdesk.services import Workspace


@dataclass(frozen=True)
class ListColumn:
    """One column of a list: its title (marked with ``N_``), the text shown for a row, the value the
    list is ordered by (None: the text shown, ignoring case) and whether it holds figures (right)."""

    header: str
    text: Callable[[Any], str]
    sort: Callable[[Any], Any] | None = None
    number: bool = False


def text_column(header: str, field: str) -> ListColumn:
    """A column showing a text field of the row as it is."""
    return ListColumn(header, attrgetter(field))


def count_column(header: str, field: str) -> ListColumn:
    """A column of whole numbers, ordered by their value."""
    return ListColumn(header, lambda row: str(getattr(row, field)), attrgetter(field), number=True)


def money_column(header: str, field: str) -> ListColumn:
    """A column of amounts in euro, ordered by their value."""
    return ListColumn(header, lambda row: fmt.money(getattr(row, field)), attrgetter(field), number=True)


class _ListModel(QAbstractTableModel):
    """A list of rows the workspace ``ws`` gives (``reload`` reads them), shown as ``columns``."""

    columns: tuple[ListColumn, ...] = ()

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self._rows: list[Any] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(self.columns[section].header)
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
        sort = self.columns[column].sort
        return sort(row) if sort is not None else self._text(row, column).casefold()

    def _text(self, row: Any, column: int) -> str:
        return self.columns[column].text(row)

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
        return self.columns[column].number
