"""The quote's follow-up box in the editor: mark it sent / accepted / refused on a day (undo), invoice
a deposit, chosen lines or the rest, and the links between a quote and its invoices (both ways).

Self-contained: the editor gives it the workspace, the task manager and ``derive`` (its own "make a
new draft and open it" helper, so Ctrl+Z takes a new invoice back), and listens to ``reload`` (the
quote's status changed) and ``open_document`` (a link was clicked).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smartdesk.domain.documents import Document, DocumentKind
from smartdesk.domain.lifecycle import Status
from smartdesk.domain.quotes import QuoteBilling
from smartdesk.errors import NotFoundError
from smartdesk.gui import fmt
from smartdesk.gui.errors import error_text
from smartdesk.gui.widgets.keyboard import OneStopDateEdit
from smartdesk.i18n import ui
from smartdesk.i18n.ui import _, tr
from smartdesk.services import Workspace

# quote statuses the member follows up (after validation); a draft quote can only be invoiced
_MARKABLE = (Status.VALIDATED.value, Status.SENT.value, Status.EXPIRED.value)


def _link(doc_id: str, label: str) -> str:
    return f'<a href="doc:{doc_id}">{label}</a>'


class QuoteBox(QFrame):
    reload = Signal()  # the quote's status changed: the editor reloads it
    open_document = Signal(str)
    message = Signal(str)

    def __init__(
        self,
        ws: Workspace,
        tasks: Any,
        derive: Callable[[Callable[[str], Document], str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws, self.tasks, self.derive = ws, tasks, derive
        self.doc: Document | None = None
        self.bill: QuoteBilling | None = None
        self.setObjectName("quote_box")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        col = QVBoxLayout(self)
        self.state = QLabel()
        self.state.setObjectName("quote_state")
        self.state.setWordWrap(True)
        self.state.linkActivated.connect(self._follow)
        col.addWidget(self.state)
        marks = QHBoxLayout()
        self.day = OneStopDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.day.setToolTip(_("The day it happened"))
        self.sent_button = QPushButton(_("Mark sent"))
        self.won_button = QPushButton(_("Accepted"))
        self.lost_button = QPushButton(_("Refused"))
        self.undo_button = QPushButton(_("Undo last step"))
        self.sent_button.clicked.connect(lambda: self.mark(Status.SENT.value))
        self.won_button.clicked.connect(lambda: self.mark(Status.WON.value))
        self.lost_button.clicked.connect(lambda: self.mark(Status.LOST.value))
        self.undo_button.clicked.connect(self.undo)
        self.on_label = QLabel(_("on"))
        mark_widgets: tuple[QWidget, ...] = (
            self.sent_button,
            self.won_button,
            self.lost_button,
            self.on_label,
            self.day,
        )
        for w in mark_widgets:
            marks.addWidget(w)
        marks.addStretch(1)
        marks.addWidget(self.undo_button)
        col.addLayout(marks)
        bills = QHBoxLayout()
        self.percent = QDoubleSpinBox()
        self.percent.setRange(1, 100)
        self.percent.setDecimals(0)
        self.percent.setValue(30)
        self.percent.setSuffix(" %")
        self.deposit_button = QPushButton(_("Invoice a deposit"))
        self.deposit_button.clicked.connect(self.invoice_deposit)
        self.lines_button = QPushButton(_("Invoice chosen lines…"))
        self.lines_button.clicked.connect(self.choose_lines)
        self.rest_button = QPushButton(_("Invoice the rest"))
        self.rest_button.clicked.connect(self.invoice_rest)
        bill_widgets: tuple[QWidget, ...] = (
            self.percent,
            self.deposit_button,
            self.lines_button,
            self.rest_button,
        )
        for b in bill_widgets:
            bills.addWidget(b)
        bills.addStretch(1)
        col.addLayout(bills)
        self.links = QLabel()
        self.links.setObjectName("quote_links")
        self.links.setWordWrap(True)
        self.links.linkActivated.connect(self._follow)
        col.addWidget(self.links)
        self.lines_dialog: QDialog | None = None
        self.hide()

    # --- showing -----------------------------------------------------------------------------------
    def show_for(self, doc: Document) -> None:
        self.doc = doc
        if doc.kind is DocumentKind.INVOICE and doc.source_id:
            self._show_invoice_link(doc)
            return
        if doc.kind is not DocumentKind.QUOTE:
            self.hide()
            return
        self.bill = self.ws.quotes.billing(doc)
        self._show_quote(doc, self.bill)

    def _show_invoice_link(self, invoice: Document) -> None:
        try:
            quote = self.ws.documents.get(invoice.source_id)
        except NotFoundError:  # the quote was deleted: no link
            self.hide()
            return
        if quote.kind is not DocumentKind.QUOTE:
            self.hide()
            return
        for w in self._controls():
            w.setVisible(False)
        self.state.setText(
            tr(
                "Made from the quote {quote}.",
                quote=_link(quote.id, quote.number or quote.title or _("Draft")),
            )
        )
        self.links.setText("")
        self.show()

    def _controls(self) -> tuple[QWidget, ...]:
        return (
            self.sent_button,
            self.won_button,
            self.lost_button,
            self.on_label,
            self.day,
            self.undo_button,
            self.percent,
            self.deposit_button,
            self.lines_button,
            self.rest_button,
        )

    def _show_quote(self, quote: Document, bill: QuoteBilling) -> None:
        status = quote.status
        last = next((e for e in reversed(quote.timeline) if e.status == status), None)
        day = ""
        if last is not None and (last.on or last.at):
            try:
                day = fmt.day(date.fromisoformat((last.on or last.at)[:10]))
            except ValueError:
                day = ""
        word = ui.status_text(status)
        self.state.setText(
            tr("{status} since {day}.", status=word, day=day) if day else tr("{status}.", status=word)
        )
        can_mark = status in (*_MARKABLE, Status.WON.value)
        self.sent_button.setVisible(status == Status.VALIDATED.value)
        self.won_button.setVisible(status in _MARKABLE)
        self.lost_button.setVisible(status in _MARKABLE)
        self.on_label.setVisible(can_mark and status != Status.WON.value)
        self.day.setVisible(can_mark and status != Status.WON.value)
        self.day.setDate(QDate.currentDate())
        self.undo_button.setVisible(self.ws.quotes.previous_status(quote) is not None or status == "invoiced")
        invoiceable = status not in ("submitted", "lost", "invoiced") and not bill.fully_invoiced
        for w in (self.percent, self.deposit_button, self.lines_button, self.rest_button):
            w.setVisible(invoiceable and bool(quote.lines))
        self.rest_button.setText(_("Invoice the rest") if bill.invoiced_net else _("Turn into an invoice"))
        parts = []
        if bill.invoices:
            parts.append(
                tr(
                    "Invoiced {done} of {total} excluding VAT; {left} left.",
                    done=fmt.money(bill.invoiced_net, quote.currency),
                    total=fmt.money(bill.quote_net, quote.currency),
                    left=fmt.money(max(bill.remaining, Decimal(0)), quote.currency),
                )
            )
            draft_word = _("Draft invoice")
            links = [
                _link(i.id, (i.number or draft_word) + " (" + fmt.money(i.net, quote.currency) + ")")
                for i in bill.invoices
            ]
            parts.append(_("Its invoices:") + " " + ", ".join(links))
        self.links.setText("<br>".join(parts))
        self.show()

    def _follow(self, href: str) -> None:
        if href.startswith("doc:"):
            self.open_document.emit(href[4:])

    # --- acting --------------------------------------------------------------------------------------
    def _picked_day(self) -> date:
        q = self.day.date()
        return date(q.year(), q.month(), q.day())

    def _write(self, fn: Callable[[], object]) -> None:
        self.tasks.write(fn, lambda _r: self.reload.emit(), lambda exc: self.message.emit(error_text(exc)))

    def mark(self, status: str) -> None:
        if self.doc is None:
            return
        doc_id, day = self.doc.id, self._picked_day()
        self._write(lambda: self.ws.quotes.mark(doc_id, status, on=day))

    def undo(self) -> None:
        if self.doc is not None:
            doc_id = self.doc.id
            self._write(lambda: self.ws.quotes.undo_mark(doc_id))

    def invoice_deposit(self) -> None:
        pct = Decimal(str(int(self.percent.value())))
        self.derive(
            lambda qid: self.ws.quotes.invoice(qid, percent=pct),
            tr("Deposit invoice of {percent} % made: check it and send it.", percent=str(pct)),
        )

    def invoice_rest(self) -> None:
        self.derive(self.ws.quotes.invoice, _("Invoice made from the quote: check it and send it."))

    def choose_lines(self) -> None:
        if self.doc is None:
            return
        dialog = QDialog(self)
        dialog.setWindowTitle(_("Invoice chosen lines"))
        col = QVBoxLayout(dialog)
        col.addWidget(QLabel(_("Which lines of the quote does this invoice bill?")))
        boxes: list[tuple[QCheckBox, str]] = []
        for line in self.doc.lines:
            box = QCheckBox(line.description or _("(no description)"))
            col.addWidget(box)
            boxes.append((box, line.id))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        col.addWidget(buttons)

        def done(result: int) -> None:
            chosen = [line_id for box, line_id in boxes if box.isChecked()]
            if result == QDialog.DialogCode.Accepted and chosen:
                self.derive(
                    lambda qid: self.ws.quotes.invoice(qid, line_ids=chosen),
                    _("Invoice of the chosen lines made: check it and send it."),
                )

        dialog.finished.connect(done)
        self.lines_dialog = dialog
        dialog.open()
