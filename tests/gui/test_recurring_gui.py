"""A recurring schedule set in the editor produces its drafts when the (injected) clock moves forward;
the home page and the status bar tell the member; opening the draft makes the notice go."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from smartdesk.domain.documents import Document, DocumentKind, Line

WAIT_MS = 20_000


def test_a_schedule_prepares_its_drafts_when_the_clock_moves_forward(qtbot, open_ws, make_window):
    ws = open_ws()
    source = Document(
        kind=DocumentKind.INVOICE,
        status="sent",
        number="F-2026-00042",
        title="Weekly workshop, monthly invoice",
        issue_date=date(2026, 1, 15),
        lines=[
            Line(description="Workshop", quantity=Decimal(4), unit_price=Decimal("85"), vat_rate=Decimal(21))
        ],
    )
    ws.store.put_document(source, enqueue=False)
    today = [date(2026, 1, 20)]
    ws.recurring.clock = lambda: today[0]
    window = make_window(ws)
    qtbot.waitUntil(lambda: hasattr(window, "recurring"), timeout=WAIT_MS)  # installed after the first paint

    window.open_document(source.id)
    box = window.editor.recurring_box
    assert box.isVisible()
    box.frequency.setCurrentIndex(box.frequency.findData("monthly"))
    box.count.setValue(2)
    schedule = ws.recurring.get(source.id)
    assert schedule is not None and (schedule.frequency, schedule.count) == ("monthly", 2)

    window.recurring.run_now()
    window.tasks.flush()
    assert ws.recurring.unseen() == []  # 20 January: nothing due yet

    today[0] = date(2026, 3, 20)  # two months later
    prepared: list[object] = []
    window.recurring.prepared.connect(prepared.append)
    window.recurring.timer.timeout.emit()  # the timer's tick
    qtbot.waitUntil(lambda: bool(prepared), timeout=WAIT_MS)
    drafts = prepared[0]
    assert [d.issue_date for d in drafts] == [date(2026, 2, 15), date(2026, 3, 15)]
    assert "2 invoices were prepared" in window.statusBar().currentMessage()

    window.close_editor()
    window.show_page("home")
    home = window.page("home")
    qtbot.waitUntil(
        lambda: home.recurring_box.isVisible() and "2 invoices" in home.recurring_label.text(),
        timeout=WAIT_MS,
    )
    invoices = window.page("invoices")
    window.show_page("invoices")
    qtbot.waitUntil(lambda: invoices.model.total == 3, timeout=WAIT_MS)

    window.open_document(drafts[0].id)
    window.tasks.flush()
    assert ws.recurring.unseen() == [drafts[1].id]
    window.recurring.run_now()  # again, same day: nothing new
    window.tasks.flush()
    assert len(prepared) == 1 and window.page("invoices").model.total == 3
