"""Table models tested without widgets, on a real local store."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QModelIndex, Qt

from smartdesk.domain.documents import Activity, Address, Client, Document, DocumentKind, ExpenseLine, Line
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


# --- a small store written by the test: every expected cell below is written out by hand -------------------
# the four invoices, by title: (status, number, client, activity, issue date, due date)
KNOWN_INVOICES = {
    "Reportage": ("paid", "2026-0003", "Atelier Zenith", "Photo", date(2026, 3, 1), date(2026, 3, 31)),
    # a draft has no number and no dates yet
    "atelier bois": ("draft", "", "bureau Alpha", "theatre", None, None),
    "Mise en scene": ("sent", "2026-0001", "Coop Delta", "Photo", date(2026, 2, 10), date(2026, 3, 12)),
    "Zoom": ("awaiting_payment", "2026-0002", "Dune SRL", "Design", date(2026, 2, 20), date(2026, 3, 22)),
}
# the one line of each: (quantity, unit price, VAT rate)
KNOWN_LINES = {
    "Reportage": ("2", "100.00", "21"),  # 2 x 100.00 at 21 % = 242.00
    "atelier bois": ("1", "50", "6"),  # 1 x 50.00 at 6 % = 53.00
    "Mise en scene": ("3", "333.33", "21"),  # 3 x 333.33 = 999.99, VAT 209.9979 -> 210.00: 1,209.99
    "Zoom": ("1", "0.10", "21"),  # 1 x 0.10 at 21 % = 0.10 + 0.02 = 0.12
}


@pytest.fixture(scope="module")
def known_ws(tmp_path_factory):
    """Four invoices, a quote and an expense note over four clients and three activities."""
    from smartdesk.services import Workspace

    ws = Workspace.open(tmp_path_factory.mktemp("known") / "data")
    acts = {
        name: ws.store.put_activity(Activity(name=name, code=code, entity=entity), enqueue=False)
        for name, code, entity in [("Photo", "A-2", "BE"), ("theatre", "A-1", "FR"), ("Design", "A-3", "BE")]
    }
    clients = {}
    for name, country, vat, email in [
        ("Atelier Zenith", "BE", "BE0999123457", "z@example.org"),
        ("bureau Alpha", "FR", "", "alpha@example.org"),
        ("Coop Delta", "NL", "NL004495445B01", ""),
        ("Dune SRL", "BE", "", "dune@example.org"),
    ]:
        clients[name] = ws.store.put_client(
            Client(name=name, address=Address(country=country), vat_number=vat, email=email), enqueue=False
        )

    def doc(status, number, title, client, activity, issue, due, qty, price, rate, kind=DocumentKind.INVOICE):
        d = Document(
            kind=kind,
            status=status,
            number=number,
            title=title,
            client_id=clients[client].id,
            activity_id=acts[activity].id,
            issue_date=issue,
            due_date=due,
            lines=[
                Line(
                    description=title,
                    quantity=Decimal(qty),
                    unit_price=Decimal(price),
                    vat_rate=Decimal(rate),
                )
            ],
        )
        return ws.store.put_document(d, enqueue=False).id

    ids = {
        title: doc(status, number, title, client, activity, issue, due, *KNOWN_LINES[title])
        for title, (status, number, client, activity, issue, due) in KNOWN_INVOICES.items()
    }
    # a quote (10 x 80.00 at 21 % = 968.00) and an expense note: other lists, but in the activity figures
    offer = ("sent", "", "Offre", "bureau Alpha", "theatre", date(2026, 1, 5), None, "10", "80", "21")
    doc(*offer, kind=DocumentKind.QUOTE)
    note = Document(
        kind=DocumentKind.EXPENSE_NOTE,
        activity_id=acts["Photo"].id,
        title="Train",
        expense_lines=[ExpenseLine(amount_incl=Decimal("23.40"), vat_rate=Decimal(6))],
    )
    ws.store.put_document(note, enqueue=False)
    yield ws, ids
    ws.close()


# (status, number, title, client, activity, date, due date, total): what a person reads in each cell
EXPECTED_CELLS = {
    "Reportage": [
        "Paid",
        "2026-0003",
        "Reportage",
        "Atelier Zenith",
        "Photo",
        "01/03/2026",
        "31/03/2026",
        "€242.00",
    ],
    "atelier bois": ["Draft", "Draft", "atelier bois", "bureau Alpha", "theatre", "", "", "€53.00"],
    "Mise en scene": [
        "Sent",
        "2026-0001",
        "Mise en scene",
        "Coop Delta",
        "Photo",
        "10/02/2026",
        "12/03/2026",
        "€1,209.99",
    ],
    "Zoom": [
        "Awaiting payment",
        "2026-0002",
        "Zoom",
        "Dune SRL",
        "Design",
        "20/02/2026",
        "22/03/2026",
        "€0.12",
    ],
}
STATUS = {"Reportage": "paid", "atelier bois": "draft", "Mise en scene": "sent", "Zoom": "awaiting_payment"}
# ascending order of the titles per column: text ignores case; a draft (no number, no date) comes first;
# statuses sort by their code (awaiting_payment, draft, paid, sent)
ASCENDING = {
    DocumentColumns.STATUS: ["Zoom", "atelier bois", "Reportage", "Mise en scene"],
    DocumentColumns.NUMBER: ["atelier bois", "Mise en scene", "Zoom", "Reportage"],
    DocumentColumns.TITLE: ["atelier bois", "Mise en scene", "Reportage", "Zoom"],
    DocumentColumns.CLIENT: ["Reportage", "atelier bois", "Mise en scene", "Zoom"],
    DocumentColumns.ACTIVITY: ["Zoom", "Reportage", "Mise en scene", "atelier bois"],
    DocumentColumns.ISSUE_DATE: ["atelier bois", "Mise en scene", "Zoom", "Reportage"],
    DocumentColumns.DUE_DATE: ["atelier bois", "Mise en scene", "Zoom", "Reportage"],
    DocumentColumns.TOTAL: ["Zoom", "atelier bois", "Reportage", "Mise en scene"],
    # payment status: nothing paid in this store, so paid and last payment tie (then: oldest first); still
    # due is what the total says; days late sorts by the due date
    DocumentColumns.PAID: ["Reportage", "atelier bois", "Mise en scene", "Zoom"],
    DocumentColumns.STILL_DUE: ["Zoom", "atelier bois", "Reportage", "Mise en scene"],
    DocumentColumns.LAST_PAYMENT: ["Reportage", "atelier bois", "Mise en scene", "Zoom"],
    DocumentColumns.DAYS_LATE: ["atelier bois", "Mise en scene", "Zoom", "Reportage"],
}
# paid, still due, last payment, days late on 1 April 2026: only invoices waiting for money owe something
PAYMENT_CELLS = {
    "Reportage": ["", "", "", ""],
    "atelier bois": ["", "", "", ""],
    "Mise en scene": ["", "€1,209.99", "", "20 days"],
    "Zoom": ["", "€0.12", "", "10 days"],
}


def test_every_column_and_role_of_the_document_list(qapp, known_ws):
    ws, ids = known_ws
    model = DocumentTableModel(ws, DocumentKind.INVOICE)
    model.today = lambda: date(2026, 4, 1)
    assert model.columnCount() == len(EXPECTED_CELLS["Zoom"]) + 4 == 12
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(8, 12)] == [
        "Paid",
        "Still due",
        "Last payment",
        "Days late",
    ]
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(8)] == [
        "Status",
        "Number",
        "Title",
        "Client",
        "Activity",
        "Date",
        "Due date",
        "Total incl. VAT",
    ]
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.rowCount() == 4 and model.total == 4
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    for r in range(model.rowCount()):
        title = model.index(r, DocumentColumns.TITLE).data()
        cells = [model.index(r, c).data(Qt.ItemDataRole.DisplayRole) for c in range(8)]
        assert cells == EXPECTED_CELLS[title]
        assert [model.index(r, c).data() for c in range(8, 12)] == PAYMENT_CELLS[title]
        for c in range(8):
            index = model.index(r, c)
            assert index.data(ID_ROLE) == ids[title]
            assert index.data(STATUS_ROLE) == STATUS[title]
            assert index.data(Qt.ItemDataRole.TextAlignmentRole) == (
                right if c == DocumentColumns.TOTAL else None
            )
            assert index.data(Qt.ItemDataRole.ToolTipRole) == (EXPECTED_CELLS[title][0] if c == 0 else None)
            assert index.data(Qt.ItemDataRole.DecorationRole) is None
    zoom = model.index(model.row_of(ids["Zoom"]), 0)
    assert [zoom.siblingAtColumn(c).data(SORT_ROLE) for c in range(8)] == [
        "awaiting_payment",
        "2026-0002",
        "zoom",
        "dune srl",
        "design",
        date(2026, 2, 20),
        date(2026, 3, 22),
        Decimal("0.12"),
    ]
    draft = model.index(model.row_of(ids["atelier bois"]), 0)
    assert draft.siblingAtColumn(DocumentColumns.ISSUE_DATE).data(SORT_ROLE) == date.min
    assert model.index(4, 0).data() is None  # past the last row


@pytest.mark.parametrize("column", list(DocumentColumns))
def test_sort_by_each_column_both_ways(qapp, known_ws, column):
    ws, _ = known_ws
    model = DocumentTableModel(ws, DocumentKind.INVOICE)
    model.sort(column, Qt.SortOrder.AscendingOrder)
    titles = [model.index(r, DocumentColumns.TITLE).data() for r in range(model.rowCount())]
    assert titles == ASCENDING[column]
    keys = [model.index(r, column).data(SORT_ROLE) for r in range(model.rowCount())]
    assert keys == sorted(keys)  # the sort role agrees with the order the service gives
    model.sort(column, Qt.SortOrder.DescendingOrder)
    titles = [model.index(r, DocumentColumns.TITLE).data() for r in range(model.rowCount())]
    assert titles == ASCENDING[column][::-1]


@pytest.mark.parametrize("column", list(DocumentColumns))
def test_sort_by_any_column_on_a_big_list(qapp, demo_ws, column):
    model = DocumentTableModel(demo_ws, DocumentKind.INVOICE, page_size=400)
    model.sort(column, Qt.SortOrder.AscendingOrder)
    keys = [model.index(r, column).data(SORT_ROLE) for r in range(model.rowCount())]
    assert len(keys) == 400 and keys == sorted(keys)
    model.sort(column, Qt.SortOrder.DescendingOrder)
    keys = [model.index(r, column).data(SORT_ROLE) for r in range(model.rowCount())]
    assert keys == sorted(keys, reverse=True)


CLIENT_CELLS = {  # name, country, VAT number, email, documents, still to be paid (sent + awaiting payment)
    "Atelier Zenith": ["Atelier Zenith", "BE", "BE0999123457", "z@example.org", "1", "€0.00"],
    "bureau Alpha": ["bureau Alpha", "FR", "", "alpha@example.org", "2", "€0.00"],
    "Coop Delta": ["Coop Delta", "NL", "NL004495445B01", "", "1", "€1,209.99"],
    "Dune SRL": ["Dune SRL", "BE", "", "dune@example.org", "1", "€0.12"],
}
CLIENT_ASCENDING = {
    ClientTableModel.Columns.NAME: ["Atelier Zenith", "bureau Alpha", "Coop Delta", "Dune SRL"],
    ClientTableModel.Columns.COUNTRY: ["Atelier Zenith", "Dune SRL", "bureau Alpha", "Coop Delta"],
    ClientTableModel.Columns.VAT_NUMBER: ["bureau Alpha", "Dune SRL", "Atelier Zenith", "Coop Delta"],
    ClientTableModel.Columns.EMAIL: ["Coop Delta", "bureau Alpha", "Dune SRL", "Atelier Zenith"],
    ClientTableModel.Columns.DOCUMENTS: ["Atelier Zenith", "Coop Delta", "Dune SRL", "bureau Alpha"],
    ClientTableModel.Columns.OPEN_AMOUNT: ["Atelier Zenith", "bureau Alpha", "Dune SRL", "Coop Delta"],
}


def test_every_column_and_sort_of_the_clients(qapp, known_ws):
    ws, _ = known_ws
    model = ClientTableModel(ws)
    model.reload()
    assert model.columnCount() == 6
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)] == [
        "Name",
        "Country",
        "VAT number",
        "Email",
        "Documents",
        "Still to be paid",
    ]
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    for r in range(model.rowCount()):
        cells = [model.index(r, c).data() for c in range(6)]
        assert cells == CLIENT_CELLS[cells[0]]
        assert model.index(r, 0).data(ID_ROLE) == model.row_at(r).id
        assert [model.index(r, c).data(Qt.ItemDataRole.TextAlignmentRole) for c in range(6)] == [
            None,
            None,
            None,
            None,
            right,
            right,
        ]
    assert model.rowCount() == 4
    for column, expected in CLIENT_ASCENDING.items():
        # ties (same country, no VAT number, one document) keep the order of the previous sort: start by name
        model.sort(ClientTableModel.Columns.NAME)
        model.sort(column, Qt.SortOrder.AscendingOrder)
        assert [model.index(r, 0).data() for r in range(4)] == expected, column
        keys = [model.index(r, column).data(SORT_ROLE) for r in range(4)]
        assert keys == sorted(keys), column
    model.sort(ClientTableModel.Columns.OPEN_AMOUNT, Qt.SortOrder.DescendingOrder)
    assert [model.index(r, 0).data() for r in range(2)] == ["Coop Delta", "Dune SRL"]
    assert [model.index(r, ClientTableModel.Columns.OPEN_AMOUNT).data(SORT_ROLE) for r in range(4)] == [
        Decimal("1209.99"),
        Decimal("0.12"),
        Decimal("0"),
        Decimal("0"),
    ]
    model.reload("zenith")
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["Atelier Zenith"]


ACTIVITY_CELLS = {  # name, code, country, documents, quoted, invoiced (numbered), paid, expenses
    "Design": ["Design", "A-3", "BE", "1", "€0.00", "€0.12", "€0.00", "€0.00"],
    "Photo": ["Photo", "A-2", "BE", "3", "€0.00", "€1,451.99", "€242.00", "€23.40"],
    "theatre": ["theatre", "A-1", "FR", "2", "€968.00", "€0.00", "€0.00", "€0.00"],
}


def test_every_column_and_sort_of_the_activities(qapp, known_ws):
    ws, _ = known_ws
    model = ActivityTableModel(ws)
    model.reload()
    assert model.columnCount() == 8 and model.rowCount() == 3
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(8)] == [
        "Activity",
        "Code",
        "Country",
        "Documents",
        "Quoted",
        "Invoiced",
        "Paid",
        "Expenses",
    ]
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    for r in range(3):
        cells = [model.index(r, c).data() for c in range(8)]
        assert cells == ACTIVITY_CELLS[cells[0]]
        assert [model.index(r, c).data(Qt.ItemDataRole.TextAlignmentRole) for c in range(8)] == [None] * 3 + [
            right
        ] * 5
    model.sort(ActivityTableModel.Columns.CODE)
    assert [model.index(r, 0).data() for r in range(3)] == ["theatre", "Photo", "Design"]
    model.sort(ActivityTableModel.Columns.NAME)
    assert [model.index(r, 0).data() for r in range(3)] == ["Design", "Photo", "theatre"]
    model.sort(ActivityTableModel.Columns.INVOICED, Qt.SortOrder.DescendingOrder)
    assert [model.index(r, 0).data() for r in range(3)] == ["Photo", "Design", "theatre"]
    assert [model.index(r, ActivityTableModel.Columns.INVOICED).data(SORT_ROLE) for r in range(3)] == [
        Decimal("1451.99"),
        Decimal("0.12"),
        Decimal("0"),
    ]
    model.sort(ActivityTableModel.Columns.DOCUMENTS, Qt.SortOrder.DescendingOrder)
    assert [model.index(r, 0).data() for r in range(3)] == ["Photo", "theatre", "Design"]
    model.sort(ActivityTableModel.Columns.QUOTES, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 0).data() == "theatre"


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


def test_clients_and_activities_of_the_demo_data(qapp, demo_ws):
    clients = ClientTableModel(demo_ws)
    clients.reload()
    assert clients.rowCount() == 10
    clients.sort(ClientTableModel.Columns.OPEN_AMOUNT, Qt.SortOrder.DescendingOrder)
    keys = [clients.index(r, ClientTableModel.Columns.OPEN_AMOUNT).data(SORT_ROLE) for r in range(10)]
    assert keys == sorted(keys, reverse=True)
    assert keys == [clients.row_at(r).open_amount for r in range(10)]
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


def test_which_cells_of_the_line_models_take_edits_and_drags(qapp):
    """Lines: every cell is edited but the net amount, and rows drag (dropped between rows); expenses:
    every cell but the receipts count, no drag. A change to the same value asks for nothing."""
    from smartdesk.gui.models.expenses import ExpenseColumns, ExpenseLinesModel

    flag = Qt.ItemFlag
    doc = Document(
        kind=DocumentKind.EXPENSE_NOTE,
        activity_id="act-1",
        lines=[Line(description="Workshop", quantity=Decimal(1), unit_price=Decimal("80"))],
        expense_lines=[ExpenseLine(supplier="SNCB", amount_incl=Decimal("12"), paid_with="own")],
    )
    lines = LinesModel(lambda: doc)
    for column in LineColumns:
        expected = flag.ItemIsEnabled | flag.ItemIsSelectable | flag.ItemIsDragEnabled
        if column is not LineColumns.NET:
            expected |= flag.ItemIsEditable
        assert lines.flags(lines.index(0, column)) == expected, column
    assert lines.flags(QModelIndex()) == flag.ItemIsDropEnabled

    expenses = ExpenseLinesModel(lambda: doc)
    assert expenses.columnCount() == 10 and expenses.rowCount() == 1
    for column in ExpenseColumns:
        expected = flag.ItemIsEnabled | flag.ItemIsSelectable
        if column is not ExpenseColumns.RECEIPTS:
            expected |= flag.ItemIsEditable
        assert expenses.flags(expenses.index(0, column)) == expected, column
    edits: list[tuple[int, str, object]] = []
    expenses.edit_requested.connect(lambda r, f, v: edits.append((r, f, v)))
    assert not expenses.setData(expenses.index(0, ExpenseColumns.RECEIPTS), "3")
    assert not expenses.setData(expenses.index(0, ExpenseColumns.SUPPLIER), "SNCB")
    assert not expenses.setData(expenses.index(0, ExpenseColumns.ACTIVITY), "act-1")  # the note's own
    assert expenses.setData(expenses.index(0, ExpenseColumns.SUPPLIER), "De Lijn")
    assert edits == [(0, "supplier", "De Lijn")]
    assert expenses.index(0, ExpenseColumns.SUPPLIER).data(ID_ROLE) == doc.expense_lines[0].id
    assert expenses.index(1, ExpenseColumns.SUPPLIER).data() is None  # no second line
