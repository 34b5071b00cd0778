"""A box of the document editor for the legal fields of issue 13: the invoice a credit note corrects
(a picker of the member's validated invoices), goods / services / both, and a delivery address when it
differs from the client's. Self-contained: it gets the workspace, the task manager (the invoice list is
read off the GUI thread) and the editor's ``edit(text, mutate, merge_key)`` so every change is one
undoable edit, saved at once like the rest of the editor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from smartdesk.domain.documents import Address, Document, DocumentKind
from smartdesk.domain.lifecycle import is_editable
from smartdesk.gui import fmt
from smartdesk.gui.labels import COUNTRIES
from smartdesk.gui.widgets.docs_labels import problem_label
from smartdesk.i18n.ui import N_, _, tr
from smartdesk.store import DocumentRow

Edit = Callable[[str, Callable[[Document], None], str], None]

SUPPLY_CHOICES: tuple[tuple[str, str], ...] = (
    ("", N_("Not said")),
    ("services", N_("Services")),
    ("goods", N_("Goods")),
    ("both", N_("Goods and services")),
)


class LegalFieldsBox(QFrame):
    def __init__(self, ws: Any, tasks: Any, edit: Edit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.tasks = tasks
        self.edit = edit
        self.doc: Document | None = None
        self._loading = False
        self.invoices: list[DocumentRow] = []
        self.setObjectName("legal_fields")
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        col.addLayout(form)
        self.problem_labels: dict[str, QLabel] = {}

        self.invoice_combo = QComboBox()
        self.invoice_combo.setObjectName("credited_invoice")
        self.invoice_combo.activated.connect(self._invoice_chosen)
        self.invoice_caption = QLabel(_("Invoice corrected"))
        form.addRow(self.invoice_caption, self._with_problem(self.invoice_combo, "corrects_id"))

        self.supply_combo = QComboBox()
        self.supply_combo.setObjectName("supply_type")
        for code, label in SUPPLY_CHOICES:
            self.supply_combo.addItem(_(label), code)
        self.supply_combo.activated.connect(self._supply_chosen)
        self.supply_caption = QLabel(_("Goods or services"))
        form.addRow(self.supply_caption, self._with_problem(self.supply_combo, "supply_type"))

        self.delivery_check = QCheckBox(_("Delivered to another address than the client's"))
        self.delivery_check.toggled.connect(self._delivery_toggled)
        self.delivery_frame = QWidget()
        row = QHBoxLayout(self.delivery_frame)
        row.setContentsMargins(0, 0, 0, 0)
        self.delivery_street = QLineEdit()
        self.delivery_street.setPlaceholderText(_("Street and number"))
        self.delivery_postcode = QLineEdit()
        self.delivery_postcode.setPlaceholderText(_("Postcode"))
        self.delivery_city = QLineEdit()
        self.delivery_city.setPlaceholderText(_("City"))
        self.delivery_country = QComboBox()
        self.delivery_country.addItems(COUNTRIES)
        for w, stretch in (
            (self.delivery_street, 3),
            (self.delivery_postcode, 1),
            (self.delivery_city, 2),
            (self.delivery_country, 1),
        ):
            row.addWidget(w, stretch)
        for line in (self.delivery_street, self.delivery_postcode, self.delivery_city):
            line.textEdited.connect(lambda _t: self._delivery_edited())
        self.delivery_country.activated.connect(lambda _i: self._delivery_edited())
        box = QVBoxLayout()
        box.addWidget(self.delivery_check)
        box.addWidget(self.delivery_frame)
        self.problem_labels["delivery_address"] = problem_label()
        box.addWidget(self.problem_labels["delivery_address"])
        form.addRow(QLabel(_("Delivery")), box)

    def _with_problem(self, widget: QWidget, field: str) -> QWidget:
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(widget)
        self.problem_labels[field] = problem_label()
        box.addWidget(self.problem_labels[field])
        return holder

    # --- showing a document -------------------------------------------------------------------------
    def show_for(self, doc: Document) -> None:
        self.doc = doc
        sales = doc.kind in (DocumentKind.QUOTE, DocumentKind.INVOICE, DocumentKind.CREDIT_NOTE)
        self.setVisible(sales)
        if not sales:
            return
        self._loading = True
        try:
            credit = doc.kind is DocumentKind.CREDIT_NOTE
            self.invoice_caption.setVisible(credit)
            self.invoice_combo.setVisible(credit)
            self.supply_combo.setCurrentIndex(max(0, self.supply_combo.findData(doc.supply_type)))
            a = doc.delivery_address
            self.delivery_check.setChecked(a is not None)
            self.delivery_frame.setVisible(a is not None)
            if a is not None:
                for line, value in (
                    (self.delivery_street, a.street),
                    (self.delivery_postcode, a.postcode),
                    (self.delivery_city, a.city),
                ):
                    if line.text() != value and not line.hasFocus():
                        line.setText(value)
                self.delivery_country.setCurrentText(a.country)
            editable = is_editable(doc.status)
            for w in (self.invoice_combo, self.supply_combo, self.delivery_check, self.delivery_frame):
                w.setEnabled(editable)
            self._fill_invoices(doc)
        finally:
            self._loading = False
        if doc.kind is DocumentKind.CREDIT_NOTE and is_editable(doc.status):
            self._load_invoices(doc)

    def _load_invoices(self, doc: Document) -> None:
        doc_id = doc.id

        def done(rows: object) -> None:
            if self.doc is not None and self.doc.id == doc_id and isinstance(rows, list):
                self.invoices = rows
                self._loading = True
                try:
                    self._fill_invoices(self.doc)
                finally:
                    self._loading = False

        if self.tasks is None:
            done(self.ws.documents.creditable_invoices())
        else:
            self.tasks.run(self.ws.documents.creditable_invoices, done, lambda _exc: None)

    def _fill_invoices(self, doc: Document) -> None:
        self.invoice_combo.clear()
        self.invoice_combo.addItem(_("Choose the invoice this credit note corrects"), "")
        rows = list(self.invoices)
        if doc.corrects_id and all(r.id != doc.corrects_id for r in rows):
            # the invoice named (e.g. already fully credited, or not synced here): keep it visible
            self.invoice_combo.addItem(doc.corrects_number or doc.corrects_id[:8], doc.corrects_id)
        for r in rows:
            self.invoice_combo.addItem(
                tr(
                    "{number} · {client} · {date} · {total}",
                    number=r.number,
                    client=r.client_name or "–",
                    date=fmt.day(r.issue_date) if r.issue_date else "–",
                    total=fmt.money(r.total_incl, r.currency),
                ),
                r.id,
            )
        self.invoice_combo.setCurrentIndex(max(0, self.invoice_combo.findData(doc.corrects_id)))

    # --- edits ----------------------------------------------------------------------------------------
    def _invoice_chosen(self, _index: int) -> None:
        if self._loading:
            return
        chosen = str(self.invoice_combo.currentData() or "")
        row = next((r for r in self.invoices if r.id == chosen), None)

        def mutate(d: Document) -> None:
            d.corrects_id = chosen
            d.corrects_number = row.number if row else ""
            d.corrects_date = row.issue_date if row else None

        self.edit(_("Choose the invoice corrected"), mutate, "")

    def _supply_chosen(self, _index: int) -> None:
        if self._loading:
            return
        value = str(self.supply_combo.currentData() or "")
        self.edit(_("Change goods or services"), lambda d: setattr(d, "supply_type", value), "")

    def _delivery_toggled(self, on: bool) -> None:
        if self._loading:
            return
        self.delivery_frame.setVisible(on)
        if on:
            self._delivery_edited()
        else:
            self.edit(_("Remove the delivery address"), lambda d: setattr(d, "delivery_address", None), "")

    def _delivery_edited(self) -> None:
        if self._loading:
            return
        address = Address(
            street=self.delivery_street.text(),
            postcode=self.delivery_postcode.text(),
            city=self.delivery_city.text(),
            country=self.delivery_country.currentText().strip().upper()[:2] or "BE",
        )
        self.edit(
            _("Change the delivery address"),
            lambda d: setattr(d, "delivery_address", address),
            "delivery_address",
        )
