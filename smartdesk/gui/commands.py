"""Undo commands. Each one calls services; nothing is undone behind the member's back."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from smartdesk.domain.documents import Document

if TYPE_CHECKING:
    from smartdesk.gui.documents.editor import DocumentEditor

MERGE_ID = 4242


class EditDocumentCommand(QUndoCommand):
    """One change to the document being edited: before/after snapshots, saved at once each way.

    Consecutive keystrokes in the same field (same ``merge_key``) merge into one undo step."""

    def __init__(
        self, editor: DocumentEditor, before: Document, after: Document, text: str, merge_key: str = ""
    ) -> None:
        super().__init__(text)
        self.editor = editor
        self.before = before
        self.after = after
        self.merge_key = merge_key

    def id(self) -> int:
        return MERGE_ID if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditDocumentCommand) or other.merge_key != self.merge_key:
            return False
        if other.after.id != self.after.id:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        self.editor.apply_state(copy.deepcopy(self.after))

    def undo(self) -> None:
        self.editor.apply_state(copy.deepcopy(self.before))


class CallbackCommand(QUndoCommand):
    """A list-level action (delete, duplicate, convert) with its undo, both calling services."""

    def __init__(self, text: str, do: Callable[[], object], undo: Callable[[], object]) -> None:
        super().__init__(text)
        self._do = do
        self._undo = undo

    def redo(self) -> None:
        self._do()

    def undo(self) -> None:
        self._undo()
