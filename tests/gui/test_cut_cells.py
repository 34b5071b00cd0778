"""Issue 16 at 1280 x 800 with the demo data: the clients page shows a client's documents with their status
chips whole and without sideways scrolling, and the follow-up page's columns keep room beside their longest
text ("Prochaine étape" was set against the grid line in French)."""

from __future__ import annotations

import pytest

from smartdesk.gui.documents.model import DocumentColumns
from smartdesk.i18n import ui
from smartdesk.services.demo import load_demo_data
from tests.support.screens import clipped, settle_layout


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_client_documents_show_their_status_whole(qtbot, open_ws, make_window, lang):
    ws = open_ws()
    load_demo_data(ws, 120)
    ui.set_language(lang)
    window = make_window(ws, 1280, 800)
    window.show_page("clients")
    page = window.page("clients")
    qtbot.waitUntil(lambda: page.docs_model.rowCount() > 0)
    page.table.selectRow(page.model.row_of(next(c.id for c in ws.clients.list() if c.name == "Ana Martínez")))
    qtbot.waitUntil(lambda: page.docs_model.rowCount() == 10)
    settle_layout()
    shown = {page.docs_model.index(r, DocumentColumns.STATUS).data() for r in range(10)}
    returned = {"fr": "Renvoyé avec remarques", "nl": "Teruggestuurd met opmerkingen", "en": None}[lang]
    assert returned is None or returned in {ui.status_text(s) for s in ("returned",)}
    assert shown  # the chips' words come from the status role; clipped() checks each one on screen
    assert not page.docs.horizontalScrollBar().isVisible()
    assert clipped(window) == []


def test_followup_columns_keep_room_beside_their_text(qtbot, open_ws, make_window):
    ws = open_ws()
    load_demo_data(ws, 120)
    ui.set_language("fr")
    window = make_window(ws, 1280, 800)
    window.show_page("followup")
    page = window.page("followup")
    qtbot.waitUntil(lambda: page.table.rowCount() > 0)
    settle_layout()
    metrics = page.table.fontMetrics()
    tight = []
    for c in range(1, page.table.columnCount()):
        longest = max(
            metrics.horizontalAdvance(page.table.item(r, c).text()) for r in range(page.table.rowCount())
        )
        if page.table.columnWidth(c) - longest < 12:  # at least 6 px each side of the longest text
            tight.append(f"column {c}: {page.table.columnWidth(c)} for {longest}")
    assert tight == []
    assert clipped(window) == []
