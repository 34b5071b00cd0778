"""The home page's figures against the same figures computed here, independently, from the raw rows.

The independent side reads the SQLite file with the standard library (not the store), parses the
money with Decimal and buckets dates with plain arithmetic written in this test: no function of
``smartdesk.services.home`` or ``smartdesk.domain.receivables`` is used to compute an expected value.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from smartdesk.domain.documents import Document, DocumentKind, Line
from smartdesk.services import Workspace
from smartdesk.services.demo import load_demo_data
from tests.support.statuses import OPEN_INVOICE_STATUSES

TODAY = date.today()  # the demo data is made relative to the real today
OPEN = set(OPEN_INVOICE_STATUSES)  # written out by hand, not read from smartdesk.domain


def _raw_rows(folder: Path) -> list[sqlite3.Row]:
    con = sqlite3.connect(folder / "smartdesk.sqlite3")
    con.row_factory = sqlite3.Row
    try:
        return con.execute(
            "SELECT kind, status, issue_date, due_date, total_incl, paid_amount, activity_id FROM documents"
        ).fetchall()
    finally:
        con.close()


def _expected(rows: list[sqlite3.Row], today: date) -> dict[str, object]:
    to_receive = Decimal(0)
    open_count = 0
    bands: dict[str, list[Decimal]] = {k: [Decimal(0), Decimal(0)] for k in ("0-30", "31-60", "61-90", "90+")}
    # the 12 months ending with today's
    months = []
    y, m = today.year, today.month
    for _ in range(12):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    revenue: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    expenses = Decimal(0)
    expense_count = 0
    returned = 0
    for r in rows:
        total = Decimal(r["total_incl"])
        paid = Decimal(r["paid_amount"] or "0")
        if r["kind"] == "invoice" and r["status"] in OPEN:
            due = total - paid if total > paid else Decimal(0)
            to_receive += due
            open_count += 1
            if r["due_date"]:
                late = (today - date.fromisoformat(r["due_date"])).days
                key = None
                if 1 <= late <= 30:
                    key = "0-30"
                elif 31 <= late <= 60:
                    key = "31-60"
                elif 61 <= late <= 90:
                    key = "61-90"
                elif late > 90:
                    key = "90+"
                if key:
                    bands[key][0] += 1
                    bands[key][1] += due
        if (
            r["kind"] in ("invoice", "credit-note")
            and r["status"] in OPEN | {"paid"}
            and r["issue_date"]
            and r["issue_date"][:7] in months
            and r["issue_date"] <= today.isoformat()
        ):
            cell = revenue[(r["activity_id"] or "", r["issue_date"][:7])]
            if r["kind"] == "invoice":
                cell[0] += total
                cell[1] += paid
            else:
                cell[0] -= total
        if r["kind"] == "expense-note" and r["status"] in ("submitted", "validated"):
            expenses += total
            expense_count += 1
        if r["status"] == "returned":
            returned += 1
    return dict(
        to_receive=to_receive,
        open_count=open_count,
        bands=bands,
        revenue=revenue,
        months=months[::-1],
        expenses=expenses,
        expense_count=expense_count,
        returned=returned,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("home") / "data"
    with Workspace.open(folder) as ws:
        load_demo_data(ws, 10_000)
    return folder


def test_home_figures_equal_an_independent_computation_on_10000_documents(demo: Path) -> None:
    with Workspace.open(demo) as ws:
        figures = ws.home.figures(today=TODAY)
    want = _expected(_raw_rows(demo), TODAY)
    assert figures.open_count == want["open_count"] > 1000
    assert figures.to_receive == want["to_receive"]
    bands = want["bands"]
    assert isinstance(bands, dict)
    for key, (count, due) in bands.items():
        assert (figures.band(key).count, figures.band(key).due) == (count, due), key
    assert sum(b.count for b in figures.overdue) > 100  # the demo has late invoices in every band
    assert all(b.count for b in figures.overdue)
    assert list(figures.months) == want["months"]
    revenue = want["revenue"]
    assert isinstance(revenue, dict)
    got = {
        (a.activity_id, m.month): [m.invoiced, m.paid]
        for a in figures.revenue
        for m in a.months
        if m.invoiced or m.paid
    }
    assert got == {k: v for k, v in revenue.items() if v[0] or v[1]}
    assert len(figures.revenue) == 5 and all(a.name for a in figures.revenue)
    assert (figures.expenses_waiting, figures.expenses_waiting_count) == (
        want["expenses"],
        want["expense_count"],
    )
    assert figures.expenses_waiting_count > 0
    assert figures.returned_count == want["returned"] > 0
    assert len(figures.returned) == 5


def test_a_partly_paid_invoice_counts_what_is_still_due_in_its_age_band(workspace: Workspace) -> None:
    today = date(2026, 6, 30)
    doc = Document(
        kind=DocumentKind.INVOICE,
        status="partially_paid",
        number="F-2026-00001",
        issue_date=today - timedelta(days=80),
        due_date=today - timedelta(days=45),  # 45 days late: the 31-60 band
        lines=[
            Line(description="Concert", quantity=Decimal(1), unit_price=Decimal("1000"), vat_rate=Decimal(21))
        ],
        paid_amount=Decimal("400.50"),
    )
    workspace.store.put_document(doc, enqueue=False)
    figures = workspace.home.figures(today=today)
    assert figures.to_receive == Decimal("809.50")  # 1,210.00 incl. VAT less 400.50 received
    assert figures.band("31-60").count == 1 and figures.band("31-60").due == Decimal("809.50")
    assert figures.band("0-30").count == 0 and figures.overdue_total == Decimal("809.50")
    april = next(m for m in figures.revenue[0].months if m.month == "2026-04")
    assert (april.invoiced, april.paid) == (Decimal("1210.00"), Decimal("400.50"))


def test_an_empty_store_has_zero_everywhere(workspace: Workspace) -> None:
    figures = workspace.home.figures(today=date(2026, 1, 15))
    assert figures.to_receive == 0 and figures.open_count == 0
    assert [b.key for b in figures.overdue] == ["0-30", "31-60", "61-90", "90+"]
    assert figures.months[0] == "2025-02" and figures.months[-1] == "2026-01"
    assert figures.revenue == () and figures.returned == ()
