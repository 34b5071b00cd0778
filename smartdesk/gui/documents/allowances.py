"""Discounts and charges on the whole document (EN 16931 document-level allowances and charges).

One row per discount or charge: discount/charge, a value, whether the value is an amount or a
percentage *of the lines at the row's VAT*, the row's VAT (category and rate), a reason, and the amount
as the PDF prints it ("= -128,00 €, 10 % of 1 280,00 €"). Every change goes through the editor's
``edit`` callback (one undoable command, saved at once); a value that is not a number is refused with a
message and stays in its field.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smartdesk.domain.documents import AllowanceCharge, Document
from smartdesk.domain.money import parse_decimal_text
from smartdesk.domain.totals import AllowanceAmount, compute_totals
from smartdesk.domain.vat import VatCategory
from smartdesk.gui import fmt
from smartdesk.gui.models.lines import vat_choice_key, vat_choice_label
from smartdesk.i18n.ui import _, tr

EditFn = Callable[[str, Callable[[Document], None], str], None]
AMOUNT, PERCENT = "amount", "percent"


def parse_vat_key(key: str) -> tuple[VatCategory, Decimal]:
    code, _sep, rate = key.partition(":")
    return VatCategory(code), Decimal(rate or "0")


class AllowanceRow:
    """The widgets of one discount or charge."""

    def __init__(self, box: AllowancesBox, index: int) -> None:
        self.box, self.index = box, index
        self.kind = QComboBox()
        self.kind.addItem(_("Discount"), False)
        self.kind.addItem(_("Charge"), True)
        self.kind.setObjectName(f"allowance_kind_{index}")
        self.value = QLineEdit()
        self.value.setObjectName(f"allowance_value_{index}")
        self.value.setPlaceholderText(_("Amount or %"))
        self.value.setMaximumWidth(110)
        self.value.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.mode = QComboBox()
        self.mode.setObjectName(f"allowance_mode_{index}")
        self.mode.addItem(_("€ excl. VAT"), AMOUNT)
        self.mode.addItem(_("% of the lines at this VAT"), PERCENT)
        self.vat = QComboBox()
        self.vat.setObjectName(f"allowance_vat_{index}")
        self.vat.setToolTip(
            _("The VAT of this discount or charge: give it the VAT of the lines it concerns.")
        )
        self.reason = QLineEdit()
        self.reason.setObjectName(f"allowance_reason_{index}")
        self.reason.setPlaceholderText(_("Reason (printed), e.g. loyalty discount, travel costs"))
        self.result = QLabel()
        self.result.setObjectName(f"allowance_result_{index}")
        self.result.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.remove = QToolButton()
        self.remove.setText("✕")
        self.remove.setObjectName(f"allowance_remove_{index}")
        self.remove.setToolTip(_("Remove this discount or charge"))
        self.remove.setAccessibleName(_("Remove this discount or charge"))
        self.error = ""
        self.kind.activated.connect(lambda _i: self._commit_kind())
        self.mode.activated.connect(lambda _i: self._commit_value())
        self.value.editingFinished.connect(self._commit_value)
        self.vat.activated.connect(lambda _i: self._commit_vat())
        self.reason.editingFinished.connect(self._commit_reason)
        self.remove.clicked.connect(self._remove)

    def widgets(self) -> list[QWidget]:
        return [self.kind, self.value, self.mode, self.vat, self.reason, self.result, self.remove]

    # --- showing
    def show(self, ac: AllowanceCharge, row: AllowanceAmount | None, choices: list[tuple[str, str]]) -> None:
        for w in (self.kind, self.mode, self.vat):
            w.blockSignals(True)
        try:
            self.kind.setCurrentIndex(1 if ac.is_charge else 0)
            self.mode.setCurrentIndex(1 if ac.percent is not None else 0)
            key = vat_choice_key(ac.vat_category, Decimal(0) if ac.vat_category.zero_rate else ac.vat_rate)
            self.vat.clear()
            for k, label in choices:
                self.vat.addItem(label, k)
            if self.vat.findData(key) < 0:  # a VAT the choices no longer offer: still shown as it is
                self.vat.addItem(vat_choice_label(*parse_vat_key(key)), key)
            self.vat.setCurrentIndex(self.vat.findData(key))
        finally:
            for w in (self.kind, self.mode, self.vat):
                w.blockSignals(False)
        if not self.value.hasFocus() and not self.error:
            value = ac.percent if ac.percent is not None else ac.amount
            self.value.setText(fmt.number(value) if value else "")
        if not self.reason.hasFocus():
            self.reason.setText(ac.reason)
        if self.error:
            self.result.setText(self.error)
            self.result.setStyleSheet("color: #B00020;")
        elif row is not None:
            shown = fmt.money(row.amount if row.is_charge else -row.amount, self.box.currency)
            if row.percent is not None and row.base is not None:
                shown = tr(
                    "= {amount} ({percent} of {base})",
                    amount=shown,
                    percent=fmt.percent(row.percent),
                    base=fmt.money(row.base, self.box.currency),
                )
            else:
                shown = tr("= {amount}", amount=shown)
            self.result.setText(shown)
            self.result.setStyleSheet("")

    # --- editing
    def _commit_kind(self) -> None:
        charge = bool(self.kind.currentData())
        self.box.edit_row(
            self.index, _("Change a discount or charge"), lambda ac: setattr(ac, "is_charge", charge)
        )

    def _commit_value(self) -> None:
        text = self.value.text().strip().rstrip("%").strip()
        percent = self.mode.currentData() == PERCENT
        try:
            value = parse_decimal_text(text) if text else Decimal(0)
        except ValueError:
            self.error = tr(
                "“{value}” is not a number: type digits such as 10 or 45,50.", value=self.value.text()
            )
            self.box.refresh()
            return
        self.error = ""

        def mutate(ac: AllowanceCharge) -> None:
            if percent:
                ac.percent, ac.amount = value, Decimal(0)
            else:
                ac.percent, ac.amount = None, value

        self.box.edit_row(self.index, _("Change a discount or charge"), mutate, f"allowance-{self.index}")

    def _commit_vat(self) -> None:
        key = self.vat.currentData()
        if not isinstance(key, str):
            return
        category, rate = parse_vat_key(key)

        def mutate(ac: AllowanceCharge) -> None:
            ac.vat_category, ac.vat_rate = category, rate

        self.box.edit_row(self.index, _("Change a discount or charge"), mutate)

    def _commit_reason(self) -> None:
        text = self.reason.text()
        self.box.edit_row(
            self.index,
            _("Change a discount or charge"),
            lambda ac: setattr(ac, "reason", text),
            f"allowance-reason-{self.index}",
        )

    def _remove(self) -> None:
        index = self.index

        def mutate(d: Document) -> None:
            if 0 <= index < len(d.allowances):
                del d.allowances[index]

        self.box.edit(_("Remove a discount or charge"), mutate, "")


class AllowancesBox(QFrame):
    """The discounts and charges of the document being edited (hidden for expense notes)."""

    def __init__(self, edit: EditFn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("allowances_box")
        self.edit = edit
        self.doc: Document | None = None
        self.choices: list[tuple[str, str]] = []
        self.editable = True
        self.currency = "EUR"
        self.rows: list[AllowanceRow] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        title = QLabel(_("Discounts and charges on the whole document"))
        title.setStyleSheet("font-weight: 600;")
        bar.addWidget(title)
        bar.addStretch(1)
        self.add_discount = QPushButton(_("Add a discount"))
        self.add_discount.setObjectName("add_discount")
        self.add_charge = QPushButton(_("Add a charge"))
        self.add_charge.setObjectName("add_charge")
        self.add_discount.clicked.connect(lambda: self.add(False))
        self.add_charge.clicked.connect(lambda: self.add(True))
        bar.addWidget(self.add_discount)
        bar.addWidget(self.add_charge)
        outer.addLayout(bar)
        self.hint = QLabel(
            _(
                "A percentage is of the lines that have the VAT you choose for it; "
                "each discount or charge lowers or raises the amount subject to that VAT."
            )
        )
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: palette(mid);")
        outer.addWidget(self.hint)
        self.grid = QGridLayout()
        self.grid.setColumnStretch(4, 1)
        outer.addLayout(self.grid)

    def show_for(self, doc: Document, choices: list[tuple[str, str]], editable: bool) -> None:
        self.doc, self.choices, self.editable, self.currency = doc, choices, editable, doc.currency
        self.setVisible(not doc.is_expense)
        if doc.is_expense:
            return
        if len(self.rows) != len(doc.allowances):
            self._rebuild(len(doc.allowances))
        self.refresh()

    def refresh(self) -> None:
        doc = self.doc
        if doc is None:
            return
        totals = compute_totals(doc.lines, doc.allowances)
        for row, ac, amounts in zip(self.rows, doc.allowances, totals.allowance_rows, strict=True):
            row.show(ac, amounts, self.choices)
            for w in row.widgets():
                if w is not row.result:
                    w.setEnabled(self.editable)
        self.add_discount.setEnabled(self.editable)
        self.add_charge.setEnabled(self.editable)
        self.hint.setVisible(bool(self.rows))

    def _rebuild(self, count: int) -> None:
        for row in self.rows:
            for w in row.widgets():
                self.grid.removeWidget(w)
                w.hide()
                w.deleteLater()
        self.rows = [AllowanceRow(self, i) for i in range(count)]
        for i, row in enumerate(self.rows):
            for col, w in enumerate(row.widgets()):
                self.grid.addWidget(w, i, col)

    def add(self, is_charge: bool) -> None:
        doc = self.doc
        if doc is None:
            return
        # the VAT of the first line: a discount or charge usually concerns the main lines
        first = doc.lines[0] if doc.lines else None
        new = AllowanceCharge(is_charge=is_charge)
        if first is not None:
            new.vat_category, new.vat_rate = first.vat_category, first.vat_rate
        text = _("Add a charge") if is_charge else _("Add a discount")
        self.edit(text, lambda d: d.allowances.append(copy.deepcopy(new)), "")
        if self.rows:
            self.rows[-1].value.setFocus()

    def edit_row(
        self, index: int, text: str, change: Callable[[AllowanceCharge], None], merge: str = ""
    ) -> None:
        doc = self.doc
        if doc is None or not 0 <= index < len(doc.allowances):
            return
        probe = copy.deepcopy(doc.allowances[index])
        change(probe)
        if probe == doc.allowances[index]:
            self.refresh()  # nothing changed (e.g. Tab through a field): no undo step, no save
            return

        def mutate(d: Document) -> None:
            if 0 <= index < len(d.allowances):
                change(d.allowances[index])

        self.edit(text, mutate, merge)
