"""Credit notes and the invoice they correct: what may be credited, what is left to pay.

A credit note corrects ONE validated invoice of the same member and entity, and all the credit notes
of an invoice together never credit more than the invoice's total. A validated credit note lowers the
invoice's amount due (and so the amount of its scan-to-pay code); an invoice credited in full is
closed (cancelled) and leaves the follow-up. The app checks this before submitting, in plain words;
the server checks it again at validation with its own records (smartdesk_server/credits.py).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from smartdesk.domain.documents import Document, DocumentKind
from smartdesk.domain.lifecycle import OPEN_INVOICE
from smartdesk.domain.money import ZERO
from smartdesk.domain.totals import Totals, document_total
from smartdesk.errors import Problem

# invoice statuses that a credit note may correct: validated, and every later status but cancelled
CREDITABLE_STATUSES = frozenset((*OPEN_INVOICE, "paid"))
# credit-note statuses that count as credited (the cooperative validated them)
COUNTED_STATUSES = frozenset({"validated", "sent"})


def credited_left(invoice: Document) -> Decimal:
    """What is still left to credit on an invoice: its total minus its validated credit notes."""
    return max(document_total(invoice) - invoice.credited_amount, ZERO)


def amount_due(invoice: Document) -> Decimal:
    """Total incl. VAT, minus payments, minus validated credit notes; never below zero."""
    return max(document_total(invoice) - invoice.paid_amount - invoice.credited_amount, ZERO)


def with_credits(totals: Totals, doc: Document) -> Totals:
    """The totals of an invoice with its validated credit notes taken off the amount due (BT-115)."""
    if doc.kind is not DocumentKind.INVOICE or not doc.credited_amount:
        return totals
    return replace(totals, due=max(totals.due - doc.credited_amount, ZERO))


def status_after_credit(invoice_status: str, total: Decimal, paid: Decimal, credited: Decimal) -> str:
    """The invoice's status once ``credited`` (all its credit notes) is taken off: cancelled when
    credited in full, paid when payments cover the rest, else unchanged."""
    if credited >= total:
        return "cancelled"
    if paid > 0 and paid + credited >= total:
        return "paid"
    return invoice_status


def credit_note_problems(
    note: Document, invoice: Document | None, *, pending_credits: Decimal = ZERO
) -> list[Problem]:
    """What stops a credit note from going to the cooperative, each problem in plain words.

    ``invoice``: the invoice it names, as this side knows it (None: not found). ``pending_credits``:
    other credit notes of the same invoice already submitted but not validated yet (the app warns
    that together they would be more than the invoice).
    """
    from smartdesk.domain.validation import problem  # local: validation imports this module

    if note.kind is not DocumentKind.CREDIT_NOTE:
        return []
    if not (note.corrects_id or note.corrects_number):
        return [problem("corrects_id", "required.credit_target")]
    if invoice is None:
        return [problem("corrects_id", "credit.unknown_invoice", number=note.corrects_number or "?")]
    number = invoice.number or "?"
    out: list[Problem] = []
    if invoice.kind is not DocumentKind.INVOICE:
        return [problem("corrects_id", "credit.not_an_invoice")]
    if not invoice.number or invoice.status not in CREDITABLE_STATUSES:
        out.append(problem("corrects_id", "credit.not_validated", number=number))
    if invoice.entity != note.entity:
        out.append(problem("corrects_id", "credit.other_entity", number=number))
    if note.client_id and invoice.client_id and note.client_id != invoice.client_id:
        out.append(problem("client_id", "credit.other_client", number=number))
    total = document_total(note)
    left = credited_left(invoice) - pending_credits
    if total > left:
        out.append(
            problem(
                "lines",
                "credit.too_much",
                number=number,
                amount=format(total, "f"),
                left=format(max(left, ZERO), "f"),
                total=format(document_total(invoice), "f"),
            )
        )
    return out
