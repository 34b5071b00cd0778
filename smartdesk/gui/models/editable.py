"""The base of the editor's line models (a quote's lines, an expense note's expenses)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal

from smartdesk.domain.documents import Document
from smartdesk.gui.documents.model import Index


class EditableLinesModel(QAbstractTableModel):
    """The lines of the document being edited, one row each. Edits are *requested* (``edit_requested``):
    the editor turns them into undoable commands, so the model never changes a document by itself.

    ``fields`` names the field of the line each editable column edits; ``parse`` turns what was typed
    into its value (ValueError in plain words) and ``changes`` says whether that value is an edit."""

    Columns: type[IntEnum]
    fields: Mapping[Any, str]
    edit_requested = Signal(int, str, object)  # row, field, new value (already parsed)
    move_requested = Signal(int, int)  # from row, to row
    parse_failed = Signal(int, str, str)  # row, field, message

    def __init__(self, get_document: Callable[[], Document]) -> None:
        super().__init__()
        self._get = get_document
        self.problems: dict[tuple[int, str], str] = {}  # (row, field) -> what is wrong, in plain words

    @property
    def lines(self) -> Sequence[Any]:
        raise NotImplementedError

    def refresh(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.Columns)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and self.Columns(index.column()) in self.fields:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        field = self.fields.get(self.Columns(index.column()))
        if field is None:
            return False
        try:
            parsed = self.parse(field, value)
        except ValueError as exc:
            self.parse_failed.emit(index.row(), field, str(exc))
            return False
        if not self.changes(index.row(), field, parsed):
            return False
        self.edit_requested.emit(index.row(), field, parsed)
        return True

    def parse(self, field: str, value: Any) -> Any:
        raise NotImplementedError

    def changes(self, row: int, field: str, value: Any) -> bool:
        """Whether ``value`` (parsed) changes the field of the line of ``row``."""
        return bool(getattr(self.lines[row], field) != value)

    def line_at(self, index: Index) -> Any | None:
        """The line of a cell; None for an index that is not a cell of this model."""
        if not index.isValid() or index.row() >= len(self.lines):
            return None
        return self.lines[index.row()]
