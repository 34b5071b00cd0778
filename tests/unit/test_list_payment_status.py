"""Payment status in lists: several statuses, "all unpaid", overdue bands, totals, saved filters, exports."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from smartdesk.domain.documents import Document, DocumentKind, Line
from smartdesk.errors import SmartDeskError
from smartdesk.services import DocumentQuery, Workspace
from smartdesk.services.list_filters import UNPAID, ListFilter
from smartdesk.sync import local

TODAY = date(2026, 6, 30)


def _invoice(ws: Workspace, title: str, status: str, price: str, paid: str, late: int) -> Document:
    doc = Document(
        kind=DocumentKind.INVOICE,
        status=status,
        number=f"F-2026-{title[:3]}",
        title=title,
        issue_date=TODAY - timedelta(days=late + 30),
        due_date=TODAY - timedelta(days=late),
        lines=[Line(description=title, quantity=Decimal(1), unit_price=Decimal(price), vat_rate=Decimal(0))],
        paid_amount=Decimal(paid),
    )
    return ws.store.put_document(doc, enqueue=False)


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    _invoice(workspace, "Paid concert", "paid", "500", "500", 50)
    _invoice(workspace, "Half workshop", "partially_paid", "1000", "250.25", 45)
    _invoice(workspace, "Late photos", "reminder_1", "300", "0", 100)
    _invoice(workspace, "Fresh translation", "awaiting_payment", "200", "0", -10)  # due in 10 days
    _invoice(workspace, '=HYPERLINK("http://x")', "draft", "80", "0", 0)
    return workspace


def _titles(ws: Workspace, filt: ListFilter) -> set[str]:
    q = DocumentQuery(kind=DocumentKind.INVOICE, limit=100, **filt.query_changes(TODAY))
    return {r.title for r in ws.documents.list(q).rows}


def test_all_unpaid_several_statuses_and_overdue_bands(ws: Workspace) -> None:
    assert _titles(ws, ListFilter(statuses=(UNPAID,))) == {
        "Half workshop",
        "Late photos",
        "Fresh translation",
    }
    assert _titles(ws, ListFilter(statuses=("paid", "draft"))) == {"Paid concert", '=HYPERLINK("http://x")'}
    assert _titles(ws, ListFilter(overdue_band="31-60")) == {"Half workshop"}  # paid one is not overdue
    assert _titles(ws, ListFilter(overdue_band="90+")) == {"Late photos"}
    assert _titles(ws, ListFilter(overdue_band="0-30")) == set()


def test_totals_of_the_filtered_rows(ws: Workspace) -> None:
    q = DocumentQuery(kind=DocumentKind.INVOICE, **ListFilter(statuses=(UNPAID,)).query_changes(TODAY))
    sums = ws.documents.sums(q)
    assert (sums.count, sums.total, sums.paid, sums.still_due) == (
        3,
        Decimal("1500.00"),
        Decimal("250.25"),
        Decimal("1249.75"),
    )


def test_rows_carry_paid_and_the_last_payment_pulled(ws: Workspace) -> None:
    half = next(r for r in ws.documents.list(DocumentQuery(kind=DocumentKind.INVOICE)).rows if r.paid)
    assert half.last_payment is None
    doc_id = next(r.id for r in ws.documents.list(DocumentQuery(text="Half")).rows)
    with ws.store.write() as conn:
        for pid, day in (("p1", "2026-05-02"), ("p2", "2026-06-11")):
            conn.execute(
                "INSERT INTO sync_records (entity, id, version, body) VALUES ('payment', ?, 1, ?)",
                (f"{doc_id}:{pid}", json.dumps({"id": pid, "date": day, "amount": "125.125"})),
            )
    row = next(r for r in ws.documents.list(DocumentQuery(text="Half")).rows)
    assert (row.paid, row.last_payment) == (Decimal("250.25"), date(2026, 6, 11))
    assert local.records_of(ws.store, "payment", doc_id)  # the same records the editor lists


def test_saved_filters_are_named_persisted_and_checked(ws: Workspace, tmp_path: Path) -> None:
    filt = ListFilter(statuses=(UNPAID,), overdue_band="31-60", text="work")
    assert ws.saved_filters.save("invoice", "  Late   clients ", filt) == "Late clients"
    folder = ws.folder
    ws.close()
    again = Workspace.open(folder)
    try:
        assert again.saved_filters.names("invoice") == ["Late clients"]
        assert again.saved_filters.get("invoice", "Late clients") == filt
        assert again.saved_filters.names("quote") == []
        with pytest.raises(SmartDeskError):
            again.saved_filters.save("invoice", "   ", filt)
        assert ListFilter.from_dict({"statuses": "paid"}) is None
        assert ListFilter.from_dict({"overdue_band": "1000+"}) is None
        again.saved_filters.delete("invoice", "Late clients")
        assert again.saved_filters.names("invoice") == []
    finally:
        again.close()
        ws.reopen()


def test_export_to_csv_and_xlsx_reads_back_and_never_runs_formulas(ws: Workspace, tmp_path: Path) -> None:
    q = DocumentQuery(kind=DocumentKind.INVOICE, sort="title", descending=False)
    assert ws.exports.write(q, tmp_path / "list.csv", today=TODAY) == 5
    with (tmp_path / "list.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert rows[0][:3] == ["Number", "Title", "Client"] and len(rows) == 6
    half = next(r for r in rows if r[1] == "Half workshop")
    assert half[7:10] == ["1000.00", "250.25", "749.75"] and half[11] == "45" and half[4] == "2026-04-16"
    assert next(r for r in rows if "HYPERLINK" in r[1])[1] == '\'=HYPERLINK("http://x")'

    assert ws.exports.write(q, tmp_path / "list.xlsx", today=TODAY) == 5
    sheet = load_workbook(tmp_path / "list.xlsx").active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][9] == "Still due" and len(values) == 6
    xl_half = next(v for v in values if v[1] == "Half workshop")
    assert xl_half[7] == 1000 and xl_half[9] == pytest.approx(749.75) and xl_half[11] == 45
    assert xl_half[4].date() == date(2026, 4, 16)
    formula = next(c for c in sheet.iter_rows(min_row=2) if "HYPERLINK" in str(c[1].value))[1]
    assert formula.data_type == "s"  # text, not a formula
    with pytest.raises(SmartDeskError):
        ws.exports.write(q, tmp_path / "list.ods")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("list")) == [
        "list.csv",
        "list.xlsx",
    ]
