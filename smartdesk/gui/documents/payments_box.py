"""A small box of the invoice editor: the payments the cooperative received for this invoice (date,
amount, how it was found), what is paid and what is still due. Self-contained: it gets a loader
(``Document -> InvoicePayments``, e.g. ``ws.payments.for_invoice``) and, optionally, the
task manager to read off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from smartdesk.domain.documents import Document, DocumentKind
from smartdesk.domain.lifecycle import MAY_HAVE_PAYMENTS
from smartdesk.domain.receivables import days_late
from smartdesk.gui import fmt
from smartdesk.gui.documents.loaded_box import LoadedBox
from smartdesk.i18n.ui import _, ntr, tr
from smartdesk.services.payments import InvoicePayments


def how_text(how: str) -> str:
    return {
        "advisor": _("recorded by your advisor"),
        "structured": _("found by its structured communication"),
        "invoice_number": _("found by the invoice number"),
        "staff": _("assigned by the cooperative"),
    }.get(how, _("received"))


class PaymentsBox(LoadedBox):
    def __init__(
        self, load: Callable[[Document], InvoicePayments], tasks: Any = None, parent: QWidget | None = None
    ) -> None:
        super().__init__("payments_box", _("Payments received"), tasks, parent)
        self.load = load
        col = self.column
        self.grid = QGridLayout()
        self.grid.setColumnStretch(2, 1)
        col.addLayout(self.grid)
        self.empty = QLabel(_("No payment received yet."))
        col.addWidget(self.empty)
        self.summary = QLabel()
        self.summary.setObjectName("payments_summary")
        self.summary.setWordWrap(True)
        col.addWidget(self.summary)
        self.last_and_late = QLabel()  # last payment, days late
        self.last_and_late.setObjectName("payments_late")
        col.addWidget(self.last_and_late)
        self.rows: list[tuple[str, str, str]] = []  # what the grid shows, for tests and accessibility
        self.due_date: date | None = None
        self.status = ""
        self.today: Callable[[], date] = date.today  # days late are counted from it (tests inject a day)
        self.hide()

    def show_for(self, doc: Document) -> None:
        """Show the payments of a sent invoice; hide the box for anything else."""
        if doc.kind is not DocumentKind.INVOICE or doc.status not in MAY_HAVE_PAYMENTS:
            self.show_nothing()
            return
        self.due_date, self.status = doc.due_date, doc.status

        def show(value: object) -> None:
            if isinstance(value, InvoicePayments):
                self.show_payments(value, doc.currency)

        self.load_for(doc.id, lambda: self.load(doc), show)

    def show_payments(self, info: InvoicePayments, currency: str = "EUR") -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.rows = [
            (fmt.day(p.day), fmt.money(p.amount, p.currency or currency), how_text(p.how))
            for p in info.payments
        ]
        for r, cells in enumerate(self.rows):
            for c, text in enumerate(cells):
                label = QLabel(text)
                if c == 1:
                    label.setAlignment(Qt.AlignmentFlag.AlignRight)
                self.grid.addWidget(label, r, c)
        self.empty.setVisible(not self.rows)
        paid, due = fmt.money(info.paid, currency), fmt.money(info.due, currency)
        if info.overpaid:
            text = tr(
                "Paid {paid}: {extra} more than the invoice; the cooperative contacts the client.",
                paid=paid,
                extra=fmt.money(info.overpaid, currency),
            )
        elif info.due == 0:
            text = tr("Paid in full: {paid}.", paid=paid)
        else:
            text = tr("Paid {paid}, still due {due}.", paid=paid, due=due)
        self.summary.setText(text)
        self.last_and_late.setText(self._last_and_late(info))
        self.last_and_late.setVisible(bool(self.last_and_late.text()))
        self.show()

    def _last_and_late(self, info: InvoicePayments) -> str:
        """ "Last payment on 12/03/2026 · 20 days late" (domain.receivables counts the days)."""
        parts: list[str] = []
        days = [p.day for p in info.payments if p.day is not None]
        if days:
            parts.append(tr("Last payment on {day}", day=fmt.day(max(days))))
        late = days_late(self.due_date, self.today(), self.status) if info.due else 0
        if late:
            parts.append(ntr("{n} day late", "{n} days late", late, n=late))
        return " · ".join(parts)
