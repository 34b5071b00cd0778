"""Receipts in the expense-note editor: thumbnails on each line, adding receipts every way a member
has them (file dialog, drag and drop, paste, camera), and a viewer with zoom, rotate and crop.

Every change to the note is one command on the editor's undo stack: files are normalized and stored
on a worker first (``Workspace.store_receipt``), then attached by an undoable edit. Rotating or
cropping stores a new page and swaps the hash on the line, so Ctrl+Z brings the previous hash back.
The camera is used through ``smartdesk.receipts.FrameSource``; ``QtCameraSource`` implements it
with QtMultimedia, tests feed ``GeneratedFrameSource`` through the same dialog.
"""

from __future__ import annotations

import copy
import io
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QBuffer,
    QEvent,
    QIODevice,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QImage,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPalette,
    QPixmap,
    QShortcut,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QRubberBand,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smartdesk.domain.documents import Document, ExpenseLine
from smartdesk.domain.lifecycle import is_editable
from smartdesk.errors import SmartDeskError
from smartdesk.gui.errors import error_text
from smartdesk.gui.models import RECEIPTS_ROLE, ExpenseColumns
from smartdesk.i18n.ui import _, tr
from smartdesk.receipts import DEFAULT_POLICY, FrameSource, ReceiptError, apply_edits, sniff
from smartdesk.receipts.policy import err_too_large

if TYPE_CHECKING:
    from smartdesk.gui.editor import DocumentEditor
    from smartdesk.services import Workspace
    from smartdesk.services.workspace import StoredReceipt

Index = QModelIndex | QPersistentModelIndex
Box = tuple[int, int, int, int]

# expense table columns (the description takes the rest); wide enough for their header in FR and NL
_EXPENSE_WIDTHS = {ExpenseColumns.DATE: 86, ExpenseColumns.SUPPLIER: 110, ExpenseColumns.CATEGORY: 96,
                   ExpenseColumns.AMOUNT: 96, ExpenseColumns.VAT_RATE: 64, ExpenseColumns.VAT: 64,
                   ExpenseColumns.RECEIPTS: 100}
RECEIPT_SUFFIXES = (".jpg", ".jpeg", ".png", ".heic", ".heif", ".pdf")
THUMB_PX = 128
_RAW_IMAGE_FORMATS = ("image/jpeg", "image/png", "image/heic", "image/heif", "application/pdf")


# --- reading what the member gives us --------------------------------------------------------------------

def read_receipt_files(paths: list[str]) -> list[tuple[bytes, str]]:
    """Read picked or dropped files, refusing huge ones before reading them (runs on a worker)."""
    files: list[tuple[bytes, str]] = []
    for raw in paths:
        path = Path(raw)
        try:
            size = path.stat().st_size
        except OSError:
            raise ReceiptError("unreadable", tr("“{name}” could not be opened: it was moved or deleted. "
                                                "Choose the file again.", name=path.name)) from None
        if size > DEFAULT_POLICY.max_file_bytes:
            raise err_too_large(path.name, size, DEFAULT_POLICY.max_file_bytes)
        files.append((path.read_bytes(), path.name))
    return files


def image_to_png(image: QImage) -> bytes:
    """A pasted or dropped picture (no file behind it) as PNG bytes; safe on a worker thread."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


@dataclass
class ReceiptInput:
    """What a drop or a paste carries: local files, encoded images, or a bare picture."""

    paths: list[str]
    blobs: list[tuple[bytes, str]]
    images: list[QImage]

    def __bool__(self) -> bool:
        return bool(self.paths or self.blobs or self.images)

    def read(self) -> list[tuple[bytes, str]]:
        """All pages as (bytes, name), in order: run on a worker (reads files, encodes images)."""
        files = read_receipt_files(self.paths)
        files += self.blobs
        files += [(image_to_png(im), _("pasted picture") + ".png") for im in self.images]
        return files


def receipt_input(mime: QMimeData | None) -> ReceiptInput:
    """The receipt pages in dropped or pasted data (file URLs first, then image bytes, then a picture)."""
    found = ReceiptInput([], [], [])
    if mime is None:
        return found
    if mime.hasUrls():
        found.paths = [u.toLocalFile() for u in mime.urls() if u.isLocalFile() and u.toLocalFile()]
        if found.paths:
            return found
    for fmt in _RAW_IMAGE_FORMATS:
        if mime.hasFormat(fmt):
            data = bytes(mime.data(fmt).data())
            if data:
                suffix = fmt.rsplit("/", 1)[-1].replace("jpeg", "jpg")
                found.blobs = [(data, _("pasted picture") + "." + suffix)]
                return found
    if mime.hasImage():
        image = mime.imageData()
        if isinstance(image, QPixmap):
            image = image.toImage()
        if isinstance(image, QImage) and not image.isNull():
            found.images = [image.copy()]
    return found


def document_label(doc: Document) -> str:
    """How the member recognises another expense note: its number, else its title, else its date."""
    if doc.number:
        return doc.number
    if doc.title:
        return f"“{doc.title}”"
    day = doc.issue_date.strftime("%d/%m/%Y") if doc.issue_date else "?"
    return tr("draft of {date}", date=day)


# --- thumbnails ------------------------------------------------------------------------------------------

class ThumbnailCache(QObject):
    """Small previews of receipt pages, read on a worker once and kept in memory (disk-cached by the store)."""

    loaded = Signal(str)

    def __init__(self, ws: Workspace, run: Callable[..., Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._run = run
        self._pixmaps: dict[str, QPixmap] = {}
        self._failed: set[str] = set()
        self._asked: set[str] = set()

    def get(self, sha: str) -> QPixmap | None:
        pixmap = self._pixmaps.get(sha)
        if pixmap is None and sha not in self._asked:
            self._asked.add(sha)
            ws = self._ws

            def load() -> QImage:
                return QImage.fromData(ws.attachments.thumbnail(sha, THUMB_PX))

            self._run(load, lambda image, sha=sha: self._store(sha, image), lambda _exc, sha=sha: self._fail(sha))
        return pixmap

    def is_missing(self, sha: str) -> bool:
        return sha in self._failed

    def _store(self, sha: str, image: QImage) -> None:
        if image.isNull():
            self._fail(sha)
            return
        self._pixmaps[sha] = QPixmap.fromImage(image)
        self.loaded.emit(sha)

    def _fail(self, sha: str) -> None:
        self._failed.add(sha)
        self.loaded.emit(sha)



class ReceiptsDelegate(QStyledItemDelegate):
    """The receipts cell of an expense line: a strip of thumbnails, or a hint to drop one."""

    GAP = 4

    def __init__(self, cache: ThumbnailCache, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache = cache

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        hashes: list[str] = index.data(RECEIPTS_ROLE) or []
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""  # type: ignore[attr-defined]
        widget = opt.widget  # type: ignore[attr-defined]
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(style.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect: QRect = opt.rect.adjusted(4, 4, -4, -4)  # type: ignore[attr-defined]
        palette: QPalette = opt.palette  # type: ignore[attr-defined]
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        if not hashes:
            muted = palette.color(QPalette.ColorRole.PlaceholderText)
            painter.setPen(muted)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                             opt.fontMetrics.elidedText(_("none yet"), Qt.TextElideMode.ElideRight,  # type: ignore[attr-defined]
                                                        rect.width()))
            painter.restore()
            return
        height = rect.height()
        x = rect.x()
        more_width = opt.fontMetrics.horizontalAdvance("+99") + 4  # type: ignore[attr-defined]
        for n, sha in enumerate(hashes):
            pixmap = self.cache.get(sha)
            width = round(height * 0.75)
            if pixmap is not None and not pixmap.isNull():
                width = max(8, min(round(height * pixmap.width() / max(1, pixmap.height())), height * 2))
            remaining = len(hashes) - n
            if x + width > rect.right() - (more_width if remaining > 1 else 0):
                painter.setPen(palette.color(QPalette.ColorRole.Text))
                painter.drawText(QRect(x, rect.y(), rect.right() - x, height),
                                 int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), f"+{remaining}")
                break
            target = QRect(x, rect.y(), width, height)
            if pixmap is not None and not pixmap.isNull():
                painter.drawPixmap(target, pixmap)
            else:
                painter.fillRect(target, QColor(0, 0, 0, 30))
            painter.setPen(QColor(0, 0, 0, 90))
            painter.drawRect(target.adjusted(0, 0, -1, -1))
            x += width + self.GAP
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(150, 52)


# --- edits of a page -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PageEdit:
    """How a shown page derives from the page first stored: ``rotate(origin, turns)`` then ``crop(box)``."""

    origin: str
    turns: int = 0
    box: Box | None = None


def _rotate_box(box: Box, size: tuple[int, int], turns: int) -> Box:
    """The same area after turning a (width, height) picture ``turns`` quarter turns clockwise."""
    left, top, right, bottom = box
    width, height = size
    for _n in range(turns % 4):
        left, top, right, bottom = height - bottom, left, height - top, right
        width, height = height, width
    return left, top, right, bottom


def compose_edit(edit: PageEdit, origin_size: tuple[int, int], turns: int = 0,
                 crop_box: Box | None = None) -> PageEdit:
    """One more rotation or crop on top of ``edit``, expressed again from its origin (one re-encode)."""
    width, height = origin_size
    size = (height, width) if edit.turns % 2 else (width, height)
    box = edit.box
    if turns:
        if box is not None:
            box = _rotate_box(box, size, turns)
        return PageEdit(edit.origin, (edit.turns + turns) % 4, box)
    if crop_box is not None:
        left, top, right, bottom = crop_box
        base_l, base_t = (box[0], box[1]) if box is not None else (0, 0)
        limit_r, limit_b = (box[2], box[3]) if box is not None else size
        new = (min(limit_r, base_l + max(0, left)), min(limit_b, base_t + max(0, top)),
               min(limit_r, base_l + right), min(limit_b, base_t + bottom))
        return PageEdit(edit.origin, edit.turns, new)
    return edit


class PageEdits:
    """Remembers, for every edited page this session, where it came from (so undo/redo stay exact)."""

    def __init__(self) -> None:
        self._edits: dict[str, PageEdit] = {}
        self._lock = threading.Lock()

    def of(self, sha: str) -> PageEdit:
        with self._lock:
            return self._edits.get(sha, PageEdit(sha))

    def remember(self, sha: str, edit: PageEdit) -> None:
        with self._lock:
            if sha != edit.origin:
                self._edits.setdefault(sha, edit)


def edit_page(ws: Workspace, edits: PageEdits, sha: str, turns: int = 0, crop_box: Box | None = None) -> str:
    """Rotate or crop a stored photo page; returns the new page's hash (runs on a worker)."""
    from PIL import Image

    current = edits.of(sha)
    data = ws.attachments.read(current.origin)
    if sniff(data) == "application/pdf":
        from smartdesk.receipts.policy import err_not_image

        raise err_not_image("rotated or cropped")
    with Image.open(io.BytesIO(data)) as im:
        size = im.size
    wanted = compose_edit(current, size, turns, crop_box)
    if wanted.turns == 0 and wanted.box is None:
        return wanted.origin
    new_sha = ws.store_edited_receipt(apply_edits(data, wanted.turns, wanted.box))
    edits.remember(new_sha, wanted)
    return new_sha


# --- the page canvas -------------------------------------------------------------------------------------

class ReceiptCanvas(QGraphicsView):
    """One receipt page, zoomable (Ctrl+wheel, +/-), with a crop frame drawn by mouse in crop mode."""

    selection_made = Signal(QRectF)
    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.item = QGraphicsPixmapItem()
        self.item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene().addItem(self.item)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setBackgroundBrush(QColor(60, 63, 68))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.crop_mode = False
        self.fitted = True
        self._band = QRubberBand(QRubberBand.Shape.Rectangle, self.viewport())
        self._origin = QPoint()
        self.selection = QRectF()

    def set_image(self, image: QImage) -> None:
        self.item.setPixmap(QPixmap.fromImage(image))
        self.scene().setSceneRect(QRectF(self.item.pixmap().rect()))
        self.clear_selection()
        if self.fitted:
            self.fit()

    def fit(self) -> None:
        self.fitted = True
        if not self.item.pixmap().isNull():
            margin = 12 / max(0.05, min(self.viewport().width(), self.viewport().height()) / max(
                1, max(self.item.pixmap().width(), self.item.pixmap().height())))
            self.fitInView(self.item.boundingRect().adjusted(-margin, -margin, margin, margin),
                           Qt.AspectRatioMode.KeepAspectRatio)
        self.zoom_changed.emit(self.zoom())

    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        new = self.zoom() * factor
        if 0.05 <= new <= 8:
            self.fitted = False
            self.scale(factor, factor)
            self.zoom_changed.emit(self.zoom())

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.fitted:
            self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(1.25 if event.angleDelta().y() > 0 else 0.8)
            return
        super().wheelEvent(event)

    def set_crop_mode(self, on: bool) -> None:
        self.crop_mode = on
        self.setDragMode(QGraphicsView.DragMode.NoDrag if on else QGraphicsView.DragMode.ScrollHandDrag)
        self.viewport().setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.OpenHandCursor)
        if not on:
            self.clear_selection()

    def clear_selection(self) -> None:
        self.selection = QRectF()
        self._band.hide()

    def set_selection(self, rect: QRectF) -> None:
        """Select an area of the picture, in its pixels (also what the mouse does)."""
        self.selection = rect.intersected(self.scene().sceneRect()).normalized()
        view_rect = self.mapFromScene(self.selection).boundingRect()
        self._band.setGeometry(view_rect)
        self._band.setVisible(not self.selection.isEmpty())
        self.selection_made.emit(self.selection)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.crop_mode and event.button() == Qt.MouseButton.LeftButton:
            self._origin = event.position().toPoint()
            self._band.setGeometry(QRect(self._origin, QSize()))
            self._band.show()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self.crop_mode and self._band.isVisible() and event.buttons() & Qt.MouseButton.LeftButton:
            self._band.setGeometry(QRect(self._origin, event.position().toPoint()).normalized())
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.crop_mode and event.button() == Qt.MouseButton.LeftButton and self._band.isVisible():
            area = QRect(self._origin, event.position().toPoint()).normalized()
            self.set_selection(self.mapToScene(area).boundingRect())
            return
        super().mouseReleaseEvent(event)


def _render_pdf(data: bytes, long_side: int = 1600, max_pages: int = 20) -> QImage:
    """The pages of a PDF receipt one under the other (runs on a worker; PDFium behind its lock)."""
    import pypdfium2 as pdfium

    from smartdesk.receipts.pdf import PDFIUM_LOCK

    pages: list[QImage] = []
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(data)
        try:
            for n in range(min(len(doc), max_pages)):
                page = doc[n]
                try:
                    width, height = page.get_size()
                    scale = long_side / max(width, height, 1.0)
                    pil = page.render(scale=scale, fill_color=(255, 255, 255, 255)).to_pil().convert("RGB")
                finally:
                    page.close()
                raw = pil.tobytes()
                pages.append(QImage(raw, pil.width, pil.height, pil.width * 3, QImage.Format.Format_RGB888).copy())
        finally:
            doc.close()
    gap = 24
    width = max(p.width() for p in pages)
    height = sum(p.height() for p in pages) + gap * (len(pages) - 1)
    sheet = QImage(width, height, QImage.Format.Format_RGB32)
    sheet.fill(QColor(60, 63, 68))
    painter = QPainter(sheet)
    y = 0
    for p in pages:
        painter.drawImage((width - p.width()) // 2, y, p)
        y += p.height() + gap
    painter.end()
    return sheet


def load_page_image(ws: Workspace, sha: str) -> tuple[QImage, bool]:
    """(picture to show, is a PDF) for a stored page (runs on a worker)."""
    data = ws.attachments.read(sha)
    if sniff(data) == "application/pdf":
        return _render_pdf(data), True
    return QImage.fromData(data), False


def _alive(obj: QObject) -> bool:
    """False once Qt has deleted the widget (a worker's answer may arrive after the window closed)."""
    import shiboken6

    return bool(shiboken6.isValid(obj))


# --- the viewer ------------------------------------------------------------------------------------------

class ReceiptViewer(QDialog):
    """The receipts of one expense line: page by page, zoom, turn 90°, crop, remove; all undoable."""

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
        self.fit_button = self._button(_("Fit"), _("Show the whole page"), lambda: self.canvas.fit(), "Ctrl+0")
        self.left_button = self._button("⟲ " + _("Turn left"), _("Turn the photo a quarter turn to the left"),
                                        lambda: self.rotate(-1), "Ctrl+L")
        self.right_button = self._button("⟳ " + _("Turn right"), _("Turn the photo a quarter turn to the right"),
                                         lambda: self.rotate(1), "Ctrl+R")
        self.crop_button = self._button(_("Crop"), _("Draw a frame around the receipt with the mouse, then keep it"),
                                        self._toggle_crop, "C")
        self.crop_button.setCheckable(True)
        self.keep_button = QPushButton(_("Keep the framed area"))
        self.keep_button.setToolTip(_("Cut away everything outside the frame (Enter)"))
        self.keep_button.clicked.connect(self.keep_selection)
        self.keep_button.hide()
        self.undo_button = self._button(_("Undo"), _("Undo the last change to this note") + "  (Ctrl+Z)",
                                        self.editor.undo_stack.undo)
        self.remove_button = self._button(_("Remove this page"), _("Take this page off the expense (Ctrl+Z brings "
                                                                   "it back)"), self.remove_page, "Del")
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
        for w in (self, *self.findChildren(QWidget)):
            w.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y here act on the note, whatever shortcuts the main window has."""
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(event, QKeyEvent):
            undo = event.matches(QKeySequence.StandardKey.Undo)
            redo = event.matches(QKeySequence.StandardKey.Redo) or (
                event.modifiers() & Qt.KeyboardModifier.ControlModifier and event.key() == Qt.Key.Key_Y)
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
        if _alive(self) and _alive(self.editor) and _alive(self.editor.undo_stack):
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
            if not _alive(self) or sha != self.shown_sha:
                return
            image, self.is_pdf = result
            self.canvas.set_image(image)
            self._set_status(_("PDF receipts are kept exactly as they are: they cannot be turned or cropped.")
                             if self.is_pdf else "")
            self._update_buttons()

        self.controller.tasks.run(lambda: load_page_image(ws, sha), done,
                                  lambda exc: _alive(self) and self._set_status(error_text(exc)))

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
        self._set_status(_("Draw a frame around the receipt with the mouse, then click “Keep the framed area”.")
                         if on else "")
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
            if not _alive(self):
                self.controller.replace_page(line_id, page, sha, new_sha, text)
                return
            self.busy = False
            self.crop_button.setChecked(False)
            self.canvas.set_crop_mode(False)
            self._set_status("")
            self.controller.replace_page(line_id, page, sha, new_sha, text)
            self.refresh()

        def failed(exc: BaseException) -> None:
            if not _alive(self):
                return
            self.busy = False
            self._set_status(error_text(exc) if isinstance(exc, SmartDeskError) else _("This change failed; try again."))
            self._update_buttons()

        self.controller.tasks.write(lambda: edit_page(ws, edits, sha, turns, crop_box), done, failed)

    def remove_page(self) -> None:
        sha, page = self.current_sha(), self.page
        if sha:
            self.controller.remove_page(self.line_id, page, sha)


# --- the camera ------------------------------------------------------------------------------------------

def camera_available() -> bool:
    """Whether QtMultimedia works here and sees at least one camera."""
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError:  # QtMultimedia or its system libraries are missing
        return False
    return bool(QMediaDevices.videoInputs())


class QtCameraSource(QObject):
    """The laptop camera as a ``FrameSource``: QCamera + QMediaCaptureSession + QImageCapture."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtMultimedia import QCamera, QImageCapture, QMediaCaptureSession, QVideoSink

        self._camera = QCamera(self)
        self._session = QMediaCaptureSession(self)
        self._capture = QImageCapture(self)
        self._sink = QVideoSink(self)
        self._session.setCamera(self._camera)
        self._session.setImageCapture(self._capture)
        self._session.setVideoSink(self._sink)
        self._latest = QImage()
        self._sink.videoFrameChanged.connect(self._frame)
        self._camera.start()
        self.closed = False

    def _frame(self, frame: Any) -> None:
        image = frame.toImage()
        if not image.isNull():
            self._latest = image

    @staticmethod
    def _jpeg(image: QImage, quality: int = 85) -> bytes:
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "JPEG", quality)
        return bytes(buffer.data().data())

    def frames(self) -> Iterator[bytes]:
        while not self.closed:
            image = self._latest
            yield self._jpeg(image.scaled(960, 720, Qt.AspectRatioMode.KeepAspectRatio,
                                          Qt.TransformationMode.SmoothTransformation), 75) if not image.isNull() else b""

    def capture(self) -> bytes:
        """A full-resolution still; waits for the camera without freezing the window."""
        from PySide6.QtCore import QEventLoop

        full: list[QImage] = []
        preview: list[QImage] = []
        loop = QEventLoop()

        def available(_id: int, frame: Any) -> None:  # the full-resolution frame
            full.append(frame.toImage())
            loop.quit()

        def captured(_id: int, image: QImage) -> None:  # a preview, kept in case no frame follows
            preview.append(image)
            QTimer.singleShot(1500, loop.quit)

        self._capture.imageAvailable.connect(available)
        self._capture.imageCaptured.connect(captured)
        self._capture.errorOccurred.connect(loop.quit)
        if self._capture.isReadyForCapture():
            self._capture.capture()
            QTimer.singleShot(5000, loop.quit)
            loop.exec()
        self._capture.imageAvailable.disconnect(available)
        self._capture.imageCaptured.disconnect(captured)
        self._capture.errorOccurred.disconnect(loop.quit)
        candidates = [im for im in (*full, *preview, self._latest) if not im.isNull()]
        image = candidates[0] if candidates else QImage()
        if image.isNull():
            raise RuntimeError("the camera gave no picture")
        return self._jpeg(image, 92)

    def close(self) -> None:
        self.closed = True
        self._camera.stop()


class CameraDialog(QDialog):
    """Live view, capture, retake, use: consumes any ``FrameSource``."""

    def __init__(self, source: FrameSource, parent: QWidget | None = None, fps: int = 15,
                 no_picture_after: float = 5.0) -> None:
        super().__init__(parent)
        self.source = source
        self.photo = b""
        self.frames_shown = 0
        self._ticks = 0
        # ticks without any picture before saying so (``no_picture_after`` seconds at ``fps``; tests shorten it)
        self._patience = max(1, round(no_picture_after * fps))
        self._frames = iter(source.frames())
        self.setWindowTitle(_("Take a photo of the receipt"))
        layout = QVBoxLayout(self)
        self.view = QLabel()
        self.view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view.setMinimumSize(640, 480)
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.view.setStyleSheet("background: #2b2d31; color: #ddd;")
        self.view.setText(_("Starting the camera…"))
        layout.addWidget(self.view, 1)
        self.hint = QLabel(_("Lay the receipt flat in good light and fill the picture with it."))
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.clicked.connect(self.reject)
        self.retake_button = QPushButton(_("Take another"))
        self.retake_button.clicked.connect(self.retake)
        self.capture_button = QPushButton(_("Take the photo"))
        self.capture_button.setToolTip(_("Space"))
        self.capture_button.clicked.connect(self.capture)
        self.use_button = QPushButton(_("Use this photo"))
        self.use_button.clicked.connect(self.use_photo)
        for b in (self.cancel_button, self.retake_button, self.capture_button, self.use_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        QShortcut(QKeySequence(Qt.Key.Key_Space), self, self._space)
        self.timer = QTimer(self)
        self.timer.setInterval(max(1, 1000 // fps))
        self.timer.timeout.connect(self.next_frame)
        self._show_live(True)
        self.timer.start()

    def _show_live(self, live: bool) -> None:
        self.capture_button.setVisible(live)
        self.retake_button.setVisible(not live)
        self.use_button.setVisible(not live)
        (self.capture_button if live else self.use_button).setDefault(True)
        self.hint.setText(_("Lay the receipt flat in good light and fill the picture with it.") if live else
                          _("Is the text sharp and readable? Use this photo, or take another."))

    def _display(self, data: bytes) -> bool:
        image = QImage.fromData(data)
        if image.isNull():
            return False
        self.view.setPixmap(QPixmap.fromImage(image).scaled(self.view.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                                            Qt.TransformationMode.SmoothTransformation))
        return True

    def next_frame(self) -> None:
        try:
            data = next(self._frames)
        except StopIteration:
            self.timer.stop()
            return
        if data and self._display(data):
            self.frames_shown += 1
            return
        self._ticks += 1
        if not self.frames_shown and self._ticks == self._patience:
            self.view.setText(_("The camera shows no picture. Close other programs that may be using it, "
                                "or add a photo or a PDF of the receipt instead."))

    def capture(self) -> None:
        self.timer.stop()
        try:
            self.photo = self.source.capture()
        except Exception as exc:  # noqa: BLE001 - a camera that fails must not take the editor down
            self.photo = b""
            self.hint.setText(tr("The camera did not take the photo ({reason}). Try again.", reason=exc))
            self.timer.start()
            return
        self._display(self.photo)
        self._show_live(False)

    def retake(self) -> None:
        self.photo = b""
        self._show_live(True)
        self.timer.start()

    def use_photo(self) -> None:
        if self.photo:
            self.accept()

    def _space(self) -> None:
        if self.capture_button.isVisible():
            self.capture()

    def done(self, result: int) -> None:
        self.timer.stop()
        close = getattr(self.source, "close", None)
        if callable(close):
            close()
        super().done(result)


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
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and isinstance(event, (QDragEnterEvent,
                                                                                        QDragMoveEvent)):
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
        self.paste_shortcut = QShortcut(QKeySequence.StandardKey.Paste, view, self.paste,
                                        context=Qt.ShortcutContext.WidgetShortcut)
        self.open_shortcut = QShortcut(QKeySequence("Ctrl+Shift+R"), editor, self.open_current,
                                       context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        view.doubleClicked.connect(self._double_clicked)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._context_menu)

        self.camera_button = QPushButton(_("Take a photo…"))
        self.camera_button.clicked.connect(lambda: self.take_photo())
        self._update_camera_button()
        self.camera_button.hide()
        self.rejections_label = QLabel()
        self.rejections_label.setObjectName("rejections")
        self.rejections_label.setWordWrap(True)
        self.rejections_label.setStyleSheet("QLabel#rejections { color: #a93226; background: rgba(192,57,43,0.08);"
                                            " border: 1px solid rgba(192,57,43,0.45); border-radius: 4px;"
                                            " padding: 6px; }")
        self.rejections_label.hide()
        self.hint_label = QLabel(_("Drop photos or PDFs on a line, or paste them with Ctrl+V, to add its receipt. "
                                   "Double-click the receipts to see, turn or crop them."))
        self.hint_label.setWordWrap(True)
        self.hint_label.setObjectName("receipt_hint")
        self.hint_label.setStyleSheet("QLabel#receipt_hint { color: palette(placeholder-text); }")
        self.panel = QWidget()
        panel_layout = QVBoxLayout(self.panel)
        panel_layout.setContentsMargins(0, 0, 0, 0)
        panel_layout.addWidget(self.hint_label)
        panel_layout.addWidget(self.rejections_label)
        self.panel.hide()
        model = editor.expense_model
        model.modelReset.connect(self._update_rejections)
        model.dataChanged.connect(lambda *_a: self._update_rejections())

    # --- set-up --------------------------------------------------------------------------------------------
    def configure(self, expense: bool) -> None:
        """Called by the editor when its table switches between sales lines and expenses."""
        self.active = expense
        view = self.editor.lines_view
        view.setItemDelegateForColumn(ExpenseColumns.RECEIPTS, self.delegate if expense else
                                      self.editor.plain_delegate)
        view.verticalHeader().setDefaultSectionSize(52 if expense else self._plain_row_height)
        if expense:
            header = view.horizontalHeader()
            for column, width in _EXPENSE_WIDTHS.items():
                header.resizeSection(column, max(width, header.sectionSizeHint(column)))
            view.viewport().setAcceptDrops(True)
            view.setToolTip(_("Enter: new expense · Tab: next cell · drop or paste (Ctrl+V) a photo or a PDF "
                              "on a line to add its receipt · double-click the receipts to see them"))
        self.paste_shortcut.setEnabled(expense)
        self.open_shortcut.setEnabled(expense)
        self.camera_button.setVisible(expense)
        self.panel.setVisible(expense)
        self._update_rejections()

    def _update_camera_button(self) -> None:
        self.camera_button.setEnabled(self.has_camera)
        self.camera_button.setToolTip(_("Photograph the receipt with this computer's camera") if self.has_camera
                                      else _("No camera found on this computer. Add a photo or a PDF of the "
                                             "receipt instead, or drop it on the line."))

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
            model.dataChanged.emit(model.index(0, column), model.index(model.rowCount() - 1, column),
                                   [RECEIPTS_ROLE])

    def _update_rejections(self) -> None:
        doc = self.editor.doc
        if self.viewer is not None and _alive(self.viewer) and self.viewer.doc_id != doc.id:
            self.viewer.close()  # another document was opened in the editor
        lines = [(n, line) for n, line in enumerate(doc.expense_lines, start=1) if line.rejection_reason]
        if not self.active or not lines:
            self.rejections_label.hide()
            return
        parts = [tr("Expense {n} ({who}) was refused by your advisor: {reason}", n=n,
                    who=line.supplier or line.description or "—", reason=line.rejection_reason)
                 for n, line in lines]
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
            self.editor, _("Add a receipt"), "",
            _("Receipts") + " (*.jpg *.jpeg *.png *.heic *.heif *.pdf *.JPG *.JPEG *.PNG *.HEIC *.PDF)")
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
            return ws.store_receipt(found.read(), doc_id)

        def failed(exc: BaseException) -> None:
            self.editor.saved_label.setText(_("Saved"))
            self.editor._show_banner(error_text(exc) if isinstance(exc, SmartDeskError) else
                                     _("This receipt could not be added; nothing was changed. Try again."))

        self.tasks.write(work, lambda stored: self.attach(stored, line_id), failed)

    def paste(self) -> None:
        found = receipt_input(QGuiApplication.clipboard().mimeData())
        if not found:
            self.editor._show_banner(_("The clipboard holds no picture and no file. Copy a photo or a receipt "
                                       "file first, then paste it here."))
            return
        self.add_input(found, self.current_line_id())

    def take_photo(self, line_id: str = "") -> None:
        if not self._can_change():
            return
        source = self.camera_factory()
        if source is None:
            self.editor._show_banner(_("No camera found on this computer. Add a photo or a PDF of the receipt "
                                       "instead, or drop it on the line."))
            return
        line_id = line_id or self.current_line_id()
        self.camera_dialog = dialog = CameraDialog(source, self.editor)
        dialog.accepted.connect(lambda: self.add_input(
            ReceiptInput([], [(dialog.photo, _("camera photo") + ".jpg")], []), line_id))
        dialog.open()

    def attach(self, stored: StoredReceipt, line_id: str = "") -> None:
        """Put stored pages on a line (or on a new expense) as one undoable change."""
        editor = self.editor
        editor.saved_label.setText(_("Saved"))
        line = next((x for x in editor.doc.expense_lines if x.id == line_id), None)
        already_here = [n for n, x in enumerate(editor.doc.expense_lines, start=1)
                        if any(h in x.receipts for h in stored.hashes)]
        new_line = None
        if line is None:
            new_line = editor.ws.new_expense_line(editor.doc)
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
            editor._show_banner(tr("This receipt is already on expense note {note}. Check that you are not "
                                   "asking twice for the same expense.", note=names))
        elif already_here:
            editor._show_banner(tr("This receipt is already on expense {n} of this note.", n=already_here[0]))
        else:
            editor._show_banner("")
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


__all__ = ["CameraDialog", "PageEdit", "PageEdits", "QtCameraSource", "ReceiptCanvas", "ReceiptController",
           "ReceiptInput", "ReceiptViewer", "ReceiptsDelegate", "ThumbnailCache", "camera_available",
           "compose_edit", "document_label", "edit_page", "read_receipt_files", "receipt_input"]
