"""``Screen``: the base of the main window's pages that work on the member's data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from smartdesk.gui.tasks import TaskManager
    from smartdesk.services import Workspace


class Screen(QWidget):
    """A page of the main window that reads and writes through the workspace ``ws`` and runs its slow
    work through ``tasks``.

    The window wires every screen the same way (``gui/pages/registry.py``): ``message`` is a short
    sentence for the status bar (what the screen did), ``open_document`` the id of a document to open
    in the editor (a screen that shows no documents simply never emits it). Both are set before a
    subclass builds its widgets, so a signal it connects can rely on them.
    """

    message = Signal(str)
    open_document = Signal(str)

    def __init__(self, ws: Workspace, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.tasks = tasks
