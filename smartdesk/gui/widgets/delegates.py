"""Item delegates: the status chip (colour + label, never colour alone) and the line cell editors."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from smartdesk.gui.models.roles import STATUS_ROLE
from smartdesk.i18n import ui

Index = QModelIndex | QPersistentModelIndex


# status -> chip colour family (the label always says the status in words)
STATUS_COLOURS: dict[str, str] = {
    "draft": "#8a8f98",
    "submitted": "#c98a00",
    "returned": "#d35400",
    "validated": "#2e86de",
    "sent": "#2e86de",
    "won": "#1e9e57",
    "lost": "#a33",
    "expired": "#8a8f98",
    "in_production": "#6c5ce7",
    "invoiced": "#1e9e57",
    "awaiting_payment": "#c98a00",
    "reminder_1": "#d35400",
    "reminder_2": "#d35400",
    "formal_notice": "#c0392b",
    "litigation": "#a33",
    "partially_paid": "#16a085",
    "paid": "#1e9e57",
    "cancelled": "#8a8f98",
    "rejected": "#a33",
    "reimbursed": "#1e9e57",
}


def _selected(option: QStyleOptionViewItem, index: Index) -> bool:
    """Is the cell selected? Asked of the view's selection model (where the view takes ``State_Selected``
    from): reading ``option.state`` builds every QStyle enum in Python, ~4 ms of the window's first paint."""
    view = option.widget  # type: ignore[attr-defined]
    selection = view.selectionModel() if isinstance(view, QAbstractItemView) else None
    if selection is not None:
        return selection.isSelected(index)
    return bool(option.state & option.state.State_Selected)  # type: ignore[attr-defined]


class ChipDelegate(QStyledItemDelegate):
    """A rounded chip with a coloured dot and the words (colour never alone). Subclasses say what the
    chip of a cell shows: ``chip(index) -> (text, colour)``, or None for a plain cell."""

    def chip(self, index: Index) -> tuple[str, str] | None:
        raise NotImplementedError

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        shown = self.chip(index)
        if shown is None:
            super().paint(painter, option, index)
            return
        text, colour_name = shown
        painter.save()
        palette = option.palette  # type: ignore[attr-defined]
        rect = option.rect  # type: ignore[attr-defined]
        selected = _selected(option, index)
        if selected:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Highlight))
        colour = QColor(colour_name)
        metrics = option.fontMetrics  # type: ignore[attr-defined]
        width = min(rect.width() - 8, metrics.horizontalAdvance(text) + 20)
        chip = QRectF(rect.x() + 4, rect.y() + 3, width, rect.height() - 6)
        fill = QColor(colour)
        fill.setAlpha(48)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(colour)
        painter.setBrush(fill)
        painter.drawRoundedRect(chip, chip.height() / 2, chip.height() / 2)
        painter.setBrush(colour)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(QRectF(chip.x() + 6, chip.center().y() - 3, 6, 6))
        painter.setPen(
            palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        )
        painter.drawText(
            chip.adjusted(15, 0, -4, 0),
            int(Qt.AlignmentFlag.AlignVCenter),
            metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(chip.width()) - 19),
        )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        hint = super().sizeHint(option, index)
        shown = self.chip(index)
        if shown is None:
            return hint
        return QSize(
            option.fontMetrics.horizontalAdvance(shown[0]) + 30,  # type: ignore[attr-defined]
            max(hint.height(), 26),
        )


class StatusChipDelegate(ChipDelegate):
    """A document's status in the lists."""

    def chip(self, index: Index) -> tuple[str, str] | None:
        status = index.data(STATUS_ROLE)
        if not status:
            return None
        return ui.status_text(status), STATUS_COLOURS.get(status, "#888888")


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box whose choices (key, label) depend on the row (VAT rates allowed, units)."""

    def __init__(
        self, choices: Callable[[int], list[tuple[str, str]]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._choices = choices

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        for key, label in self._choices(index.row()):
            combo.addItem(label, key)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        current = index.data(Qt.ItemDataRole.EditRole)
        pos = editor.findData(current)
        if pos < 0:
            editor.addItem(str(index.data(Qt.ItemDataRole.DisplayRole)), current)
            pos = editor.count() - 1
        editor.setCurrentIndex(pos)

    def setModelData(self, editor: QWidget, model: object, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        index.model().setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
