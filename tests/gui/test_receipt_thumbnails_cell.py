"""The receipts cell of an expense line (issue 16): a thumbnail exactly as wide as the room of its cell is
drawn, not replaced by "+1"; one pixel wider is replaced by "+1"."""

from __future__ import annotations

from typing import Any, cast

from PySide6.QtCore import QModelIndex, QRect
from PySide6.QtGui import QColor, QImage, QPainter, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QStyleOptionViewItem, QTableView

from smartdesk.gui.models.roles import RECEIPTS_ROLE
from smartdesk.gui.receipts.thumbnails import ReceiptsDelegate, ThumbnailCache

RED = QColor(255, 0, 0)


def _paint_cell(qtbot: Any, cell_width: int, cell_height: int, picture: QImage) -> QImage:
    """Paint one receipts cell holding one receipt whose thumbnail is ``picture``, on white."""
    # the cache's worker is replaced by a call at once that hands back this picture (the real cache)
    cache = ThumbnailCache(cast(Any, None), lambda _load, done, _fail: done(picture))
    model = QStandardItemModel(1, 1)
    item = QStandardItem()
    item.setData(["a" * 64], RECEIPTS_ROLE)
    model.setItem(0, 0, item)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    delegate = ReceiptsDelegate(cache, view)
    index: QModelIndex = model.index(0, 0)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.widget = view
    option.rect = QRect(0, 0, cell_width, cell_height)
    image = QImage(cell_width, cell_height, QImage.Format.Format_RGB32)
    image.fill(QColor(255, 255, 255))
    painter = QPainter(image)
    delegate.paint(painter, option, index)  # asks the cache: the picture is there at once
    delegate.paint(painter, option, index)
    painter.end()
    return image


def _red_pixels(image: QImage) -> int:
    return sum(
        1 for x in range(image.width()) for y in range(image.height()) if image.pixelColor(x, y) == RED
    )


def test_a_thumbnail_exactly_as_wide_as_its_cell_is_drawn(qtbot):
    # the delegate keeps 4 px on each side: a 38 x 48 cell has a 30 x 40 room; a 3:4 picture 40 px tall
    # is 30 px wide, exactly the room
    picture = QImage(30, 40, QImage.Format.Format_RGB32)
    picture.fill(RED)
    image = _paint_cell(qtbot, 38, 48, picture)
    # drawn over the whole room (x 4..33, y 4..43), its 1 px grey frame around: 28 x 38 red pixels inside
    assert _red_pixels(image) == 28 * 38
    assert image.pixelColor(5, 5) == RED and image.pixelColor(32, 42) == RED


def test_a_thumbnail_wider_than_its_cell_becomes_a_count(qtbot):
    picture = QImage(30, 40, QImage.Format.Format_RGB32)
    picture.fill(RED)
    image = _paint_cell(qtbot, 37, 48, picture)  # a room of 29 px: the 30 px thumbnail does not fit
    assert _red_pixels(image) == 0
