"""The payments the cooperative received for an invoice, as the last sync brought them (kept offline).

The server sends one ``payment`` record per payment (date, amount, how it was found: an advisor, the
structured communication, the invoice number written by the payer, the staff); ``sync.local`` keeps
them in ``sync_records`` with the id ``DOCUMENT_ID:PAYMENT_ID``.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from smartdesk.domain.documents import Document
from smartdesk.domain.totals import document_total
from smartdesk.store.repository import Store

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
    return Payment(str(value.get("id") or ""), day, amount, str(value.get("currency") or "EUR")[:3],
                   how if how in HOW else "")


def list_payments(store: Store, document_id: str) -> list[Payment]:
    """The invoice's payments, oldest first (none before the first sync)."""
    try:
        with store.read() as conn:
            rows = conn.execute("SELECT body FROM sync_records WHERE entity = 'payment' AND id > ? AND id < ?",
                                (f"{document_id}:", f"{document_id};")).tuples()
    except sqlite3.OperationalError as exc:
        if "no such table" not in str(exc):
            raise
        return []
    found = [p for p in (_payment(json.loads(r[0])) for r in rows) if p is not None]
    return sorted(found, key=lambda p: (p.day or date.min, p.id))


def invoice_payments(store: Store, doc: Document) -> InvoicePayments:
    """Payments, total, paid and still due of one invoice."""
    return InvoicePayments(tuple(list_payments(store, doc.id)), document_total(doc), doc.paid_amount)
