"""The table of a document's lines (keys: Enter adds a line, Ctrl+Delete removes it), and how wide its
columns are: each figures column as wide as its title and its usual content need, measured with the font
metrics of the header and of the cells; the description takes the rest (issue 16)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QTableView,
)

from smartdesk.domain.expenses import category_label
from smartdesk.domain.units import UNITS
from smartdesk.gui import fmt
from smartdesk.gui.models.expenses import ExpenseColumns, ExpenseLinesModel, paid_with_choices
from smartdesk.gui.models.lines import LineColumns
from smartdesk.i18n import ui
from smartdesk.i18n.documents import unit_label
from smartdesk.i18n.ui import _

SLACK = 4  # px beyond the style's own margins, so that rounding never elides a text by a pixel
# a supplier's name of 20 characters, as on a receipt: shown whole, on at most the row's two lines
SUPPLIER_SAMPLES = ("Librairie Filigranes", "Standaard Boekhandel", "Brasserie du Marché")


class LinesView(QTableView):
    """The lines table: Enter adds a line, Tab moves, Ctrl+Up/Down moves a line, Ctrl+Delete removes it."""

    add_requested = Signal(int)  # after this row
    delete_requested = Signal(int)
    move_requested = Signal(int, int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.currentIndex().row()
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.state() != QAbstractItemView.State.EditingState
        ):
            self.add_requested.emit(row)
            return
        if ctrl and event.key() == Qt.Key.Key_Delete and row >= 0:
            self.delete_requested.emit(row)
            return
        if ctrl and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and row >= 0:
            self.move_requested.emit(row, row + (-1 if event.key() == Qt.Key.Key_Up else 1))
            return
        super().keyPressEvent(event)


# --- column widths ------------------------------------------------------------------------------------


def cell_margin(view: QAbstractItemView) -> int:
    """What a cell keeps beside its text, both sides together (Qt's item delegate insets the text by the
    style's focus-frame margin + 1 on each side)."""
    return 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1)


def editor_margin(view: QAbstractItemView) -> int:
    """What a line edit opened in a cell keeps beside its text, both sides together (its frame and the
    2 px QLineEdit leaves on each side, and the cursor)."""
    return 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, view) + 2) + 1


def text_width(metrics: QFontMetrics, texts: Iterable[str]) -> int:
    """The widest of these texts on one line."""
    return max((metrics.horizontalAdvance(t) for t in texts), default=0)


def wrapped_width(metrics: QFontMetrics, text: str, lines: int = 2) -> int:
    """The narrowest width in which ``text`` wraps, at spaces, on at most ``lines`` lines."""
    low = text_width(metrics, text.split())  # the longest word never breaks
    high = max(low, metrics.horizontalAdvance(text))
    while low < high:
        middle = (low + high) // 2
        box = metrics.boundingRect(QRect(0, 0, middle, 1 << 20), int(Qt.TextFlag.TextWordWrap), text)
        if box.height() <= lines * metrics.lineSpacing():
            high = middle
        else:
            low = middle + 1
    return high


def fit_columns(view: QTableView, needs: Mapping[int, int]) -> None:
    """Each column as wide as its content needs, never narrower than its (one- or two-line) title."""
    header = view.horizontalHeader()
    for column, need in needs.items():
        header.resizeSection(column, max(need + SLACK, header.sectionSizeHint(column)))


def stretch_column(view: QTableView, stretch: int) -> None:
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def money_sample() -> str:
    """A line amount up to 99,999.99 in the interface's format (it was cut to "€1,300.…")."""
    return fmt.money(Decimal("99999.99"))


def size_line_columns(view: QTableView, vat_rates: Iterable[Decimal]) -> None:
    """The sales lines: quantity, unit, prices, discount and VAT as wide as their title and a usual value
    need; the description, where the member writes, stretches over the rest."""
    stretch_column(view, LineColumns.DESCRIPTION)
    cells = view.fontMetrics()
    margin = cell_margin(view)
    lang = ui.language() if ui.language() in ("fr", "nl", "en") else "en"
    typical: dict[int, list[str]] = {
        LineColumns.QUANTITY: [fmt.number(Decimal("1250")), fmt.number(Decimal("12.5"))],
        LineColumns.UNIT: [unit_label(lang, code) for code in UNITS],
        LineColumns.UNIT_PRICE: [fmt.number(Decimal("9999.99"))],
        LineColumns.DISCOUNT: [fmt.number(Decimal("12.5"))],
        LineColumns.VAT: [fmt.percent(rate) for rate in vat_rates],
        LineColumns.NET: [money_sample()],
    }
    fit_columns(view, {c: text_width(cells, texts) + margin for c, texts in typical.items()})


def size_expense_columns(view: QTableView, model: ExpenseLinesModel, currency: str) -> None:
    """The expenses: a date (and room to type it), a supplier of 20 characters on the row's two lines,
    an amount with its currency and cents, a VAT rate and amount, the receipts, how it was paid; long
    category names wrap on two lines; the description takes the rest. At 1280 px beside the preview, in
    French, Dutch and English, nothing is cut and the table does not scroll sideways."""
    stretch_column(view, ExpenseColumns.DESCRIPTION)
    cells = view.fontMetrics()
    margin = cell_margin(view)
    codes = list(model.activity_codes.values())[:50]
    if len(codes) < len(model.activity_names):
        codes = []  # some activities have no code: their names are shown, wrapped
    categories = [category_label(c.code, ui.language(), model.categories) for c in model.categories[:60]]
    wrapped = sorted(wrapped_width(cells, label) for label in categories)  # on the row's two lines
    needs: dict[int, int] = {
        # shown as 30/12/26, typed as 30/12/2026 in a line edit that fills the cell
        ExpenseColumns.DATE: max(
            text_width(cells, ["30/12/26"]) + margin, text_width(cells, ["30/12/2026"]) + editor_margin(view)
        ),
        ExpenseColumns.SUPPLIER: max(wrapped_width(cells, s) for s in SUPPLIER_SAMPLES) + margin,
        # most categories on two lines (a longer one is cut, its tooltip says it whole)
        ExpenseColumns.CATEGORY: (wrapped[len(wrapped) * 3 // 4] if wrapped else 0) + margin,
        ExpenseColumns.AMOUNT: text_width(cells, [fmt.money(Decimal("1248.00"), currency)]) + margin,
        ExpenseColumns.VAT_RATE: text_width(cells, [fmt.percent(Decimal("5.5")), fmt.percent(Decimal(21))])
        + margin,
        ExpenseColumns.VAT: text_width(cells, [fmt.money(Decimal("888.88"), currency)]) + margin,
        ExpenseColumns.RECEIPTS: text_width(cells, [_("none yet")]) + 8,  # the receipts delegate's inset
        ExpenseColumns.PAID_WITH: text_width(
            cells, [w for _k, label in paid_with_choices() for w in label.split()]
        )
        + margin,
        ExpenseColumns.ACTIVITY: (text_width(cells, codes) if codes else 90) + margin,
    }
    fit_columns(view, needs)
