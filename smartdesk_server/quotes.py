"""Invoices made from a quote: the server's own check that they never invoice the quote beyond its
total (issue 16; ``smartdesk.domain.quotes`` has the rules, the app checks the same before it sends).

An invoice whose ``source_id`` names one of the member's quotes is checked at submission (in the push
transaction) and again at validation (in the advisor's transaction). Both hold the member's revision
row first, then the invoice, then the quote's row (``for_update``): two submissions or validations of
invoices of one quote are counted one after the other, so they can never both pass when together
they go beyond the quote. What counts is the server's records, never what the client says it billed:
the member's other invoices made from the quote that went to the cooperative (submitted, validated and
after; not drafts and not returned ones, which the member can still change; not cancelled ones, which
no longer bill the quote), plus this one, excluding VAT per VAT group (``billing``).

A ``source_id`` may also name an invoice (``Duplicate`` and recurring invoices copy one): it bills no
quote. One that is not on the server, or was deleted (a draft quote thrown away), bills nothing either.
"""

from __future__ import annotations

from decimal import Decimal

from smartdesk.domain import quotes as rules
from smartdesk.domain.documents import Document, DocumentKind
from smartdesk.domain.lifecycle import Status, kind_word
from smartdesk.domain.serialize import document_from_dict
from smartdesk.domain.totals import document_totals
from smartdesk_server.db import records
from smartdesk_server.errors import Rejection
from smartdesk_server.store import Record, Tx, get_record, member_documents

# how a refusal ends: what the member (at submission) or the advisor (at validation) does about it
FOR_MEMBER = "Correct the invoice, then send it for validation again."
FOR_ADVISOR = "Return it to the member."

# invoices of a quote the member can still change or that no longer bill it: not counted
NOT_COUNTED = (Status.DRAFT.value, Status.RETURNED.value, Status.CANCELLED.value)


def _quote_of(tx: Tx, rec: Record, then: str) -> Record | None:
    """The quote the invoice ``rec`` is made from (its row locked), or None when it bills no quote."""
    body = rec.body or {}
    if rec.kind != DocumentKind.INVOICE.value or not body.get("source_id"):
        return None
    source = get_record(tx.conn, "document", str(body["source_id"]), for_update=True)
    if source is None or source.deleted or source.body is None:
        return None
    if source.member_id != rec.member_id:
        raise Rejection(
            "not_found", f"The quote this invoice is made from does not exist or is not yours. {then}"
        )
    if source.kind == DocumentKind.INVOICE.value:
        return None  # a copy of an invoice
    if source.kind != DocumentKind.QUOTE.value:
        word = kind_word(DocumentKind(source.kind))
        raise Rejection(
            "invalid",
            f"This invoice says it is made from a {word}, but an invoice is made from a quote. {then}",
        )
    if source.status == Status.LOST.value:
        raise Rejection(
            "invalid",
            "The quote this invoice is made from was refused: undo “Refused” on the quote first if the "
            f"client accepted it after all. {then}",
        )
    client = str(body.get("client_id") or "")
    if client and source.body.get("client_id") and client != source.body["client_id"]:
        raise Rejection("invalid", f"This invoice is for another client than its quote. {then}")
    return source


def _invoiced_before(tx: Tx, quote: Record, invoice_id: str) -> list[Document]:
    """The member's other invoices made from the quote that count (see the module's docstring)."""
    return [
        document_from_dict(body)
        for doc_id, status, body in member_documents(
            tx.conn, quote.member_id, DocumentKind.INVOICE.value, records.c.body.contains(quote.id)
        )
        if doc_id != invoice_id and status not in NOT_COUNTED and body.get("source_id") == quote.id
    ]


def check_quote_invoicing(tx: Tx, rec: Record, then: str) -> None:
    """Refuse the invoice ``rec`` (a Rejection that says what is left to invoice) when it is made from
    a quote it does not fit in; ``then`` ends each message with what to do (member or advisor)."""
    source = _quote_of(tx, rec, then)
    if source is None or source.body is None:
        return
    quote = document_from_dict(source.body)
    bill = rules.billing(quote, _invoiced_before(tx, source, rec.id))
    amount = document_totals(document_from_dict(rec.body or {})).tax_exclusive
    if amount <= 0:
        raise Rejection("invalid", f"An invoice made from a quote is for more than 0. {then}")
    if bill.invoiced_net + amount > bill.quote_net:
        label = quote.number or (f"“{quote.title}”" if quote.title else "")
        which = f"the quote {label}" if label else "the quote"
        raise Rejection(
            "over_quote",
            f"This invoice ({amount} excluding VAT) and the invoices already sent from {which} "
            f"({bill.invoiced_net}) come to more than the quote's {bill.quote_net} excluding VAT: at most "
            f"{max(bill.remaining, Decimal(0))} is left to invoice. {then}",
        )
