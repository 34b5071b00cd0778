"""Issue 16 at 1280 x 800 with the demo data: the clients page shows a client's documents with their status
chips whole and without sideways scrolling, and the follow-up page's columns keep room beside their longest
text ("Prochaine étape" was set against the grid line in French)."""

from __future__ import annotations

import pytest

from smartdesk.gui.documents.model import DocumentColumns
from smartdesk.gui.models.roles import STATUS_ROLE
from smartdesk.i18n import ui
from smartdesk.services.demo import load_demo_data
from tests.support.screens import clipped, settle_layout

# the status of a returned document, as the catalogues say it (written by hand)
RETURNED = {
    "fr": "Renvoyé avec remarques",
    "nl": "Teruggestuurd met opmerkingen",
    "en": "Returned with remarks",
}


def _page_of_demo(qtbot, open_ws, make_window, lang: str, key: str):  # noqa: ANN001, ANN202
    """The window at 1280 x 800 on the demo data (120 documents) in ``lang``, showing page ``key``."""
    ws = open_ws()
    load_demo_data(ws, 120)
    ui.set_language(lang)
    window = make_window(ws, 1280, 800)
    window.show_page(key)
    return ws, window, window.page(key)


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_client_documents_show_their_status_whole(qtbot, open_ws, make_window, lang):
    ws, window, page = _page_of_demo(qtbot, open_ws, make_window, lang, "clients")
    ana = next(c.id for c in ws.clients.list() if c.name == "Ana Martínez")
    page.table.selectRow(page.model.row_of(ana))
    qtbot.waitUntil(lambda: page.docs_model.rowCount() == 10)
    settle_layout()
    statuses = [page.docs_model.index(r, DocumentColumns.STATUS).data(STATUS_ROLE) for r in range(10)]
    assert "returned" in statuses
    assert ui.status_text("returned") == RETURNED[lang]
    # the chip keeps 4 px each side in its cell, 15 px for its dot and 4 px after its words
    need = page.docs.fontMetrics().horizontalAdvance(RETURNED[lang]) + 27
    assert page.docs.columnWidth(DocumentColumns.STATUS) >= need
    assert not page.docs.horizontalScrollBar().isVisible()
    assert clipped(window) == []


def test_followup_columns_keep_room_beside_their_text(qtbot, open_ws, make_window):
    _ws, window, page = _page_of_demo(qtbot, open_ws, make_window, "fr", "followup")
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
