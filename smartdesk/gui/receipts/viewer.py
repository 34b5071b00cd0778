"""The receipt viewer: pages, crop, rotate, replace, remove."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QObject,
    Qt,
)
from PySide6.QtGui import (
    QImage,
    QKeyEvent,
    QKeySequence,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smartdesk.domain.documents import ExpenseLine
from smartdesk.domain.lifecycle import is_editable
from smartdesk.errors import SmartDeskError
from smartdesk.gui.errors import error_text
from smartdesk.gui.receipts.canvas import ReceiptCanvas, load_page_image
from smartdesk.gui.receipts.edits import Box, edit_page
from smartdesk.gui.tasks import qobject_alive
from smartdesk.i18n.ui import _, tr

if TYPE_CHECKING:
    from smartdesk.gui.receipts.controller import ReceiptController

# --- the viewer ------------------------------------------------------------------------------------------


class ReceiptViewer(QDialog):
    """The receipts of one expense line: page by page, zoom, turn 90°, crop, remove; all undoable."""

    canvas: ReceiptCanvas  # made in __init__, after the buttons that use it

    def __init__(self, controller: ReceiptController, line_id: str, page: int = 0) -> None:
        super().__init__(controller.editor)
        self.controller = controller
        self.editor = controller.editor
        self.line_id = line_id
        self.doc_id = controller.editor.doc.id
        self.page = page
        self.busy = False
        self.shown_sha = ""
        self.is_pdf = False
        self.setWindowTitle(_("Receipt"))
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.resize(760, 820)
        self._build()
        self.editor.undo_stack.indexChanged.connect(self._stack_changed)
        self.refresh()

    def _button(self, text: str, tip: str, slot: Callable[[], None], shortcut: str = "") -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip + (f"  ({shortcut})" if shortcut else ""))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.clicked.connect(slot)
        if shortcut:
            QShortcut(QKeySequence(shortcut), self, slot)
        return button

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.prev_button = self._button("◀", _("Previous page"), lambda: self.go(self.page - 1), "PgUp")
        self.page_label = QLabel()
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next_button = self._button("▶", _("Next page"), lambda: self.go(self.page + 1), "PgDown")
        self.zoom_out_button = self._button("−", _("Zoom out"), lambda: self.canvas.zoom_by(0.8), "Ctrl+-")
        self.zoom_label = QLabel()
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_in_button = self._button("+", _("Zoom in"), lambda: self.canvas.zoom_by(1.25), "Ctrl++")
        QShortcut(QKeySequence("Ctrl+="), self, lambda: self.canvas.zoom_by(1.25))
        self.fit_button = self._button(
            _("Fit"), _("Show the whole page"), lambda: self.canvas.fit(), "Ctrl+0"
        )
        self.left_button = self._button(
            "⟲ " + _("Turn left"),
            _("Turn the photo a quarter turn to the left"),
            lambda: self.rotate(-1),
            "Ctrl+L",
        )
        self.right_button = self._button(
            "⟳ " + _("Turn right"),
            _("Turn the photo a quarter turn to the right"),
            lambda: self.rotate(1),
            "Ctrl+R",
        )
        self.crop_button = self._button(
            _("Crop"),
            _("Draw a frame around the receipt with the mouse, then keep it"),
            self._toggle_crop,
            "C",
        )
        self.crop_button.setCheckable(True)
        self.keep_button = QPushButton(_("Keep the framed area"))
        self.keep_button.setToolTip(_("Cut away everything outside the frame (Enter)"))
        self.keep_button.clicked.connect(self.keep_selection)
        self.keep_button.hide()
        self.undo_button = self._button(
            _("Undo"), _("Undo the last change to this note") + "  (Ctrl+Z)", self.editor.undo_stack.undo
        )
        self.remove_button = self._button(
            _("Remove this page"),
            _("Take this page off the expense (Ctrl+Z brings it back)"),
            self.remove_page,
            "Del",
        )
        for w in (self.prev_button, self.page_label, self.next_button):
            bar.addWidget(w)
        bar.addSpacing(12)
        for w in (self.zoom_out_button, self.zoom_label, self.zoom_in_button, self.fit_button):
            bar.addWidget(w)
        bar.addSpacing(12)
        for w in (self.left_button, self.right_button, self.crop_button):
            bar.addWidget(w)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.canvas = ReceiptCanvas()
        self.canvas.zoom_changed.connect(lambda z: self.zoom_label.setText(f"{round(z * 100)} %"))
        self.canvas.selection_made.connect(lambda r: self.keep_button.setEnabled(not r.isEmpty()))
        layout.addWidget(self.canvas, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.undo_button)
        bottom.addWidget(self.remove_button)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setObjectName("receipt_status")
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.keep_button)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.close)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self, self._enter)
        for child in (self, *self.findChildren(QWidget)):
            child.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y here act on the note, whatever shortcuts the main window has."""
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(event, QKeyEvent):
            undo = event.matches(QKeySequence.StandardKey.Undo)
            redo = event.matches(QKeySequence.StandardKey.Redo) or (
                event.modifiers() & Qt.KeyboardModifier.ControlModifier and event.key() == Qt.Key.Key_Y
            )
            if undo or redo:
                event.accept()
                if kind == QEvent.Type.KeyPress:
                    stack = self.editor.undo_stack
                    if not self.busy:
                        (stack.undo if undo else stack.redo)()
                return True
        return super().eventFilter(watched, event)

    # --- state -------------------------------------------------------------------------------------------
    def _stack_changed(self, _index: int) -> None:
        if qobject_alive(self) and qobject_alive(self.editor) and qobject_alive(self.editor.undo_stack):
            self.refresh()

    def line(self) -> ExpenseLine | None:
        return next((x for x in self.editor.doc.expense_lines if x.id == self.line_id), None)

    def pages(self) -> list[str]:
        line = self.line()
        return list(line.receipts) if line is not None else []

    def current_sha(self) -> str:
        pages = self.pages()
        return pages[self.page] if 0 <= self.page < len(pages) else ""

    def refresh(self) -> None:
        """Follow the note: after an edit, an undo or a redo, show the line's current page."""
        line = self.line()
        pages = self.pages()
        if line is None or not pages:
            self.canvas.item.setPixmap(QPixmap())
            self.page_label.setText(_("No page"))
            self._set_status(_("This expense has no receipt any more. Ctrl+Z brings the last one back."))
            self._update_buttons()
            return
        self.page = max(0, min(self.page, len(pages) - 1))
        n = self.editor.doc.expense_lines.index(line) + 1
        who = line.supplier or line.description
        self.setWindowTitle(tr("Receipt of expense {n}", n=n) + (f" — {who}" if who else ""))
        self.page_label.setText(tr("Page {page} of {count}", page=self.page + 1, count=len(pages)))
        sha = pages[self.page]
        if sha != self.shown_sha:
            self.shown_sha = sha
            self._load(sha)
        self._update_buttons()

    def _load(self, sha: str) -> None:
        ws = self.controller.ws

        def done(result: tuple[QImage, bool]) -> None:
            if not qobject_alive(self) or sha != self.shown_sha:
                return
            image, self.is_pdf = result
            self.canvas.set_image(image)
            self._set_status(
                _("PDF receipts are kept exactly as they are: they cannot be turned or cropped.")
                if self.is_pdf
                else ""
            )
            self._update_buttons()

        def failed(exc: BaseException) -> None:
            if qobject_alive(self):
                self._set_status(error_text(exc))

        self.controller.tasks.run(lambda: load_page_image(ws, sha), done, failed)

    def _update_buttons(self) -> None:
        pages = self.pages()
        editable = is_editable(self.editor.doc.status) and bool(pages)
        can_edit = editable and not self.is_pdf and not self.busy and bool(self.shown_sha)
        for b in (self.left_button, self.right_button, self.crop_button):
            b.setEnabled(can_edit)
        self.remove_button.setEnabled(editable and not self.busy)
        self.prev_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page < len(pages) - 1)
        self.undo_button.setEnabled(self.editor.undo_stack.canUndo() and not self.busy)
        self.keep_button.setVisible(self.crop_button.isChecked())
        self.keep_button.setEnabled(can_edit and not self.canvas.selection.isEmpty())

    def _set_status(self, text: str) -> None:
        self.status.setText(text)

    def go(self, page: int) -> None:
        if 0 <= page < len(self.pages()):
            self.page = page
            self.crop_button.setChecked(False)
            self.canvas.set_crop_mode(False)
            self.refresh()

    # --- changes -------------------------------------------------------------------------------------------
    def rotate(self, quarter_turns: int) -> None:
        self._change(_("Turn the receipt"), turns=quarter_turns)

    def crop_to(self, box: Box) -> None:
        """Keep this (left, top, right, bottom) area of the page as shown, in its pixels."""
        self._change(_("Crop the receipt"), crop_box=box)

    def keep_selection(self) -> None:
        r = self.canvas.selection
        if r.isEmpty():
            self._set_status(_("Draw a frame around the receipt first."))
            return
        self.crop_to((round(r.left()), round(r.top()), round(r.right()), round(r.bottom())))

    def _enter(self) -> None:
        if self.crop_button.isChecked():
            self.keep_selection()

    def _toggle_crop(self) -> None:
        if self.sender() is not self.crop_button:  # the shortcut
            self.crop_button.setChecked(not self.crop_button.isChecked())
        on = self.crop_button.isChecked() and self.crop_button.isEnabled()
        self.crop_button.setChecked(on)
        self.canvas.set_crop_mode(on)
        self._set_status(
            _("Draw a frame around the receipt with the mouse, then click “Keep the framed area”.")
            if on
            else ""
        )
        self._update_buttons()

    def _change(self, text: str, turns: int = 0, crop_box: Box | None = None) -> None:
        sha, page, line_id = self.current_sha(), self.page, self.line_id
        if not sha or self.busy or self.is_pdf or not is_editable(self.editor.doc.status):
            return
        self.busy = True
        self._set_status(_("Working…"))
        self._update_buttons()
        ws, edits = self.controller.ws, self.controller.edits

        def done(new_sha: str) -> None:
            if not qobject_alive(self):
                self.controller.replace_page(line_id, page, sha, new_sha, text)
                return
            self.busy = False
            self.crop_button.setChecked(False)
            self.canvas.set_crop_mode(False)
            self._set_status("")
            self.controller.replace_page(line_id, page, sha, new_sha, text)
            self.refresh()

        def failed(exc: BaseException) -> None:
            if not qobject_alive(self):
                return
            self.busy = False
            self._set_status(
                error_text(exc) if isinstance(exc, SmartDeskError) else _("This change failed; try again.")
            )
            self._update_buttons()

        self.controller.tasks.write(lambda: edit_page(ws, edits, sha, turns, crop_box), done, failed)

    def remove_page(self) -> None:
        sha, page = self.current_sha(), self.page
        if sha:
            self.controller.remove_page(self.line_id, page, sha)
