"""The base of the editor's small read-only boxes (payments received, delivery to the client): a framed
panel with a title that shows what a service knows of the document on screen, read off the GUI thread
when it is given the task manager, and hidden while it has nothing to show."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget


class LoadedBox(QFrame):
    def __init__(
        self, object_name: str, title: str, tasks: Any = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.doc_id = ""  # the document the box is for ("" while hidden)
        self.setObjectName(object_name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.column = QVBoxLayout(self)
        self.title = QLabel(title)
        self.title.setStyleSheet("font-weight: 600;")
        self.column.addWidget(self.title)

    def show_nothing(self) -> None:
        """Hide the box: the document on screen has nothing to show here."""
        self.doc_id = ""
        self.hide()

    def load_for(self, doc_id: str, load: Callable[[], object], show: Callable[[object], None]) -> None:
        """Run ``load`` (on the task manager's pool when there is one) and hand its answer to ``show``,
        unless another document was shown meanwhile; a failed load hides the box."""
        self.doc_id = doc_id

        def done(value: object) -> None:
            if doc_id == self.doc_id:
                show(value)

        if self.tasks is None:
            done(load())
        else:
            self.tasks.run(load, done, lambda _exc: self.hide())
