"""The payments box of the invoice editor, on a real data folder filled the way a sync fills it
(``sync.local.apply_upsert`` of the server's document and payment records)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from smartdesk.domain.documents import Document, DocumentKind
from smartdesk.domain.ids import uuid7
from smartdesk.gui.documents.payments_box import PaymentsBox
from smartdesk.gui.tasks import TaskManager
from smartdesk.i18n import ui
from smartdesk.services import Workspace
from tests.support.pulled import pulled_invoice_to


def _pulled_invoice(ws: Workspace, status: str, paid: str, payments: list[tuple[str, str, str]]) -> Document:
    doc_id = uuid7()
    records = []
    for i, (day, amount, how) in enumerate(payments):
        pid = f"{doc_id}:p{i}"
        body = {
            "id": pid,
            "document_id": doc_id,
            "date": day,
            "amount": amount,
            "currency": "EUR",
            "how": how,
        }
        records.append(("payment", pid, body, 1))
    return pulled_invoice_to(
        ws, "Studio Noord", id=doc_id, status=status, paid_amount=Decimal(paid), records=records
    )


def _partly_paid(ws: Workspace) -> Document:
    """400.00 paid in two payments, the later one first: 300.00 found by its structured communication,
    100.00 recorded by the advisor."""
    payments = [("2026-11-20", "300.00", "structured"), ("2026-11-02", "100.00", "advisor")]
    return _pulled_invoice(ws, "partially_paid", "400.00", payments)


def test_box_lists_payments_paid_and_still_due(qtbot, open_ws: Callable[[], Workspace]) -> None:  # noqa: ANN001
    ws = open_ws()
    doc = _partly_paid(ws)
    tasks = TaskManager()
    box = PaymentsBox(ws.payments.for_invoice, tasks)
    qtbot.addWidget(box)
    box.show_for(doc)
    qtbot.waitUntil(box.isVisible)
    assert box.rows == [
        ("02/11/2026", "€100.00", "recorded by your advisor"),
        ("20/11/2026", "€300.00", "found by its structured communication"),
    ]
    assert box.summary.text() == "Paid €400.00, still due €568.00."  # 2 x 400 + 21 % VAT = 968
    assert not box.empty.isVisible()
    # the activity figures count what a partly paid invoice received
    [summary] = ws.activities.list()
    assert summary.paid_total == Decimal("400.00")
    tasks.close()


def test_box_in_french_paid_in_full_and_hidden_for_a_draft(qtbot, open_ws: Callable[[], Workspace]) -> None:  # noqa: ANN001
    ws = open_ws()
    doc = _pulled_invoice(ws, "paid", "968.00", [("2026-11-20", "968.00", "invoice_number")])
    ui.set_language("fr")
    box = PaymentsBox(ws.payments.for_invoice)
    qtbot.addWidget(box)
    box.show_for(doc)
    assert not box.isHidden()
    assert box.rows == [("20/11/2026", "968,00\u00a0€", "retrouvé par le numéro de facture")]
    assert box.summary.text() == "Entièrement payé : 968,00\u00a0€."
    draft = Document(id=uuid7(), kind=DocumentKind.INVOICE, status="draft")
    box.show_for(draft)
    assert box.isHidden()
    assert ws.payments.list(draft.id) == []


def test_no_payment_yet_and_a_payment_of_another_invoice_is_not_shown(qtbot, open_ws) -> None:  # noqa: ANN001
    ws = open_ws()
    doc = _pulled_invoice(ws, "reminder_1", "0", [])
    other = _pulled_invoice(ws, "paid", "968.00", [("2026-11-20", "968.00", "staff")])
    box = PaymentsBox(ws.payments.for_invoice)
    qtbot.addWidget(box)
    box.show_for(doc)
    assert box.rows == [] and not box.empty.isHidden()
    assert box.summary.text() == "Paid €0.00, still due €968.00."
    assert [p.how for p in ws.payments.list(other.id)] == ["staff"]


def test_box_says_the_last_payment_and_the_days_late(qtbot, open_ws) -> None:  # noqa: ANN001
    ws = open_ws()
    doc = _partly_paid(ws)
    box = PaymentsBox(ws.payments.for_invoice)
    qtbot.addWidget(box)
    due = date(2026, 10, 31)
    doc = replace(doc, due_date=due)
    box.today = lambda: due + timedelta(days=12)
    box.show_for(doc)
    assert box.last_and_late.text() == "Last payment on 20/11/2026 · 12 days late"
    box.today = lambda: due
    box.show_for(doc)
    assert box.last_and_late.text() == "Last payment on 20/11/2026"
