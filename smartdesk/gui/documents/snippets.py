"""The "Saved lines" button of the document editor: save the current sales line for later, or insert
one saved before (``ws.snippets``, kind ``line``). ``SnippetButton`` reads the current line through a
callable and hands a line to insert back through another; it never edits the document itself."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from smartdesk.domain.documents import Line
from smartdesk.domain.ids import uuid7
from smartdesk.gui.tasks import TaskManager
from smartdesk.i18n.ui import _
from smartdesk.services import Snippet, Workspace


def snippet_body(line: Line) -> dict[str, str]:
    """What a saved line keeps of a line: its text, figures and VAT."""
    return {
        "description": line.description,
        "quantity": str(line.quantity),
        "unit": line.unit,
        "unit_price": str(line.unit_price),
        "vat_rate": str(line.vat_rate),
        "vat_category": line.vat_category.value,
        "discount_percent": str(line.discount_percent),
    }


def fill_line(line: Line, snippet: Snippet) -> Line:
    """``line`` (a new line of the document, with its usual VAT) given the saved line's text and figures;
    the saved rate only when the VAT category is the same."""
    b = snippet.body
    line.description = b.get("description", "")
    line.unit = b.get("unit", line.unit)
    for attr in ("quantity", "unit_price", "discount_percent"):
        if attr in b:
            setattr(line, attr, Decimal(b[attr]))
    if b.get("vat_category") == line.vat_category.value and "vat_rate" in b:
        line.vat_rate = Decimal(b["vat_rate"])
    return line


class SnippetButton(QToolButton):
    """``current``: the line the cursor is on (or None); ``insert``: called with a snippet to insert."""

    message = Signal(str)

    def __init__(
        self,
        ws: Workspace,
        tasks: TaskManager,
        current: Callable[[], Line | None],
        insert: Callable[[Snippet], None],
        menu_parent: QWidget,
    ) -> None:
        super().__init__()
        self.setText(_("Saved lines"))
        self.setToolTip(_("Insert a line you saved before, or save the current line"))
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.ws, self.tasks = ws, tasks
        self._current, self._insert = current, insert
        self.snippet_menu = QMenu(menu_parent)
        self.snippet_menu.aboutToShow.connect(self._fill)
        self.setMenu(self.snippet_menu)

    def _fill(self) -> None:
        menu = self.snippet_menu
        menu.clear()
        save = menu.addAction(_("Save the current line for later"), self.save_current)
        save.setEnabled(self._current() is not None)
        menu.addSeparator()
        items = self.ws.snippets.list("line")
        if not items:
            empty = menu.addAction(_("No saved lines yet"))
            empty.setEnabled(False)
        for s in items:
            action = QAction(s.title, menu)
            action.triggered.connect(lambda _c=False, s=s: self._insert(s))
            menu.addAction(action)

    def save_current(self) -> None:
        """Save the current line as a snippet titled with its description."""
        line = self._current()
        if line is None:
            return
        snippet = Snippet(
            id=uuid7(), kind="line", title=line.description or _("Line"), body=snippet_body(line)
        )
        self.tasks.write(
            lambda: self.ws.snippets.save(snippet),
            lambda _r: self.message.emit(_("Line saved: find it under “Saved lines”.")),
        )
