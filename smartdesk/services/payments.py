"""The payments the cooperative received for an invoice, as the last sync brought them (kept offline).

The server sends one ``payment`` record per payment (date, amount, how it was found: an advisor, the
structured communication, the invoice number written by the payer, the staff); ``sync.local`` keeps
them in ``sync_records`` with the id ``DOCUMENT_ID:PAYMENT_ID``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from smartdesk.domain.documents import Document
from smartdesk.domain.totals import document_total
from smartdesk.sync import local

if TYPE_CHECKING:
    from smartdesk.services.workspace import Workspace

HOW = ("advisor", "structured", "invoice_number", "staff")


@dataclass(frozen=True)
class Payment:
    id: str
    day: date | None
    amount: Decimal
    currency: str
    how: str  # one of HOW ("" when a newer server sends a way this app does not know)


@dataclass(frozen=True)
class InvoicePayments:
    payments: tuple[Payment, ...]
    total: Decimal
    paid: Decimal  # the cooperative's paid amount (the invoice's own figure, also without details)

    @property
    def due(self) -> Decimal:
        return max(self.total - self.paid, Decimal(0))

    @property
    def overpaid(self) -> Decimal:
        return max(self.paid - self.total, Decimal(0))


def _payment(value: object) -> Payment | None:
    if not isinstance(value, dict):
        return None
    try:
        amount = Decimal(str(value.get("amount")))
    except InvalidOperation:
        return None
    if not amount.is_finite():
        return None
    try:
        day = date.fromisoformat(str(value.get("date") or ""))
    except ValueError:
        day = None
    how = str(value.get("how") or "")
    return Payment(
        str(value.get("id") or ""),
        day,
        amount,
        str(value.get("currency") or "EUR")[:3],
        how if how in HOW else "",
    )


class PaymentService:
    """``ws.payments``: what the cooperative received for each invoice, offline after a sync."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def list(self, document_id: str) -> list[Payment]:
        """The invoice's payments, oldest first (none before the first sync)."""
        found = [p for p in map(_payment, local.records_of(self._ws.store, "payment", document_id)) if p]
        return sorted(found, key=lambda p: (p.day or date.min, p.id))

    def for_invoice(self, doc: Document) -> InvoicePayments:
        """Payments, total, paid and still due of one invoice."""
        # what is to be paid: the total less the validated credit notes (smartdesk.domain.credits)
        total = document_total(doc) - doc.credited_amount
        return InvoicePayments(tuple(self.list(doc.id)), total, doc.paid_amount)
