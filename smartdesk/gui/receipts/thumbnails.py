"""Receipt thumbnails: the cache and the delegate of the expense table's receipts column."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import (
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from smartdesk.gui.models.roles import RECEIPTS_ROLE
from smartdesk.gui.receipts.files import THUMB_PX
from smartdesk.i18n.ui import _

if TYPE_CHECKING:
    from smartdesk.services import Workspace

Index = QModelIndex | QPersistentModelIndex


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

            self._run(
                load, lambda image, sha=sha: self._store(sha, image), lambda _exc, sha=sha: self._fail(sha)
            )
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
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(style.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect: QRect = opt.rect.adjusted(4, 4, -4, -4)
        palette: QPalette = opt.palette
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        if not hashes:
            muted = palette.color(QPalette.ColorRole.PlaceholderText)
            painter.setPen(muted)
            painter.drawText(
                rect,
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                opt.fontMetrics.elidedText(_("none yet"), Qt.TextElideMode.ElideRight, rect.width()),
            )
            painter.restore()
            return
        height = rect.height()
        x = rect.x()
        more_width = opt.fontMetrics.horizontalAdvance("+99") + 4
        for n, sha in enumerate(hashes):
            pixmap = self.cache.get(sha)
            width = round(height * 0.75)
            if pixmap is not None and not pixmap.isNull():
                width = max(8, min(round(height * pixmap.width() / max(1, pixmap.height())), height * 2))
            remaining = len(hashes) - n
            # the room left ends at rect.x() + rect.width() (QRect.right() is the last pixel inside):
            # a thumbnail exactly as wide as that room is drawn, not replaced by "+1"
            end = rect.x() + rect.width()
            if x + width > end - (more_width if remaining > 1 else 0):
                painter.setPen(palette.color(QPalette.ColorRole.Text))
                painter.drawText(
                    QRect(x, rect.y(), end - x, height),
                    int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                    f"+{remaining}",
                )
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
