"""Issue 16 at 1280 x 800, in French, Dutch and English: in the editor's lines table the description is
the widest column and every figure is shown whole; in the expense-note table no title and no usual value
(a date, an amount with its currency and cents, a supplier of 20 characters, a VAT rate) is cut, and the
table does not scroll sideways; "More" keeps a margin from the window's edge.

The oracles are Qt's own: a cell's text fits when its advance in the view's font, plus the margins the
style's item delegate keeps (focus-frame margin + 1 on each side), is within the cell's rectangle."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QLineEdit, QStyle, QTableView

from smartdesk.gui.models.expenses import ExpenseColumns
from smartdesk.gui.models.lines import LineColumns
from smartdesk.i18n import ui
from tests.support.realistic import SUPPLIER_20, realistic_expense_note, realistic_invoice
from tests.support.screens import settle_layout


def _cell_margin(view: QTableView) -> int:
    return 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1)


def _open(qtbot, make_window, ws, doc_id: str):
    window = make_window(ws, 1280, 800)
    window.open_document(doc_id)
    window.tasks.flush()
    view = window.editor.lines_view
    qtbot.waitUntil(lambda: view.viewport().width() > 0)
    settle_layout()
    return window, view


def _titles_fit(view: QTableView) -> list[str]:
    header = view.horizontalHeader()
    return [
        f"{view.model().headerData(c, Qt.Orientation.Horizontal)!r}: {header.sectionSize(c)}"
        f" < {header.sectionSizeHint(c)}"
        for c in range(header.count())
        if not header.isSectionHidden(c) and header.sectionSize(c) < header.sectionSizeHint(c)
    ]


def _cut_cells(view: QTableView, columns: list[int]) -> list[str]:
    """Cells whose text, on one line, is wider than the cell leaves for it."""
    metrics = view.fontMetrics()
    margin = _cell_margin(view)
    out = []
    for row in range(view.model().rowCount()):
        for col in columns:
            index = view.model().index(row, col)
            text = str(index.data() or "")
            need = metrics.horizontalAdvance(text) + margin
            if text and need > view.visualRect(index).width():
                out.append(f"({row}, {col}) {text!r}: {view.visualRect(index).width()} < {need}")
    return out


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_invoice_lines_description_is_the_widest(qtbot, open_ws, make_window, lang):
    ws = open_ws()
    doc = realistic_invoice(ws)
    ui.set_language(lang)
    window, view = _open(qtbot, make_window, ws, doc.id)
    header = view.horizontalHeader()
    figures = [c for c in LineColumns if c is not LineColumns.DESCRIPTION]
    description = header.sectionSize(LineColumns.DESCRIPTION)
    widths = {view.model().headerData(c, Qt.Orientation.Horizontal): header.sectionSize(c) for c in figures}
    assert all(description > w for w in widths.values()), (description, widths)
    assert description >= 180  # room for the words of a line, not just its start
    assert _titles_fit(view) == []
    assert _cut_cells(view, figures) == []  # 12,5 · heure · 0,4269 · 10 · 21 % · 1 125,00 €
    assert view.horizontalScrollBar().maximum() == 0


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_expense_table_shows_everything_at_1280(qtbot, open_ws, make_window, lang):
    ws = open_ws()
    note = realistic_expense_note(ws, receipts=False)
    ui.set_language(lang)
    window, view = _open(qtbot, make_window, ws, note.id)
    model = view.model()
    assert view.isColumnHidden(ExpenseColumns.ACTIVITY)
    assert model.index(1, ExpenseColumns.AMOUNT).data() in (
        "1\u202f248,00\xa0€",
        "€\xa01.248,00",
        "€1,248.00",
    )
    assert _titles_fit(view) == []  # the description's title too ("Omschrijving" was cut)
    single_line = [ExpenseColumns.DATE, ExpenseColumns.AMOUNT, ExpenseColumns.VAT_RATE, ExpenseColumns.VAT]
    assert _cut_cells(view, single_line) == []
    # the supplier of 20 characters wraps on the row's two lines, nothing cut
    index = model.index(2, ExpenseColumns.SUPPLIER)
    assert index.data() == SUPPLIER_20
    rect = view.visualRect(index)
    margin = _cell_margin(view)
    box = view.fontMetrics().boundingRect(
        QRect(0, 0, rect.width() - margin, 1000), int(Qt.TextFlag.TextWordWrap), SUPPLIER_20
    )
    assert box.height() <= 2 * view.fontMetrics().lineSpacing() <= rect.height()
    assert view.horizontalScrollBar().maximum() == 0  # no sideways scrolling beside the preview
    # the date while it is typed: 30/12/2026 whole in the line edit that opens in the cell
    date_index = model.index(2, ExpenseColumns.DATE)
    view.setCurrentIndex(date_index)
    view.edit(date_index)
    editor = view.indexWidget(date_index) or next(
        (w for w in view.viewport().findChildren(QLineEdit) if w.isVisible()), None
    )
    assert isinstance(editor, QLineEdit)
    assert editor.text() == "14/03/2026"
    frame = editor.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, editor)
    # QLineEdit keeps its frame and 2 px on each side of the text
    assert editor.fontMetrics().horizontalAdvance("30/12/2026") + 2 * (frame + 2) < editor.width()
    # "More" does not touch the window's edge
    more = window.editor.more_button
    right = more.mapTo(window, QPoint(more.width(), 0)).x()
    assert window.width() - right >= 6
