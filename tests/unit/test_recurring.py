"""Recurring invoices: the periods a schedule is due for, and the drafts it prepares (an injected day)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from smartdesk.domain.documents import Document, DocumentKind, Line
from smartdesk.domain.recurrence import add_months, draft_id
from smartdesk.errors import SmartDeskError
from smartdesk.services import DocumentQuery, Workspace


def _invoice(ws: Workspace, day: date = date(2026, 1, 31)) -> Document:
    doc = Document(
        kind=DocumentKind.INVOICE,
        status="sent",
        number="F-2026-00010",
        title="Monthly hosting",
        issue_date=day,
        payment_terms_days=30,
        lines=[
            Line(description="Hosting", quantity=Decimal(1), unit_price=Decimal("40"), vat_rate=Decimal(21))
        ],
    )
    doc.due_date = doc.compute_due_date()
    return ws.store.put_document(doc, enqueue=False)


def _drafts(ws: Workspace) -> list[Document]:
    rows = ws.documents.list(
        DocumentQuery(kind=DocumentKind.INVOICE, status="draft", sort="issue_date", descending=False)
    ).rows
    return [ws.documents.get(r.id) for r in rows]


def test_months_keep_their_day_or_take_the_last_one() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 1, 31), 2) == date(2026, 3, 31)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)


def test_drafts_come_when_the_clock_moves_forward_once_per_period(workspace: Workspace) -> None:
    source = _invoice(workspace)
    workspace.recurring.set(source.id, "monthly", count=3)
    assert workspace.recurring.run(today=date(2026, 2, 27)) == []  # not yet
    made = workspace.recurring.run(today=date(2026, 2, 28))
    assert [d.issue_date for d in made] == [date(2026, 2, 28)]
    assert workspace.recurring.run(today=date(2026, 2, 28)) == []  # never twice
    made = workspace.recurring.run(today=date(2026, 6, 1))  # offline for months: catches up, up to the count
    assert [d.issue_date for d in made] == [date(2026, 3, 31), date(2026, 4, 30)]
    assert workspace.recurring.run(today=date(2027, 1, 1)) == []  # 3 invoices: done
    drafts = _drafts(workspace)
    assert [d.issue_date for d in drafts] == [date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]
    first = drafts[0]
    assert (first.status, first.number, first.title, first.source_id) == (
        "draft",
        "",
        "Monthly hosting",
        source.id,
    )
    assert first.due_date == date(2026, 3, 30) and first.lines[0].unit_price == Decimal("40")
    assert first.paid_amount == 0
    assert workspace.recurring.unseen() == [d.id for d in drafts]
    workspace.recurring.seen(first.id)
    assert workspace.recurring.unseen() == [d.id for d in drafts[1:]]
    assert workspace.store.outbox_count() == 3  # each draft goes to the cooperative like any other


def test_survives_a_restart_and_a_deleted_draft_does_not_come_back(workspace: Workspace) -> None:
    source = _invoice(workspace, date(2026, 3, 10))
    workspace.recurring.set(source.id, "quarterly", end=date(2027, 1, 1))
    made = workspace.recurring.run(today=date(2026, 6, 10))
    assert [d.issue_date for d in made] == [date(2026, 6, 10)]
    workspace.documents.delete(made[0].id)
    folder = workspace.folder
    workspace.close()
    again = Workspace.open(folder)
    try:
        made = again.recurring.run(today=date(2027, 6, 1))  # until 1 January 2027
        assert [d.issue_date for d in made] == [date(2026, 9, 10), date(2026, 12, 10)]
        assert [d.issue_date for d in _drafts(again)] == [date(2026, 9, 10), date(2026, 12, 10)]
    finally:
        again.close()
        workspace.reopen()


def test_a_draft_already_there_is_not_made_again(workspace: Workspace, tmp_path) -> None:
    """A second computer with the same schedule (or a crash before the period was recorded): the draft's id
    comes from the invoice and the period, so the same draft is found, not a second one made."""
    source = _invoice(workspace, date(2026, 1, 5))
    workspace.recurring.set(source.id, "yearly")
    expected = draft_id(source.id, date(2027, 1, 5))
    assert draft_id(source.id, date(2027, 1, 5)) == expected and len(expected) == 36 and expected[14] == "8"
    copy = workspace.documents.draft_copy(source)
    copy.id = expected
    workspace.store.put_document(copy, enqueue=False)  # pulled from the other computer
    assert workspace.recurring.run(today=date(2027, 2, 1)) == []
    assert len(_drafts(workspace)) == 1
    assert workspace.recurring.run(today=date(2027, 2, 1)) == []


def test_bad_schedules_are_refused_in_plain_words(workspace: Workspace) -> None:
    source = _invoice(workspace)
    with pytest.raises(SmartDeskError, match="monthly, quarterly or yearly"):
        workspace.recurring.set(source.id, "weekly")
    with pytest.raises(SmartDeskError, match="end date must come after"):
        workspace.recurring.set(source.id, "monthly", end=date(2025, 1, 1))
    with pytest.raises(SmartDeskError, match="between 1 and 600"):
        workspace.recurring.set(source.id, "monthly", count=10_000)
    quote = workspace.store.put_document(
        Document(kind=DocumentKind.QUOTE, issue_date=date(2026, 1, 1)), enqueue=False
    )
    with pytest.raises(SmartDeskError, match="Only an invoice"):
        workspace.recurring.set(quote.id, "monthly")
    workspace.store.set_setting(
        "recurring", {source.id: {"frequency": "monthly", "start": "not a date"}, "x": 3}
    )
    assert workspace.recurring.all() == []  # a damaged setting is ignored, never crashes
    assert workspace.recurring.get(source.id) is None
    workspace.recurring.set(source.id, "monthly")
    workspace.recurring.remove(source.id)
    assert workspace.recurring.run(today=date(2030, 1, 1)) == []
