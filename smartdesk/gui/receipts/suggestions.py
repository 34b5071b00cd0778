"""Values read from a receipt, suggested in its expense line.

As soon as a receipt is attached (file, drop, paste, camera: every path ends in ``ReceiptController.attach``,
which emits ``receipt_attached``), its pages are read on the task pool (``ws.attachments.read`` then
``services.reading.read_receipt``; the OCR engine is loaded once per process, on the worker). When the
reading comes back, the fields of the line that are still as they were when the receipt was attached,
and still blank, are filled as ONE undoable edit ("Fill in from the receipt"): Ctrl+Z takes them back.
A field the member typed, before or during the reading, is never touched.

Filled values are shown as *suggested* (italics, a tinted background, a tooltip and a sentence under the
table: never colour alone) until the member confirms them (Enter on the line, or the button) or types over
them. A cell is suggested while its value is still the one read: typing over it or undoing the fill ends
the style by itself, redoing brings it back. Fields read with a low confidence are not suggested; those
read with a middling one are suggested and marked "check it".
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QPushButton, QWidget

from smartdesk.domain.documents import Document, ExpenseLine
from smartdesk.domain.lifecycle import is_editable
from smartdesk.errors import SmartDeskError
from smartdesk.gui import fmt
from smartdesk.gui.commands import EditDocumentCommand
from smartdesk.gui.errors import error_text
from smartdesk.gui.models.expenses import ExpenseColumns
from smartdesk.gui.models.roles import SUGGESTED_ROLE
from smartdesk.gui.widgets.page import boxed_label
from smartdesk.i18n.ui import N_, _, message_text, tr
from smartdesk.receipts.reading import OcrEngine, ReceiptReading
from smartdesk.receipts.reading.reader import NOT_INSTALLED

if TYPE_CHECKING:
    from smartdesk.gui.documents.editor import DocumentEditor
    from smartdesk.gui.receipts.controller import ReceiptController

#: below this confidence a value is not suggested at all; below SURE it is suggested with "check it"
MIN_CONFIDENCE = 0.5
SURE = 0.7

SUGGESTED_BACKGROUND = QColor(41, 98, 168, 34)  # a light blue tint, with italics and the tooltip
UNSURE_BACKGROUND = QColor(214, 137, 16, 52)  # amber: suggested, but check it against the receipt

#: the line's fields each column shows (the VAT column shows a typed VAT amount or the one from the rate)
_COLUMN_FIELDS: dict[ExpenseColumns, tuple[str, ...]] = {
    ExpenseColumns.DATE: ("date",),
    ExpenseColumns.SUPPLIER: ("supplier",),
    ExpenseColumns.AMOUNT: ("amount_incl",),
    ExpenseColumns.VAT_RATE: ("vat_rate",),
    ExpenseColumns.VAT: ("vat_amount_override", "vat_rate"),
}
_FIELDS = ("date", "supplier", "amount_incl", "vat_rate", "vat_amount_override")

#: how the receipt says it was paid (``ReceiptReading.payment_method``), in words
PAYMENT_WORDS: dict[str, str] = {
    "card": N_("card"),
    "cash": N_("cash"),
    "mobile": N_("mobile payment"),
    "bank_transfer": N_("bank transfer"),
    "cheque": N_("cheque"),
}

#: the engine the app reads with: True for the process's own (loaded once, at the first photo)
Engine = OcrEngine | None | bool


@dataclass(frozen=True)
class Suggestion:
    value: object
    confidence: float

    @property
    def sure(self) -> bool:
        return self.confidence >= SURE


def proposals(reading: ReceiptReading, currency: str) -> tuple[dict[str, Suggestion], list[str]]:
    """The line values a reading proposes (field -> suggestion) and the facts said in words beside them
    (VAT number, receipt number, payment, several VAT rates, another currency). Low confidence: left out."""
    out: dict[str, Suggestion] = {}
    facts: list[str] = []

    def take(name: str, value: object, confidence: float) -> None:
        if value is not None and value != "" and confidence >= MIN_CONFIDENCE:
            out[name] = Suggestion(value, confidence)

    if reading.date is not None:
        take("date", reading.date.value, reading.date.confidence)
    if reading.supplier is not None:
        take("supplier", reading.supplier.value.strip()[:200], reading.supplier.confidence)
    other_currency = reading.currency is not None and reading.currency.value.upper() != currency.upper()
    if reading.total is not None and reading.total.value > 0:
        # an amount in another currency is suggested, marked "check it": the note is in one currency
        confidence = (
            min(reading.total.confidence, SURE - 0.01) if other_currency else reading.total.confidence
        )
        take("amount_incl", reading.total.value, confidence)
    if reading.vat_lines:
        lines = reading.vat_lines
        confidence = min(v.confidence for v in lines)
        main = max(lines, key=lambda v: v.vat)
        take("vat_rate", main.rate, confidence)
        total = reading.total.value if reading.total is not None else None
        from_rate = (
            None if total is None or not main.rate else round(total * main.rate / (100 + main.rate), 2)
        )
        vat = sum((v.vat for v in lines), Decimal("0.00"))
        if len(lines) > 1 or from_rate != vat:  # several rates, or a VAT the rate alone does not give
            take("vat_amount_override", vat, confidence)
        if len(lines) > 1:
            facts.append(
                tr(
                    "VAT at several rates: {rates}",
                    rates=", ".join(f"{fmt.percent(v.rate)} {fmt.number(v.vat)}" for v in lines),
                )
            )
    if reading.supplier_vat is not None:
        facts.append(tr("VAT number {number}", number=reading.supplier_vat.value))
    if reading.number is not None:
        facts.append(tr("receipt no. {number}", number=reading.number.value))
    if reading.payment_method is not None:
        method = reading.payment_method.value
        facts.append(
            tr("paid by {method}", method=_(PAYMENT_WORDS[method]) if method in PAYMENT_WORDS else method)
        )
    if other_currency and reading.currency is not None:
        facts.append(
            tr(
                "the receipt is in {currency}, this note in {note}: convert the amount",
                currency=reading.currency.value,
                note=currency,
            )
        )
    return out, facts


class _FillCommand(EditDocumentCommand):
    """The fill of a line from its receipt, one undo step; it tells the suggestions whether it is applied
    (a suggested value equal to the line's default, e.g. 21 %, stays suggested only while it is)."""

    def __init__(
        self,
        editor: DocumentEditor,
        before: Document,
        after: Document,
        line_id: str,
        applied: dict[str, bool],
    ) -> None:
        super().__init__(editor, before, after, _("Fill in from the receipt"))
        self.line_id, self.applied = line_id, applied

    def redo(self) -> None:
        self.applied[self.line_id] = True
        super().redo()

    def undo(self) -> None:
        self.applied[self.line_id] = False
        super().undo()


class _EnterFilter(QObject):
    """Enter on a line with suggestions confirms them (elsewhere Enter adds an expense, as before)."""

    def __init__(self, suggestions: ReceiptSuggestions) -> None:
        super().__init__(suggestions)
        self.suggestions = suggestions

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            view = self.suggestions.editor.lines_view
            if view.state() == QAbstractItemView.State.EditingState or not self.suggestions.controller.active:
                return False
            line_id = self.suggestions.controller.current_line_id()
            if line_id and self.suggestions.shown(line_id):
                self.suggestions.confirm(line_id)
                return True
        return False


class ReceiptSuggestions(QObject):
    """Reads each receipt attached and suggests its values in the line; see the module's docstring."""

    read_done = Signal(str)  # line id: the reading came back (suggestions shown, or the reason said)

    #: "receipt reading is not installed" is said once per app run, not at every receipt
    _said_not_installed = False

    def __init__(self, controller: ReceiptController, engine: Engine = True) -> None:
        super().__init__(controller)
        self.controller = controller
        self.editor = controller.editor
        self.engine: Engine = engine
        self.reader: Callable[[bytes, Engine], ReceiptReading] = _read
        # line id -> field -> the value read, while it is not confirmed
        self.marks: dict[str, dict[str, Suggestion]] = {}
        self.facts: dict[str, list[str]] = {}
        self.reading: set[str] = set()  # lines whose receipt is being read
        self.applied: dict[str, bool] = {}  # line id -> its fill is done (not undone)

        self.status = boxed_label(
            "receipt_suggestions",
            "background: rgba(41,98,168,0.08); border: 1px solid rgba(41,98,168,0.35); border-radius: 4px;"
            " padding: 4px 6px;",
        )
        self.confirm_button = QPushButton(_("Confirm the suggestions"))
        self.confirm_button.setToolTip(_("Keep the values read from the receipt (Enter on the line)"))
        self.confirm_button.clicked.connect(self._confirm_current)
        self.box = QWidget()
        row = QHBoxLayout(self.box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.status, 1)
        row.addWidget(self.confirm_button)
        self.box.hide()
        layout = controller.panel.layout()
        if layout is not None:
            layout.addWidget(self.box)

        model = self.editor.expense_model
        model.cell_style = self.cell_style
        model.modelReset.connect(self._update_status)
        model.dataChanged.connect(lambda *_a: self._update_status())
        view = self.editor.lines_view
        self._enter_filter = _EnterFilter(self)
        view.installEventFilter(self._enter_filter)
        view.selectionModel().currentRowChanged.connect(lambda *_a: self._update_status())
        controller.receipt_attached.connect(self.start)
        self._doc_id = ""
        self._said = ""  # the last plain sentence about a reading (nothing read, not installed)

    # --- reading ------------------------------------------------------------------------------------------
    def start(self, line_id: str, hashes: list[str]) -> None:
        """Read the receipt just attached to ``line_id`` on the task pool (never on the GUI thread)."""
        editor = self.editor
        line = _line(editor.doc, line_id)
        if line is None or not hashes:
            return
        doc_id = editor.doc.id
        before = copy.deepcopy(line)  # the line as the receipt found it: what changes from now on is typed
        store, engine, reader = editor.ws.attachments, self.engine, self.reader
        self.reading.add(line_id)
        self._show(doc_id, _("Reading the receipt…"))

        def work() -> ReceiptReading:
            reading: ReceiptReading | None = None
            for sha in hashes[:5]:
                reading = reader(store.read(sha), engine)
                if reading.found_anything and reading.reason is None:
                    break
            assert reading is not None
            return reading

        def failed(exc: BaseException) -> None:
            self.reading.discard(line_id)
            text = (
                error_text(exc)
                if isinstance(exc, SmartDeskError)
                else _("This receipt could not be read, so nothing is suggested: type its values.")
            )
            self._show(doc_id, text)
            self.read_done.emit(line_id)

        self.editor.tasks.run(work, lambda r: self._read(doc_id, line_id, before, r), failed)

    def _read(self, doc_id: str, line_id: str, before: ExpenseLine, reading: ReceiptReading) -> None:
        self.reading.discard(line_id)
        editor = self.editor
        if editor.doc.id != doc_id or _line(editor.doc, line_id) is None:
            self.read_done.emit(line_id)  # another note is open, or the line is gone: nothing to fill
            return
        if reading.reason is not None or not reading.found_anything:
            # nothing worth suggesting (a supplier-like word alone on a blurred photo is no reading)
            if reading.reason == NOT_INSTALLED:
                if ReceiptSuggestions._said_not_installed:
                    self._show(doc_id, "")
                else:
                    ReceiptSuggestions._said_not_installed = True
                    self._show(doc_id, message_text(NOT_INSTALLED))
            else:
                self._show(
                    doc_id,
                    message_text(reading.reason)
                    if reading.reason
                    else _(
                        "Nothing could be read on this receipt, so nothing is suggested: type its values."
                    ),
                )
            self.read_done.emit(line_id)
            return
        wanted, facts = proposals(reading, editor.doc.currency)
        blank = editor.ws.documents.new_expense_line(editor.doc)
        current = _line(editor.doc, line_id)
        assert current is not None
        fill = {
            name: s
            for name, s in wanted.items()
            if getattr(current, name) == getattr(before, name)  # not typed since the receipt came
            and getattr(current, name) in _blank_values(name, blank)  # nor typed before: still blank
        }
        self.facts[line_id] = facts
        if fill:

            def mutate(d: Document) -> None:
                target = _line(d, line_id)
                if target is not None:
                    for name, s in fill.items():
                        setattr(target, name, s.value)

            if editor._loading or not is_editable(editor.doc.status):
                self.read_done.emit(line_id)
                return
            self.marks.setdefault(line_id, {}).update(fill)
            after = copy.deepcopy(editor.doc)
            mutate(after)
            editor.undo_stack.push(
                _FillCommand(editor, copy.deepcopy(editor.doc), after, line_id, self.applied)
            )
            model = editor.expense_model
            model.dataChanged.emit(
                model.index(0, 0), model.index(model.rowCount() - 1, model.columnCount() - 1)
            )
            self._said = ""
        elif facts:
            self._said = ""
        else:
            self._said = _("The values read on this receipt are already in the line: nothing to suggest.")
        self._doc_id = doc_id
        self._update_status()
        self.read_done.emit(line_id)

    # --- what is shown ---------------------------------------------------------------------------------------
    def shown(self, line_id: str) -> dict[str, Suggestion]:
        """The suggestions of a line still visible: their value is still the line's (not typed over, not
        undone) and not confirmed."""
        line = _line(self.editor.doc, line_id)
        marks = self.marks.get(line_id, {})
        if line is None:
            return {}
        if not self.applied.get(line_id):
            return {}
        return {name: s for name, s in marks.items() if getattr(line, name) == s.value}

    def cell_style(self, row: int, column: ExpenseColumns, role: int) -> Any:
        lines = self.editor.doc.expense_lines
        fields = _COLUMN_FIELDS.get(column)
        if fields is None or not 0 <= row < len(lines) or lines[row].id not in self.marks:
            return None
        shown = self.shown(lines[row].id)
        found = [shown[f] for f in fields if f in shown]
        if not found:
            return None
        sure = all(s.sure for s in found)
        if role == SUGGESTED_ROLE:
            return min(s.confidence for s in found)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            return SUGGESTED_BACKGROUND if sure else UNSURE_BACKGROUND
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            text = (
                _("Suggested from the receipt. Enter confirms, typing replaces it, Ctrl+Z takes it back.")
                if sure
                else _(
                    "Suggested from the receipt, but not clearly read: check it against the receipt. "
                    "Enter confirms, typing replaces it, Ctrl+Z takes it back."
                )
            )
            facts = self.facts.get(lines[row].id)
            if column is ExpenseColumns.SUPPLIER and facts:
                text += "\n" + _("Also on the receipt:") + " " + "; ".join(facts)
            return text
        return None

    def _update_status(self) -> None:
        editor = self.editor
        if not self.controller.active:
            self.box.hide()
            return
        line_id = self.controller.current_line_id()
        shown = self.shown(line_id) if line_id else {}
        if not shown:
            shown_any = next((lid for lid in self.marks if self.shown(lid)), "")
            if shown_any:
                line_id, shown = shown_any, self.shown(shown_any)
        if shown:
            n = next(i for i, x in enumerate(editor.doc.expense_lines, start=1) if x.id == line_id)
            parts = [
                tr(
                    "Expense {n}: the values in italics are suggested from the receipt. Check them, then "
                    "press Enter to confirm them; type to change one, Ctrl+Z takes them back.",
                    n=n,
                )
            ]
            if not all(s.sure for s in shown.values()):
                parts.append(_("Those on an amber background were not clearly read: check them first."))
            facts = self.facts.get(line_id)
            if facts:
                parts.append(_("Also on the receipt:") + " " + "; ".join(facts) + ".")
            self.status.setText(" ".join(parts))
            self.confirm_button.setVisible(True)
            self.box.setVisible(True)
            return
        self.confirm_button.setVisible(False)
        if self._said and self._doc_id == editor.doc.id:
            self.status.setText(self._said)
            self.box.setVisible(True)
        else:
            self.box.setVisible(False)

    def _show(self, doc_id: str, text: str) -> None:
        self._doc_id, self._said = doc_id, text
        self._update_status()

    # --- confirming ------------------------------------------------------------------------------------------
    def confirm(self, line_id: str) -> None:
        """The member keeps the suggested values: they become ordinary values (Ctrl+Z still takes the
        fill back: the values were put in the line by an undoable edit)."""
        self.marks.pop(line_id, None)
        self._said = ""
        model = self.editor.expense_model
        row = next((i for i, x in enumerate(self.editor.doc.expense_lines) if x.id == line_id), -1)
        if row >= 0:
            model.dataChanged.emit(model.index(row, 0), model.index(row, model.columnCount() - 1))
        self._update_status()

    def _confirm_current(self) -> None:
        line_id = self.controller.current_line_id()
        if not (line_id and self.shown(line_id)):
            line_id = next((lid for lid in self.marks if self.shown(lid)), "")
        if line_id:
            self.confirm(line_id)


def _read(data: bytes, engine: Engine) -> ReceiptReading:
    from smartdesk.services.reading import read_receipt

    return read_receipt(data, engine=engine)


def _line(doc: Document, line_id: str) -> ExpenseLine | None:
    return next((x for x in doc.expense_lines if x.id == line_id), None)


def _blank_values(name: str, blank: ExpenseLine) -> tuple[object, ...]:
    """What a field holds when nobody typed it: empty, or what a new expense line starts with."""
    empty: dict[str, tuple[object, ...]] = {
        "date": (None, blank.date, date.today()),
        "supplier": ("",),
        "amount_incl": (Decimal("0"),),
        "vat_rate": (blank.vat_rate,),
        "vat_amount_override": (None,),
    }
    return empty[name]
