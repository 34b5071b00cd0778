"""The payments box of the invoice editor, on a real data folder filled the way a sync fills it
(``sync.local.apply_upsert`` of the server's document and payment records)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from smartdesk.domain.documents import Activity, Client, Document, DocumentKind, Line
from smartdesk.domain.ids import uuid7
from smartdesk.domain.serialize import document_to_dict
from smartdesk.gui.documents.payments_box import PaymentsBox
from smartdesk.gui.tasks import TaskManager
from smartdesk.i18n import ui
from smartdesk.services import Workspace
from smartdesk.sync import local


def _pulled_invoice(ws: Workspace, status: str, paid: str, payments: list[tuple[str, str, str]]) -> Document:
    activity = ws.activities.save(Activity(id=uuid7(), name="Photography", code="A-1", entity="BE"))
    client = ws.clients.save(Client(id=uuid7(), name="Studio Noord"))
    doc = Document(
        id=uuid7(),
        kind=DocumentKind.INVOICE,
        status=status,
        number="BE-INV-2026-000042",
        activity_id=activity.id,
        client_id=client.id,
        title="Two days of shooting",
        issue_date=date(2026, 10, 1),
        lines=[Line(description="Shooting day", quantity=Decimal(2), unit_price=Decimal("400"))],
        paid_amount=Decimal(paid),
    )
    with ws.store.write() as conn:
        local.apply_upsert(ws.store, conn, "document", doc.id, document_to_dict(doc), 3)
        for i, (day, amount, how) in enumerate(payments):
            pid = f"{doc.id}:p{i}"
            local.apply_upsert(
                ws.store,
                conn,
                "payment",
                pid,
                {
                    "id": pid,
                    "document_id": doc.id,
                    "date": day,
                    "amount": amount,
                    "currency": "EUR",
                    "how": how,
                },
                1,
            )
    return ws.documents.get(doc.id)


def test_box_lists_payments_paid_and_still_due(qtbot, open_ws: Callable[[], Workspace]) -> None:  # noqa: ANN001
    ws = open_ws()
    doc = _pulled_invoice(
        ws,
        "partially_paid",
        "400.00",
        [("2026-11-20", "300.00", "structured"), ("2026-11-02", "100.00", "advisor")],
    )
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
    doc = _pulled_invoice(
        ws,
        "partially_paid",
        "400.00",
        [("2026-11-20", "300.00", "structured"), ("2026-11-02", "100.00", "advisor")],
    )
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
