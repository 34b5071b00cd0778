"""Table models tested without widgets, on a real local store."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QModelIndex, Qt

from smartdesk.domain.documents import Document, DocumentKind, Line
from smartdesk.domain.vat import VatCategory
from smartdesk.gui.documents.model import DocumentColumns, DocumentTableModel
from smartdesk.gui.models.activities import ActivityTableModel
from smartdesk.gui.models.clients import ClientTableModel
from smartdesk.gui.models.lines import LineColumns, LinesModel
from smartdesk.gui.models.roles import ID_ROLE, SORT_ROLE, STATUS_ROLE
from smartdesk.i18n import ui
from smartdesk.services.demo import load_demo_data


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory):
    """One demo store for the module: these tests only read."""
    from smartdesk.services import Workspace

    ws = Workspace.open(tmp_path_factory.mktemp("models") / "data")
    load_demo_data(ws, 1200)
    yield ws
    ws.close()


def test_documents_load_lazily_by_page(qapp, demo_ws):
    model = DocumentTableModel(demo_ws, DocumentKind.QUOTE, page_size=50)
    total = demo_ws.documents.count(model.query)
    assert total > 150
    assert model.rowCount() == 50
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 100
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == total == model.total
    ids = {model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())}
    assert len(ids) == total  # pages neither overlap nor skip


@pytest.mark.parametrize("column", list(DocumentColumns))
def test_sort_by_any_column(qapp, demo_ws, column):
    model = DocumentTableModel(demo_ws, DocumentKind.INVOICE, page_size=400)
    model.sort(column, Qt.SortOrder.AscendingOrder)
    keys = [model.index(r, column).data(SORT_ROLE) for r in range(model.rowCount())]
    if column in (DocumentColumns.TOTAL, DocumentColumns.ISSUE_DATE, DocumentColumns.DUE_DATE,
                  DocumentColumns.NUMBER, DocumentColumns.TITLE):
        assert keys == sorted(keys)
    model.sort(column, Qt.SortOrder.DescendingOrder)
    first = model.index(0, column).data(SORT_ROLE)
    last = model.index(model.rowCount() - 1, column).data(SORT_ROLE)
    if column is DocumentColumns.TOTAL:
        assert first >= last


def test_filters_and_status_role(qapp, demo_ws):
    model = DocumentTableModel(demo_ws, DocumentKind.INVOICE)
    everything = model.total
    model.set_filters(status="paid")
    assert 0 < model.total < everything
    assert {model.index(r, 0).data(STATUS_ROLE) for r in range(model.rowCount())} == {"paid"}
    assert model.index(0, DocumentColumns.STATUS).data() == "Paid"
    model.set_filters(text="Namur")
    assert all("Namur" in model.index(r, DocumentColumns.CLIENT).data() for r in range(model.rowCount()))
    model.set_filters(text="zzzznothing")
    assert model.total == 0 and model.rowCount() == 0
    assert not model.canFetchMore()


def test_status_label_follows_ui_language(qapp, demo_ws):
    model = DocumentTableModel(demo_ws, DocumentKind.INVOICE)
    model.set_filters(status="paid")
    ui.set_language("fr")
    assert model.index(0, DocumentColumns.STATUS).data() == "Payé"
    assert model.headerData(DocumentColumns.TOTAL, Qt.Orientation.Horizontal) == "Total TVAC"
    ui.set_language("nl")
    assert model.index(0, DocumentColumns.STATUS).data() == "Betaald"


def test_clients_and_activities_models(qapp, demo_ws):
    clients = ClientTableModel(demo_ws)
    clients.reload()
    assert clients.rowCount() == 10
    clients.sort(ClientTableModel.Columns.OPEN_AMOUNT, Qt.SortOrder.DescendingOrder)
    amounts = [clients.index(r, 0).data(SORT_ROLE) for r in range(clients.rowCount())]
    amounts = [clients.row_at(r).open_amount for r in range(clients.rowCount())]
    assert amounts == sorted(amounts, reverse=True)
    clients.reload("Namur")
    assert clients.rowCount() == 1
    activities = ActivityTableModel(demo_ws)
    activities.reload()
    assert activities.rowCount() == 5
    assert sum(activities.row_at(r).document_count for r in range(5)) == 1200


def test_lines_model_requests_edits_and_reports_bad_input(qapp):
    doc = Document(lines=[Line(description="Workshop", quantity=Decimal(2), unit_price=Decimal("80"))])
    model = LinesModel(lambda: doc)
    edits: list[tuple[int, str, object]] = []
    failures: list[str] = []
    model.edit_requested.connect(lambda r, f, v: edits.append((r, f, v)))
    model.parse_failed.connect(lambda r, f, m: failures.append(m))
    assert model.index(0, LineColumns.NET).data() == "€160.00"
    assert model.setData(model.index(0, LineColumns.UNIT_PRICE), "1.234,5")
    assert edits == [(0, "unit_price", Decimal("1234.5"))]
    assert doc.lines[0].unit_price == Decimal(80)  # the model never changes the document itself
    assert not model.setData(model.index(0, LineColumns.QUANTITY), "two")
    assert failures and "not a number" in failures[0]
    assert model.setData(model.index(0, LineColumns.VAT), "AE:0")
    assert edits[-1] == (0, "vat_rate", (VatCategory.REVERSE_CHARGE, Decimal(0)))
    assert not model.setData(model.index(0, LineColumns.DESCRIPTION), "Workshop")  # unchanged: no command
    assert not model.flags(model.index(0, LineColumns.NET)) & Qt.ItemFlag.ItemIsEditable
    assert model.rowCount(QModelIndex()) == 1
