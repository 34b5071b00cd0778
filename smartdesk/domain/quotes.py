"""What a quote has been invoiced for, and the lines of a deposit, a partial or the final invoice.

Pure rules (no store): the service (``services.quotes``) gives them the quote and the invoices made
from it (``source_id`` = the quote's id, not cancelled). Amounts are compared excluding VAT per VAT
group (category, rate), the way EN 16931 totals a document; an invoice never takes a quote beyond its
total, whether it is a deposit (a percentage), chosen lines or "the rest".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from smartdesk.domain.documents import AllowanceCharge, Document, DocumentKind, Line
from smartdesk.domain.ids import uuid7
from smartdesk.domain.lifecycle import Status
from smartdesk.domain.money import round2
from smartdesk.domain.totals import document_totals
from smartdesk.domain.vat import VatCategory
from smartdesk.errors import Message, TransitionError, ValidationError

ZERO = Decimal("0")
HUNDRED = Decimal("100")
Group = tuple[VatCategory, Decimal]

# quote statuses in which no more invoice can be made from it
NOT_INVOICEABLE = frozenset({Status.INVOICED.value, Status.LOST.value, Status.SUBMITTED.value})
# the member's own commercial marks on a quote (and what "undo" can go back over)
MEMBER_MARKS = (Status.SENT.value, Status.WON.value, Status.LOST.value)


def _group(category: VatCategory, rate: Decimal) -> Group:
    return (category, ZERO if category.zero_rate else rate.normalize())


def groups(doc: Document) -> dict[Group, Decimal]:
    """The taxable amount of each VAT group of a document (allowances included)."""
    out: dict[Group, Decimal] = {}
    for vb in document_totals(doc).vat_breakdown:
        key = _group(vb.category, vb.rate)
        out[key] = out.get(key, ZERO) + vb.taxable
    return out


@dataclass(frozen=True)
class InvoiceFromQuote:
    id: str
    number: str
    status: str
    net: Decimal  # excluding VAT


@dataclass(frozen=True)
class QuoteBilling:
    """How much of a quote is invoiced (excluding VAT) and by which invoices."""

    quote_net: Decimal
    invoiced_net: Decimal
    invoices: tuple[InvoiceFromQuote, ...]
    invoiced_groups: dict[Group, Decimal]

    @property
    def remaining(self) -> Decimal:
        return self.quote_net - self.invoiced_net

    @property
    def fully_invoiced(self) -> bool:
        return self.quote_net > ZERO and self.remaining <= ZERO


def counts_for_quote(invoice: Document, quote_id: str) -> bool:
    """An invoice made from this quote and not cancelled (a cancelled one no longer bills it)."""
    return (
        invoice.kind is DocumentKind.INVOICE
        and invoice.source_id == quote_id
        and invoice.status != Status.CANCELLED.value
    )


def billing(quote: Document, invoices: Iterable[Document]) -> QuoteBilling:
    made = [inv for inv in invoices if counts_for_quote(inv, quote.id)]
    made.sort(key=lambda d: (d.created_at, d.id))
    summed: dict[Group, Decimal] = {}
    listed: list[InvoiceFromQuote] = []
    for inv in made:
        net = ZERO
        for key, amount in groups(inv).items():
            summed[key] = summed.get(key, ZERO) + amount
            net += amount
        listed.append(InvoiceFromQuote(inv.id, inv.number, inv.status, net))
    return QuoteBilling(
        quote_net=document_totals(quote).tax_exclusive,
        invoiced_net=sum((i.net for i in listed), ZERO),
        invoices=tuple(listed),
        invoiced_groups=summed,
    )


def check_invoiceable(quote: Document, bill: QuoteBilling) -> None:
    if quote.kind is not DocumentKind.QUOTE:
        raise TransitionError("Only a quote can be turned into an invoice.")
    if quote.status == Status.SUBMITTED.value:
        raise TransitionError(
            "This quote is with your advisor for validation: wait for it, or withdraw it, before invoicing it."
        )
    if quote.status == Status.LOST.value:
        raise TransitionError(
            "This quote was refused: undo “Refused” first if the client accepted it after all."
        )
    if bill.fully_invoiced or quote.status == Status.INVOICED.value:
        raise TransitionError(
            "This quote is already invoiced in full: open its invoices below. "
            "A quote is never invoiced beyond its total."
        )


def check_not_beyond(bill: QuoteBilling, new_net: Decimal) -> None:
    """Refuse an invoice that would take the quote beyond its total (excluding VAT)."""
    if new_net <= ZERO:
        raise ValidationError([], summary=Message("An invoice from a quote must be for more than 0."))
    if bill.invoiced_net + new_net > bill.quote_net:
        raise ValidationError(
            [],
            summary=Message(
                "This would invoice {amount} excluding VAT, but only {left} of the quote's {total} is left "
                "to invoice. Lower the amount: a quote is never invoiced beyond its total.",
                amount=format(new_net, "f"),
                left=format(bill.remaining, "f"),
                total=format(bill.quote_net, "f"),
            ),
        )


def deposit_lines(quote: Document, percent: Decimal, description: str) -> list[Line]:
    """One line per VAT group: ``percent`` of the quote's taxable amount in that group."""
    if not ZERO < percent <= HUNDRED:
        raise ValidationError([], summary=Message("Choose a percentage between 0 and 100."))
    return [
        Line(
            id=uuid7(),
            description=description,
            quantity=Decimal("1"),
            unit="C62",
            unit_price=round2(amount * percent / HUNDRED),
            vat_category=key[0],
            vat_rate=key[1],
        )
        for key, amount in groups(quote).items()
        if amount
    ]


def chosen_lines(quote: Document, line_ids: Sequence[str]) -> list[Line]:
    wanted = set(line_ids)
    picked = [replace(line, id=uuid7()) for line in quote.lines if line.id in wanted]
    if not picked or len(picked) != len(wanted):
        raise ValidationError([], summary=Message("Choose one or more lines of the quote to invoice."))
    return picked


def already_invoiced(bill: QuoteBilling, reason: str) -> list[AllowanceCharge]:
    """What earlier invoices took, as one document-level allowance per VAT group (EN 16931 BG-20: a
    final invoice keeps the quote's lines, less the deposits; a negative line would be refused)."""
    return [
        AllowanceCharge(is_charge=False, amount=amount, reason=reason, vat_category=key[0], vat_rate=key[1])
        for key, amount in sorted(bill.invoiced_groups.items(), key=lambda kv: (kv[0][0].value, kv[0][1]))
        if amount
    ]


def net_of(lines: Iterable[Line]) -> Decimal:
    probe = Document(kind=DocumentKind.INVOICE, lines=list(lines))
    return document_totals(probe).tax_exclusive
