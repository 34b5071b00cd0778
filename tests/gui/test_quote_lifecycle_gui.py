"""Quote accepted -> invoiced through the editor's quote box: the quote shows "Invoiced", links to its
invoice (and back), and cannot be invoiced twice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QDate, Qt

from smartdesk.domain.documents import Client, Document, DocumentKind, Line
from smartdesk.domain.ids import uuid7
from smartdesk.services import Workspace
from tests.support.pulled import pulled_document
from tests.support.waits import WAIT_MS


def _validated_quote(ws: Workspace) -> Document:
    """A quote as a sync brings it back once validated: two days of design at 500 (excl. VAT)."""
    client = ws.clients.save(Client(id=uuid7(), name="Studio Noord"))
    return pulled_document(
        ws,
        kind=DocumentKind.QUOTE,
        number="BE-QUO-2026-000007",
        client_id=client.id,
        title="Website",
        issue_date=date(2026, 11, 2),
        lines=[Line(description="Design", quantity=Decimal(2), unit_price=Decimal("500"))],
        version=2,
    )


def test_quote_accepted_then_invoiced_shows_invoiced_and_cannot_be_invoiced_twice(
    qtbot, open_ws, make_window
):
    ws = open_ws()
    quote = _validated_quote(ws)
    window = make_window(ws)
    window.open_document(quote.id)
    window.tasks.flush()
    editor = window.editor
    box = editor.quote_box
    qtbot.waitUntil(lambda: editor.doc.id == quote.id and box.isVisible(), timeout=WAIT_MS)
    assert box.won_button.isVisible() and box.rest_button.isVisible()
    box.day.setDate(QDate(2026, 11, 28))
    qtbot.mouseClick(box.won_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.doc.status == "won", timeout=WAIT_MS)
    assert "28/11/2026" in box.state.text() and "accepted" in box.state.text().lower()

    qtbot.mouseClick(box.rest_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.doc.kind is DocumentKind.INVOICE, timeout=WAIT_MS)
    invoice_id = editor.doc.id
    assert editor.doc.source_id == quote.id
    # the invoice links back to its quote; the link opens it
    qtbot.waitUntil(lambda: editor.quote_box.isVisible(), timeout=WAIT_MS)
    assert quote.number in editor.quote_box.state.text()
    editor.quote_box.state.linkActivated.emit(f"doc:{quote.id}")
    window.tasks.flush()
    qtbot.waitUntil(lambda: editor.doc.id == quote.id, timeout=WAIT_MS)
    assert editor.doc.status == "invoiced"
    assert "invoiced" in box.state.text().lower()
    assert not box.rest_button.isVisible() and not box.deposit_button.isVisible()
    assert f"doc:{invoice_id}" in box.links.text()
    # the "More" menu's Turn into an invoice is refused too, in plain words
    editor.act_invoice.trigger()
    window.tasks.flush()
    qtbot.waitUntil(lambda: "already invoiced in full" in editor.banner.text(), timeout=WAIT_MS)
    assert editor.doc.id == quote.id
    invoices = [d for d in ws.quotes.invoices_of(quote.id)]
    assert [d.id for d in invoices] == [invoice_id]
