"""Search and filter a 10,000-document list through the real widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from smartdesk.domain.documents import DocumentKind
from smartdesk.gui.documents.list_page import DocumentListPage
from smartdesk.gui.documents.model import DocumentColumns
from smartdesk.gui.models.roles import ID_ROLE, STATUS_ROLE
from smartdesk.services import DocumentQuery
from smartdesk.services.demo import load_demo_data
from tests.support.waits import WAIT_MS


@pytest.fixture
def big_ws(open_ws):
    ws = open_ws()
    load_demo_data(ws, 10_000)
    return ws


def test_search_filter_sort_and_scroll_10000(qtbot, big_ws, make_window):
    window = make_window(big_ws)
    page = window.page("invoices")
    assert isinstance(page, DocumentListPage)
    window.show_page("invoices")
    all_invoices = big_ws.documents.count(DocumentQuery(kind=DocumentKind.INVOICE))
    assert all_invoices == 4000
    assert page.model.total == all_invoices
    assert page.model.rowCount() == 200  # one page, the rest fetched as the member scrolls
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() > 200, timeout=WAIT_MS)

    qtbot.keyClick(page, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "Namur")
    qtbot.waitUntil(lambda: page.model.query.text == "Namur", timeout=WAIT_MS)
    window.tasks.flush()  # the query ran on the worker pool
    namur = page.model.total
    assert 0 < namur < all_invoices
    assert all(
        page.model.index(r, DocumentColumns.CLIENT).data() == "Centre culturel de Namur ASBL"
        for r in range(page.model.rowCount())
    )
    assert page.count_label.text().startswith(f"{namur:,}".replace(",", "\u202f"))

    page.status_filter.setCurrentIndex(page.status_filter.findData("paid"))
    window.tasks.flush()
    paid = page.model.total
    assert 0 < paid < namur
    assert {page.model.index(r, 0).data(STATUS_ROLE) for r in range(page.model.rowCount())} == {"paid"}

    page.table.sortByColumn(DocumentColumns.TOTAL, Qt.SortOrder.DescendingOrder)
    totals = [page.model.row_at(r).total_incl for r in range(page.model.rowCount())]
    assert totals == sorted(totals, reverse=True)

    page.search.clear()
    qtbot.keyClicks(page.search, "no such word anywhere")
    qtbot.waitUntil(lambda: page.model.total == 0, timeout=WAIT_MS)
    assert page.stack.currentWidget() is page.empty
    assert "Nothing matches" in page.empty.text()

    page.search.clear()
    page.status_filter.setCurrentIndex(0)
    window.tasks.flush()
    qtbot.waitUntil(lambda: page.model.total == all_invoices, timeout=WAIT_MS)
    first = page.model.index(0, 0)
    page.table.setCurrentIndex(first)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.editor
    assert window.editor.doc.id == first.data(ID_ROLE)
