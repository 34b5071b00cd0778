"""The home page as a member uses it: the first screen, its figures a click away from the filtered list,
refreshed by itself after an edit or a sync (the event bus), list tools under the list."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt

from smartdesk.domain.documents import Document, DocumentKind, Line
from smartdesk.gui.documents.model import DocumentColumns
from smartdesk.gui.events import events
from smartdesk.gui.models.roles import STATUS_ROLE
from smartdesk.services.demo import load_demo_data
from tests.support.lifecycle import OPEN_INVOICE_STATUSES

WAIT_MS = 20_000


def test_home_is_the_first_screen_and_each_figure_opens_its_list(qtbot, open_ws, make_window, tmp_path: Path):
    ws = open_ws()
    load_demo_data(ws, 600)
    window = make_window(ws)
    assert window.current_key() == "home"
    home = window.page("home")
    qtbot.waitUntil(lambda: home.figures is not None, timeout=WAIT_MS)
    band = home.figures.band("31-60")
    assert band.count > 0
    assert f"{band.count} invoice" in home.band_buttons["31-60"].text()

    qtbot.mouseClick(home.band_buttons["31-60"], Qt.MouseButton.LeftButton)
    invoices = window.page("invoices")
    assert window.current_key() == "invoices"
    assert invoices.band_chip.isVisible() and "31" in invoices.band_chip.text()
    qtbot.waitUntil(lambda: invoices.model.total == band.count, timeout=WAIT_MS)
    today = date.today()
    for r in range(invoices.model.rowCount()):
        row = invoices.model.row_at(r)
        assert row.status in OPEN_INVOICE_STATUSES
        assert row.due_date is not None and 31 <= (today - row.due_date).days <= 60
        assert invoices.model.index(r, DocumentColumns.DAYS_LATE).data().endswith("days")
    qtbot.waitUntil(lambda: invoices.totals.sums is not None and invoices.totals.sums.count == band.count)
    assert invoices.totals.sums.still_due == band.due

    # the chip clears the band: every invoice again
    qtbot.mouseClick(invoices.band_chip, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: invoices.model.total == 240, timeout=WAIT_MS)  # 4 in 10 demo documents

    # "All unpaid" plus a second status at once
    invoices.status_filter.setCurrentIndex(invoices.status_filter.findData("unpaid"))
    invoices.more_statuses.actions_by_status["paid"].setChecked(True)
    qtbot.waitUntil(
        lambda: (
            invoices.model.total > 0
            and {invoices.model.index(r, 0).data(STATUS_ROLE) for r in range(invoices.model.rowCount())}
            <= OPEN_INVOICE_STATUSES | {"paid"}
            and "paid"
            in {invoices.model.index(r, 0).data(STATUS_ROLE) for r in range(invoices.model.rowCount())}
        ),
        timeout=WAIT_MS,
    )
    assert invoices.more_statuses.text() == "1 more status"
    # saved under a name, found again after the filters were cleared
    assert invoices.saved_filters.save_as("Unpaid or paid") == "Unpaid or paid"
    shown = invoices.model.total
    invoices.apply_list_filter(type(invoices.current_filter())())
    qtbot.waitUntil(lambda: invoices.model.total == 240, timeout=WAIT_MS)
    invoices.saved_filters.apply_saved("Unpaid or paid")
    qtbot.waitUntil(lambda: invoices.model.total == shown, timeout=WAIT_MS)
    assert invoices.status_filter.currentData() == "unpaid" and invoices.more_statuses.statuses() == ("paid",)

    # export of the filtered rows (the real writer, on the worker pool)
    from smartdesk.gui.documents import list_tools

    messages: list[str] = []
    list_tools.export(ws, invoices.model.query, tmp_path / "unpaid.csv", window.tasks, messages.append)
    qtbot.waitUntil(lambda: bool(messages), timeout=WAIT_MS)
    assert messages[0].startswith(f"{shown} documents exported")
    assert len((tmp_path / "unpaid.csv").read_text(encoding="utf-8-sig").splitlines()) == shown + 1


def test_home_refreshes_itself_after_an_edit_or_a_sync(qtbot, open_ws, make_window):
    ws = open_ws()
    window = make_window(ws)
    home = window.page("home")
    qtbot.waitUntil(lambda: home.figures is not None, timeout=WAIT_MS)
    assert home.figures.to_receive == 0 and home.figures.band("90+").count == 0
    today = date.today()
    late = Document(
        kind=DocumentKind.INVOICE,
        status="reminder_2",
        number="F-2026-00077",
        title="Festival poster",
        issue_date=today - timedelta(days=150),
        due_date=today - timedelta(days=120),
        lines=[
            Line(description="Poster", quantity=Decimal(2), unit_price=Decimal("450"), vat_rate=Decimal(21))
        ],
    )
    ws.store.put_document(late, enqueue=False)  # as a pull writes it
    events().documents_changed.emit(frozenset({late.id}))  # what the sync controller says after a pull
    qtbot.waitUntil(lambda: home.figures.band("90+").count == 1, timeout=WAIT_MS)
    assert home.figures.to_receive == Decimal("1089.00")
    assert "1 invoice" in home.band_buttons["90+"].text()
    assert "1,089.00" in home.receive_card.text()
