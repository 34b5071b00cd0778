"""The quote lifecycle on the member's side: marks with a day and undo, deposit / partial / rest
invoices, never beyond the quote, and a quote turned into an invoice is "invoiced" (issue 16)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from smartdesk.domain.documents import Activity, Address, Client, Document, DocumentKind, Line
from smartdesk.domain.ids import uuid7
from smartdesk.domain.totals import document_totals
from smartdesk.domain.vat import VatCategory
from smartdesk.errors import TransitionError, ValidationError
from smartdesk.services import Workspace
from tests.support.pulled import pulled_document


def _validated_quote(ws: Workspace) -> Document:
    """A quote as a sync brings it back once validated: 1,000 at 21 % and 200 at 6 % (excl. VAT)."""
    client = ws.clients.save(Client(id=uuid7(), name="Studio Noord"))
    return pulled_document(
        ws,
        version=2,
        kind=DocumentKind.QUOTE,
        number="BE-QUO-2026-000007",
        client_id=client.id,
        title="Website",
        issue_date=date(2026, 11, 2),
        lines=[
            Line(description="Design", quantity=Decimal(2), unit_price=Decimal("500")),
            Line(description="Books", quantity=Decimal(1), unit_price=Decimal("200"), vat_rate=Decimal("6")),
        ],
    )


def _outbox(ws: Workspace) -> list[dict[str, object]]:
    with ws.store.read() as conn:
        rows = list(conn.execute("SELECT name, args FROM outbox ORDER BY mutation_id"))
    return [{"name": r[0], **json.loads(r[1])} for r in rows]


def test_marks_carry_their_day_on_the_timeline_and_undo_goes_back(workspace: Workspace) -> None:
    quote = _validated_quote(workspace)
    workspace.quotes.mark(quote.id, "sent", on=date(2026, 11, 20))
    won = workspace.quotes.mark(quote.id, "won", on=date(2026, 11, 28))
    assert won.status == "won"
    assert [(e.status, e.on) for e in workspace.documents.get(quote.id).timeline][-2:] == [
        ("sent", "2026-11-20"),
        ("won", "2026-11-28"),
    ]
    sent = [m for m in _outbox(workspace) if m["name"] == "document.transition"]
    assert [(m["to"], m.get("on")) for m in sent] == [("sent", "2026-11-20"), ("won", "2026-11-28")]
    assert workspace.quotes.undo_mark(quote.id).status == "sent"
    assert workspace.quotes.undo_mark(quote.id).status == "validated"
    with pytest.raises(TransitionError):
        workspace.quotes.undo_mark(quote.id)


def test_a_day_in_the_future_is_refused(workspace: Workspace) -> None:
    quote = _validated_quote(workspace)
    with pytest.raises(ValidationError, match="between 01/01/2000 and today"):
        workspace.quotes.mark(quote.id, "won", on=date(2999, 1, 1))
    assert workspace.documents.get(quote.id).status == "validated"


def test_deposit_chosen_lines_then_the_rest_never_beyond_the_quote(workspace: Workspace) -> None:
    quote = _validated_quote(workspace)
    deposit = workspace.quotes.invoice(quote.id, percent="30")
    # one deposit line per VAT group: 30 % of 1,000 at 21 % and of 200 at 6 %
    assert sorted((ln.vat_rate, ln.unit_price) for ln in deposit.lines) == [
        (Decimal("6"), Decimal("60.00")),
        (Decimal("21"), Decimal("300.00")),
    ]
    assert "30 %" in deposit.lines[0].description and quote.number in deposit.lines[0].description
    assert deposit.source_id == quote.id
    assert workspace.documents.get(quote.id).status == "won", "invoicing a deposit means it was accepted"
    with pytest.raises(ValidationError, match="only 840.00 of the quote's 1200.00 is left"):
        workspace.quotes.invoice(quote.id, percent="80")
    books = next(ln.id for ln in quote.lines if ln.description == "Books")
    partial = workspace.quotes.invoice(quote.id, line_ids=[books])
    assert [ln.description for ln in partial.lines] == ["Books"]
    bill = workspace.quotes.billing(quote.id)
    assert (bill.invoiced_net, bill.remaining) == (Decimal("560.00"), Decimal("640.00"))
    rest = workspace.quotes.invoice(quote.id)
    assert document_totals(rest).tax_exclusive == Decimal("640.00")
    assert workspace.documents.get(quote.id).status == "invoiced"
    assert [i.id for i in workspace.quotes.billing(quote.id).invoices] == [deposit.id, partial.id, rest.id]
    with pytest.raises(TransitionError, match="already invoiced in full"):
        workspace.quotes.invoice(quote.id, percent="1")


def test_a_draft_quote_turned_into_an_invoice_is_invoiced_and_not_invoiced_twice(
    workspace: Workspace,
) -> None:
    """The defect: the quote stayed "Draft" and could be turned into an invoice again and again."""
    quote = workspace.documents.new(DocumentKind.QUOTE)
    quote.lines = [Line(description="Work", quantity=Decimal(1), unit_price=Decimal("100"))]
    workspace.documents.save(quote)
    invoice = workspace.documents.quote_to_invoice(quote.id)
    assert invoice.kind is DocumentKind.INVOICE and invoice.source_id == quote.id
    assert workspace.documents.get(quote.id).status == "invoiced"
    with pytest.raises(TransitionError):
        workspace.documents.quote_to_invoice(quote.id)
    # deleting the invoice draft lets the member undo "invoiced" and bill it again
    workspace.documents.delete(invoice.id)
    assert workspace.quotes.undo_mark(quote.id).status == "won"
    again = workspace.documents.quote_to_invoice(quote.id)
    assert document_totals(again).tax_exclusive == Decimal("100.00")


def test_an_invoice_edited_beyond_its_quote_cannot_be_submitted(workspace: Workspace) -> None:
    quote = _validated_quote(workspace)
    deposit = workspace.quotes.invoice(quote.id, percent="50")
    rest = workspace.quotes.invoice(quote.id)
    rest.lines.append(Line(description="Extra", quantity=Decimal(1), unit_price=Decimal("10")))
    rest.activity_id = workspace.activities.save(Activity(id=uuid7(), name="Web", code="A-2")).id
    rest = workspace.documents.save(rest)
    client = workspace.clients.get(rest.client_id)
    client.vat_number = "BE0999123457"
    client.address = Address(street="Rue Haute 1", postcode="1000", city="Bruxelles", country="BE")
    workspace.clients.save(client)
    with pytest.raises(ValidationError, match="never invoiced beyond its total"):
        workspace.documents.submit(rest.id)
    assert workspace.documents.get(rest.id).status == "draft"
    assert deposit.lines[0].vat_category is VatCategory.STANDARD
