"""What a person sees, for GUI tests: where screenshots go, saving one after the layout has settled,
widgets whose text does not fit, and waiting for the live preview (Qt: import only from tests/gui)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QStyle,
    QStyleOptionComboBox,
    QTableView,
    QWidget,
)

from smartdesk.gui.widgets.delegates import ChipDelegate


def screenshot_folder(tmp_path: Path, *parts: str) -> Path:
    """Where a test saves what a person would see: $SMARTDESK_SCREENSHOT_DIR/<parts> (a temporary
    folder when it is not set), created."""
    folder = Path(os.environ.get("SMARTDESK_SCREENSHOT_DIR") or tmp_path / "screens").joinpath(*parts)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_shot(widget, path: Path, min_bytes: int) -> None:  # noqa: ANN001 - any QWidget
    """Save ``widget`` as a PNG after the pending layout requests (as before a real paint), and check
    that a real picture was written."""
    settle_layout()
    assert widget.grab().save(str(path))
    assert path.stat().st_size > min_bytes


def optional_screenshot_folder(*parts: str) -> Path | None:
    """$SMARTDESK_SCREENSHOT_DIR/<parts>, created, or None when screenshots are not asked for."""
    folder = os.environ.get("SMARTDESK_SCREENSHOT_DIR")
    if not folder:
        return None
    path = Path(folder).joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


def settle_layout() -> None:
    """Run the pending layout and paint requests (what happens before a real frame), without waiting for
    any fixed time: call it before grabbing a picture. The layout requests are flushed last: a worker's
    answer delivered by ``processEvents`` may change a text (the status bar's "2 changes not sent yet")
    and ask for a new layout, which must be done before anything is measured."""
    for _ in range(3):
        QApplication.processEvents()
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


def wait_for_preview(qtbot: Any, pane: Any, timeout: int = 60_000) -> None:
    """Wait until the live preview shows the latest state of its document (or says why it cannot)."""
    qtbot.waitUntil(
        lambda: pane.is_settled() and (pane.shown_generation > 0 or bool(pane.error)), timeout=timeout
    )
    pane.tasks.flush()


def _elided_chips(view: QTableView) -> list[str]:
    """The chips (``ChipDelegate``: status...) of the rows on screen whose words are cut: the chip keeps 4 px
    each side of the cell, and 15 px for its dot and 4 px after the words inside (delegates.py)."""
    out: list[str] = []
    model = view.model()
    first = max(0, view.rowAt(0))
    last = view.rowAt(view.viewport().height() - 1)
    last = model.rowCount() - 1 if last < 0 else last
    for c in range(model.columnCount()):
        delegate = view.itemDelegateForColumn(c)
        if not isinstance(delegate, ChipDelegate) or view.isColumnHidden(c):
            continue
        for r in range(first, last + 1):
            shown = delegate.chip(model.index(r, c))
            if shown is None:
                continue
            need = view.fontMetrics().horizontalAdvance(shown[0]) + 4 + 15 + 4 + 4
            if view.columnWidth(c) < need:
                out.append(f"chip {shown[0]!r}: {view.columnWidth(c)} < {need}")
    return sorted(set(out))


def clipped(root: QWidget) -> list[str]:
    """Visible buttons, choice boxes and one-line labels narrower than their text needs, tables that scroll
    sideways or cut the words of a chip (after the pending layout requests have run, as before a real
    frame: a label whose text just changed is laid out then)."""
    settle_layout()
    out: list[str] = []
    for w in root.findChildren(QWidget):
        if not w.isVisible() or w.width() <= 0:
            continue
        if isinstance(w, QTableView):
            header = w.horizontalHeader()
            if w.horizontalScrollBar().isVisible():
                out.append(f"table {w.objectName() or type(w.model()).__name__} scrolls sideways")
            out.extend(_elided_chips(w))
            for c in range(header.count()):
                if (
                    header.isSectionHidden(c)
                    or header.sectionResizeMode(c) != QHeaderView.ResizeMode.Interactive
                ):
                    continue
                if header.sectionSize(c) + 2 < header.sectionSizeHint(c):
                    text = w.model().headerData(c, Qt.Orientation.Horizontal)
                    out.append(f"column {text!r}: {header.sectionSize(c)} < {header.sectionSizeHint(c)}")
        elif isinstance(w, QComboBox) and w.currentText() and not w.isEditable():
            opt = QStyleOptionComboBox()
            w.initStyleOption(opt)
            field = w.style().subControlRect(
                QStyle.ComplexControl.CC_ComboBox, opt, QStyle.SubControl.SC_ComboBoxEditField, w
            )
            need = w.fontMetrics().horizontalAdvance(w.currentText())
            if field.width() + 2 < need:
                out.append(f"QComboBox {w.currentText()!r}: {field.width()} < {need}")
        elif isinstance(w, QListWidget) and w.horizontalScrollBar().isVisible():
            out.append(f"list {w.objectName()} scrolls sideways")
        elif isinstance(w, QPushButton | QCheckBox) and w.text():
            need = w.sizeHint().width() if isinstance(w, QAbstractButton) else 0
            if w.width() + 2 < need:
                out.append(f"{type(w).__name__} {w.text()!r}: {w.width()} < {need}")
        elif (
            isinstance(w, QLabel)
            and w.text()
            and not w.wordWrap()
            and not w.pixmap().width()
            and w.parent() is not None
            and "<" not in w.text()
        ):
            need = w.fontMetrics().horizontalAdvance(w.text())
            if w.contentsRect().width() + 2 < need:
                out.append(f"QLabel {w.text()!r}: {w.contentsRect().width()} < {need}")
    return out
