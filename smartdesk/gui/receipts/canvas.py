"""The canvas that shows one receipt page and its crop box."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPixmap,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QRubberBand,
    QWidget,
)

from smartdesk.receipts import sniff

if TYPE_CHECKING:
    from smartdesk.services import Workspace


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
            margin = 12 / max(
                0.05,
                min(self.viewport().width(), self.viewport().height())
                / max(1, max(self.item.pixmap().width(), self.item.pixmap().height())),
            )
            self.fitInView(
                self.item.boundingRect().adjusted(-margin, -margin, margin, margin),
                Qt.AspectRatioMode.KeepAspectRatio,
            )
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
                pages.append(
                    QImage(raw, pil.width, pil.height, pil.width * 3, QImage.Format.Format_RGB888).copy()
                )
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
