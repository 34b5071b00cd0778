"""Receipts in the expense-note editor: the controller that adds receipts every way a member has them
(file dialog, drag and drop, paste, camera) and opens the viewer.

Every change to the note is one command on the editor's undo stack: files are normalized and stored
on a worker first (``Workspace.receipts.store``), then attached by an undoable edit. Rotating or
cropping stores a new page and swaps the hash on the line, so Ctrl+Z brings the previous hash back.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smartdesk.domain.documents import Document
from smartdesk.domain.lifecycle import is_editable
from smartdesk.errors import SmartDeskError
from smartdesk.gui.errors import error_text
from smartdesk.gui.models.expenses import ExpenseColumns
from smartdesk.gui.models.roles import RECEIPTS_ROLE
from smartdesk.gui.receipts.camera import CameraDialog, QtCameraSource, camera_available
from smartdesk.gui.receipts.edits import PageEdits
from smartdesk.gui.receipts.files import ReceiptInput, document_label, receipt_input
from smartdesk.gui.receipts.suggestions import ReceiptSuggestions
from smartdesk.gui.receipts.thumbnails import ReceiptsDelegate, ThumbnailCache
from smartdesk.gui.receipts.viewer import ReceiptViewer
from smartdesk.gui.tasks import qobject_alive
from smartdesk.gui.widgets.page import boxed_label
from smartdesk.i18n.ui import _, tr
from smartdesk.receipts import FrameSource

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from smartdesk.gui.documents.editor import DocumentEditor
    from smartdesk.services.receipts import StoredReceipt

# expense table columns (the description takes the rest); wide enough for their header in FR and NL
_EXPENSE_WIDTHS = {
    ExpenseColumns.DATE: 86,
    ExpenseColumns.SUPPLIER: 110,
    ExpenseColumns.CATEGORY: 96,
    ExpenseColumns.AMOUNT: 96,
    ExpenseColumns.VAT_RATE: 64,
    ExpenseColumns.VAT: 64,
    ExpenseColumns.RECEIPTS: 100,
}


# --- the controller wired into the editor ---------------------------------------------------------------


class _DropFilter(QObject):
    """Files and pictures dropped on the expense table: on a line (its receipt) or below (a new expense)."""

    def __init__(self, controller: ReceiptController) -> None:
        super().__init__(controller)
        self.controller = controller

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.controller.active:
            return False
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and isinstance(
            event, (QDragEnterEvent, QDragMoveEvent)
        ):
            if receipt_input(event.mimeData()):
                event.setDropAction(Qt.DropAction.CopyAction)
                event.accept()
                return True
            return False
        if kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            found = receipt_input(event.mimeData())
            if not found:
                return False
            view = self.controller.editor.lines_view
            row = view.indexAt(event.position().toPoint()).row()
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            self.controller.add_input(found, self.controller.line_id_at(row))
            return True
        return False


class ReceiptController(QObject):
    """Everything about receipts in the editor; the editor calls ``configure`` when it shows expenses."""

    attached = Signal(str)  # line id, after a receipt was added (tests, status bar)
    receipt_attached = Signal(str, list)  # line id and the pages' hashes: the receipt suggestions read them

    def __init__(self, editor: DocumentEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.ws = editor.ws
        self.tasks = editor.tasks
        self.active = False
        self.edits = PageEdits()
        self.viewer: ReceiptViewer | None = None
        self.camera_factory: Callable[[], FrameSource | None] = self._default_camera
        self.has_camera = camera_available()
        self.thumbnails = ThumbnailCache(self.ws, self.tasks.run, self)
        self.delegate = ReceiptsDelegate(self.thumbnails, self)
        self.thumbnails.loaded.connect(self._thumbnail_loaded)
        view = editor.lines_view
        self._plain_row_height = view.verticalHeader().defaultSectionSize()
        self._drop_filter = _DropFilter(self)
        view.viewport().installEventFilter(self._drop_filter)
        self.paste_shortcut = QShortcut(
            QKeySequence.StandardKey.Paste, view, self.paste, context=Qt.ShortcutContext.WidgetShortcut
        )
        self.open_shortcut = QShortcut(
            QKeySequence("Ctrl+Shift+R"),
            editor,
            self.open_current,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        view.doubleClicked.connect(self._double_clicked)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._context_menu)

        self.camera_button = QPushButton(_("Take a photo…"))
        self.camera_button.clicked.connect(lambda: self.take_photo())
        self._update_camera_button()
        self.camera_button.hide()
        self.rejections_label = boxed_label(
            "rejections",
            "color: #a93226; background: rgba(192,57,43,0.08); border: 1px solid rgba(192,57,43,0.45);"
            " border-radius: 4px; padding: 6px;",
        )
        self.rejections_label.hide()
        self.hint_label = QLabel(
            _(
                "Drop photos or PDFs on a line, or paste them with Ctrl+V, to add its receipt. "
                "Double-click the receipts to see, turn or crop them."
            )
        )
        self.hint_label.setWordWrap(True)
        self.hint_label.setObjectName("receipt_hint")
        self.hint_label.setStyleSheet("QLabel#receipt_hint { color: palette(placeholder-text); }")
        self.panel: QWidget = QWidget()
        panel_layout = QVBoxLayout(self.panel)
        panel_layout.setContentsMargins(0, 0, 0, 0)
        panel_layout.addWidget(self.hint_label)
        panel_layout.addWidget(self.rejections_label)
        self.panel.hide()
        model = editor.expense_model
        model.modelReset.connect(self._update_rejections)
        model.dataChanged.connect(lambda *_a: self._update_rejections())
        # the values read from each receipt attached, in the background, suggested in its line
        self.suggestions = ReceiptSuggestions(self)

    # --- set-up --------------------------------------------------------------------------------------------
    def configure(self, expense: bool) -> None:
        """Called by the editor when its table switches between sales lines and expenses."""
        self.active = expense
        view = self.editor.lines_view
        view.setItemDelegateForColumn(
            ExpenseColumns.RECEIPTS, self.delegate if expense else self.editor.plain_delegate
        )
        view.verticalHeader().setDefaultSectionSize(52 if expense else self._plain_row_height)
        if expense:
            header = view.horizontalHeader()
            for column, width in _EXPENSE_WIDTHS.items():
                header.resizeSection(column, max(width, header.sectionSizeHint(column)))
            view.viewport().setAcceptDrops(True)
            view.setToolTip(
                _(
                    "Enter: new expense · Tab: next cell · drop or paste (Ctrl+V) a photo or a PDF "
                    "on a line to add its receipt · double-click the receipts to see them"
                )
            )
        self.paste_shortcut.setEnabled(expense)
        self.open_shortcut.setEnabled(expense)
        self.camera_button.setVisible(expense)
        self.panel.setVisible(expense)
        self._update_rejections()

    def _update_camera_button(self) -> None:
        self.camera_button.setEnabled(self.has_camera)
        self.camera_button.setToolTip(
            _("Photograph the receipt with this computer's camera")
            if self.has_camera
            else _(
                "No camera found on this computer. Add a photo or a PDF of the "
                "receipt instead, or drop it on the line."
            )
        )

    def set_camera_factory(self, factory: Callable[[], FrameSource | None], available: bool = True) -> None:
        """Use another camera (tests: ``GeneratedFrameSource``)."""
        self.camera_factory = factory
        self.has_camera = available
        self._update_camera_button()

    @staticmethod
    def _default_camera() -> FrameSource | None:
        if not camera_available():
            return None
        return QtCameraSource()

    def _thumbnail_loaded(self, _sha: str) -> None:
        model = self.editor.expense_model
        if model.rowCount():
            column = ExpenseColumns.RECEIPTS
            model.dataChanged.emit(
                model.index(0, column), model.index(model.rowCount() - 1, column), [RECEIPTS_ROLE]
            )

    def _update_rejections(self) -> None:
        doc = self.editor.doc
        if self.viewer is not None and qobject_alive(self.viewer) and self.viewer.doc_id != doc.id:
            self.viewer.close()  # another document was opened in the editor
        lines = [(n, line) for n, line in enumerate(doc.expense_lines, start=1) if line.rejection_reason]
        if not self.active or not lines:
            self.rejections_label.hide()
            return
        parts = [
            tr(
                "Expense {n} ({who}) was refused by your advisor: {reason}",
                n=n,
                who=line.supplier or line.description or "—",
                reason=line.rejection_reason,
            )
            for n, line in lines
        ]
        self.rejections_label.setText("\n".join(parts))
        self.rejections_label.show()

    # --- where a receipt goes --------------------------------------------------------------------------------
    def line_id_at(self, row: int) -> str:
        lines = self.editor.doc.expense_lines
        return lines[row].id if 0 <= row < len(lines) else ""

    def current_line_id(self) -> str:
        return self.line_id_at(self.editor.lines_view.currentIndex().row())

    def _can_change(self) -> bool:
        if not is_editable(self.editor.doc.status):
            self.editor._show_banner(_("This document can no longer be changed."))
            return False
        return True

    # --- adding --------------------------------------------------------------------------------------------
    def choose_files(self, line_id: str = "") -> None:
        paths, _f = QFileDialog.getOpenFileNames(
            self.editor,
            _("Add a receipt"),
            "",
            _("Receipts") + " (*.jpg *.jpeg *.png *.heic *.heif *.pdf *.JPG *.JPEG *.PNG *.HEIC *.PDF)",
        )
        if paths:
            self.add_paths(paths, line_id)

    def add_paths(self, paths: list[str], line_id: str = "") -> None:
        """Several files make one receipt with several pages."""
        self.add_input(ReceiptInput(list(paths), [], []), line_id)

    def add_input(self, found: ReceiptInput, line_id: str = "") -> None:
        if not found or not self._can_change():
            return
        ws, doc_id = self.ws, self.editor.doc.id
        self.editor.saved_label.setText(_("Adding the receipt…"))

        def work() -> StoredReceipt:
            return ws.receipts.store(found.read(), doc_id)

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, SmartDeskError):  # unexpected: its cause belongs in the log
                log.error("adding a receipt failed", exc_info=exc)
            self.editor.saved_label.setText(_("Saved"))
            self.editor._show_banner(
                error_text(exc)
                if isinstance(exc, SmartDeskError)
                else _("This receipt could not be added; nothing was changed. Try again.")
            )

        self.tasks.write(work, lambda stored: self.attach(stored, line_id), failed)

    def paste(self) -> None:
        found = receipt_input(QGuiApplication.clipboard().mimeData())
        if not found:
            self.editor._show_banner(
                _(
                    "The clipboard holds no picture and no file. Copy a photo or a receipt "
                    "file first, then paste it here."
                )
            )
            return
        self.add_input(found, self.current_line_id())

    def take_photo(self, line_id: str = "") -> None:
        if not self._can_change():
            return
        source = self.camera_factory()
        if source is None:
            self.editor._show_banner(
                _(
                    "No camera found on this computer. Add a photo or a PDF of the receipt "
                    "instead, or drop it on the line."
                )
            )
            return
        line_id = line_id or self.current_line_id()
        self.camera_dialog = dialog = CameraDialog(source, self.editor)
        dialog.accepted.connect(
            lambda: self.add_input(
                ReceiptInput([], [(dialog.photo, _("camera photo") + ".jpg")], []), line_id
            )
        )
        dialog.open()

    def attach(self, stored: StoredReceipt, line_id: str = "") -> None:
        """Put stored pages on a line (or on a new expense) as one undoable change."""
        editor = self.editor
        editor.saved_label.setText(_("Saved"))
        line = next((x for x in editor.doc.expense_lines if x.id == line_id), None)
        already_here = [
            n
            for n, x in enumerate(editor.doc.expense_lines, start=1)
            if any(h in x.receipts for h in stored.hashes)
        ]
        new_line = None
        if line is None:
            new_line = editor.ws.documents.new_expense_line(editor.doc)
            new_line.receipts = list(stored.hashes)
            target_id = new_line.id
        else:
            target_id = line.id

        def mutate(d: Document) -> None:
            if new_line is not None:
                d.expense_lines.append(copy.deepcopy(new_line))
                return
            target = next((x for x in d.expense_lines if x.id == target_id), None)
            if target is not None:
                target.receipts.extend(h for h in stored.hashes if h not in target.receipts)

        editor._edit(_("Add a receipt"), mutate)
        row = next((i for i, x in enumerate(editor.doc.expense_lines) if x.id == target_id), -1)
        if row >= 0:
            editor.lines_view.setCurrentIndex(editor.expense_model.index(row, ExpenseColumns.SUPPLIER))
        if stored.duplicates:
            names = ", ".join(document_label(d) for d in stored.duplicates)
            editor._show_banner(
                tr(
                    "This receipt is already on expense note {note}. Check that you are not "
                    "asking twice for the same expense.",
                    note=names,
                )
            )
        elif already_here:
            editor._show_banner(tr("This receipt is already on expense {n} of this note.", n=already_here[0]))
        else:
            editor._show_banner("")
        self.receipt_attached.emit(target_id, list(stored.hashes))
        self.attached.emit(target_id)

    # --- changing pages (from the viewer) ---------------------------------------------------------------------
    def replace_page(self, line_id: str, page: int, old: str, new: str, text: str) -> None:
        if old == new:
            return

        def mutate(d: Document) -> None:
            line = next((x for x in d.expense_lines if x.id == line_id), None)
            if line is not None and 0 <= page < len(line.receipts) and line.receipts[page] == old:
                line.receipts[page] = new

        self.editor._edit(text, mutate)

    def remove_page(self, line_id: str, page: int, sha: str) -> None:
        def mutate(d: Document) -> None:
            line = next((x for x in d.expense_lines if x.id == line_id), None)
            if line is not None and 0 <= page < len(line.receipts) and line.receipts[page] == sha:
                line.receipts.pop(page)

        self.editor._edit(_("Remove a receipt page"), mutate)

    # --- viewing -------------------------------------------------------------------------------------------------
    def open_viewer(self, line_id: str, page: int = 0) -> ReceiptViewer | None:
        line = next((x for x in self.editor.doc.expense_lines if x.id == line_id), None)
        if line is None:
            return None
        if self.viewer is not None:
            self.viewer.close()
            self.viewer.deleteLater()
        self.viewer = ReceiptViewer(self, line_id, page)
        self.viewer.show()
        self.viewer.raise_()
        return self.viewer

    def open_current(self) -> None:
        line_id = self.current_line_id()
        if not line_id:
            return
        line = next(x for x in self.editor.doc.expense_lines if x.id == line_id)
        if line.receipts:
            self.open_viewer(line_id)
        else:
            self.choose_files(line_id)

    def _double_clicked(self, index: QModelIndex) -> None:
        if self.active and index.column() == ExpenseColumns.RECEIPTS:
            self.open_current()

    def _context_menu(self, pos: QPoint) -> None:
        if not self.active:
            return
        view = self.editor.lines_view
        index = view.indexAt(pos)
        if index.isValid():
            view.setCurrentIndex(index)
        line_id = self.line_id_at(index.row())
        menu = QMenu(view)
        show = menu.addAction(_("Show the receipts") + "\tCtrl+Shift+R", self.open_current)
        show.setEnabled(bool(line_id))
        menu.addAction(_("Add a receipt from a file…"), lambda: self.choose_files(line_id))
        menu.addAction(_("Paste a receipt") + "\tCtrl+V", self.paste)
        camera = menu.addAction(_("Take a photo…"), lambda: self.take_photo(line_id))
        camera.setEnabled(self.has_camera)
        menu.popup(view.viewport().mapToGlobal(pos))
