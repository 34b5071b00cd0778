"""Which invoice a bank movement pays, in this order (pure functions, no database):

1. the Belgian structured communication, check digits verified (``stdnum.be.ogm_vcs``): the one
   invoice that carries it;
2. an invoice number written in the free text (``BE-INV-2026-000123``, separators and case free);
3. otherwise, *suggestions only* for the staff: open invoices of the same amount due whose client has
   the payer's name, or whose client paid before from the payer's IBAN.

An automatic match is refused (and the movement waits for the staff with the reason) when the invoice
cannot take a payment: a credit note, not sent yet, already paid, another currency.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from stdnum.be import ogm_vcs

from smartdesk.domain.lifecycle import PAYABLE
from smartdesk_server.statements.model import Transaction

_NUMBER_RE = re.compile(r"\b([A-Z]{2})[\s./_-]*(INV|CN)[\s./_-]*(\d{4})[\s./_-]*(\d{6})\b")
_OGM_TEXT_RE = re.compile(r"(?:\+\+\+|\*\*\*)\s*(\d{3})\s*/?\s*(\d{4})\s*/?\s*(\d{5})\s*(?:\+\+\+|\*\*\*)")
_LEGAL_FORMS = frozenset(
    "sa nv srl bv sprl bvba sc cv scrl cvba asbl vzw sas sarl eurl gmbh ag ltd llc bv sa/nv".split()
)


@dataclass(frozen=True)
class InvoiceRef:
    document_id: str
    member_id: str
    kind: str
    ogm: str
    number: str
    client_id: str
    client_name: str
    total: Decimal
    currency: str


@dataclass
class OpenState:
    """What an invoice is at this moment of the import (several payments may reach it)."""

    status: str
    paid: Decimal

    def due(self, ref: InvoiceRef) -> Decimal:
        return ref.total - self.paid


@dataclass
class Decision:
    state: str  # matched | overpaid | unmatched | suggested | outgoing
    document_id: str = ""
    how: str = ""  # structured | invoice_number
    amount: Decimal = Decimal(0)
    reason: str = ""
    suggestions: list[dict[str, str]] = field(default_factory=list)


_ASCII_DIGITS = frozenset("0123456789")


def ogm_valid(structured: str) -> bool:
    """``ogm_vcs.is_valid`` (check digits = first ten digits modulo 97, 97 for 0), without its Unicode
    clean-up for the usual case of twelve ASCII digits (ten times faster); anything else goes to stdnum."""
    if len(structured) == 12 and _ASCII_DIGITS.issuperset(structured):
        return int(structured) > 0 and f"{int(structured[:10]) % 97 or 97:02d}" == structured[10:]
    return bool(ogm_vcs.is_valid(structured))


def normalise_number(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def numbers_in_text(text: str) -> list[str]:
    """Invoice numbers written in a free communication, normalised, in order, without repeats."""
    found: list[str] = []
    for m in _NUMBER_RE.finditer(text.upper()):
        n = "".join(m.groups())
        if n not in found:
            found.append(n)
    return found


def ogm_in_text(text: str) -> str:
    m = _OGM_TEXT_RE.search(text)
    return "".join(m.groups()) if m else ""


def normalise_name(name: str) -> str:
    """A client or payer name for comparison: no accents, no case, no punctuation, no legal form."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = [w for w in re.split(r"[^a-z0-9]+", plain) if w and w not in _LEGAL_FORMS]
    return " ".join(words)[:200]


def _refusal(ref: InvoiceRef, state: OpenState | None, tx: Transaction, found_by: str) -> str:
    label = ref.number or ref.document_id
    if ref.kind != "invoice":
        return f"{found_by} points to credit note {label}: a credit note is not paid by the client"
    if state is None or state.status not in PAYABLE:
        status = state.status if state else "unknown"
        if status == "paid":
            return f"{found_by} points to invoice {label}, already paid: a second payment or a duplicate"
        return f"{found_by} points to invoice {label}, which cannot take a payment now (status {status})"
    if tx.currency != ref.currency:
        return f"{found_by} points to invoice {label} in {ref.currency}, the payment is in {tx.currency}"
    return ""


def _auto(ref: InvoiceRef, state: OpenState | None, tx: Transaction, how: str, found_by: str) -> Decision:
    refusal = _refusal(ref, state, tx, found_by)
    if refusal:
        return Decision(
            "unmatched",
            reason=refusal,
            suggestions=[{"document_id": ref.document_id, "number": ref.number, "why": found_by}],
        )
    assert state is not None
    due = state.due(ref)
    if tx.amount > due:
        return Decision(
            "overpaid",
            ref.document_id,
            how,
            tx.amount,
            reason=f"over-payment of {tx.amount - due} {tx.currency} on {ref.number}: refund it or "
            "keep it for the client",
        )
    return Decision("matched", ref.document_id, how, tx.amount)


def decide(
    tx: Transaction,
    *,
    by_ogm: dict[str, InvoiceRef],
    by_number: dict[str, InvoiceRef],
    states: dict[str, OpenState],
    candidates: list[InvoiceRef],
) -> Decision:
    """The decision for one movement. ``candidates``: open invoices that could be suggested for it
    (same client name or a client that paid before from this IBAN); only their amount is checked here."""
    if tx.amount <= 0:
        return Decision(
            "outgoing", reason="money out (a refund, a credit note paid back, a fee): not a client's payment"
        )
    structured = tx.structured or ogm_in_text(tx.free_text)
    if structured:
        where = (
            "the structured communication" if tx.structured else "the structured communication in the text"
        )
        if not ogm_valid(structured):
            reason = (
                f"structured communication {ogm_vcs.format(structured) if len(structured) == 12 else structured}"
                " has wrong check digits (mistyped by the payer)"
            )
        elif structured not in by_ogm:
            reason = f"no invoice carries structured communication {ogm_vcs.format(structured)}"
        else:
            ref = by_ogm[structured]
            return _auto(ref, states.get(ref.document_id), tx, "structured", where)
    else:
        reason = "no structured communication"
    numbers = [n for n in numbers_in_text(tx.free_text) if n in by_number]
    if len(numbers) == 1:
        ref = by_number[numbers[0]]
        return _auto(ref, states.get(ref.document_id), tx, "invoice_number", "the invoice number in the text")
    if len(numbers) > 1:
        return Decision(
            "unmatched",
            reason=f"several invoice numbers in the text ({', '.join(numbers)}): split the "
            "payment between them",
            suggestions=[
                {
                    "document_id": by_number[n].document_id,
                    "number": by_number[n].number,
                    "why": "number in the text",
                }
                for n in numbers
            ],
        )
    if not structured and not numbers_in_text(tx.free_text):
        reason += " and no invoice number in the text"
    elif not structured:
        reason += "; the invoice number in the text is not one of ours"
    suggestions = []
    for ref in candidates:
        st = states.get(ref.document_id)
        if ref.kind != "invoice" or st is None or st.status not in PAYABLE or ref.currency != tx.currency:
            continue
        if st.due(ref) == tx.amount:
            suggestions.append(
                {"document_id": ref.document_id, "number": ref.number, "why": "same amount due, same client"}
            )
    if suggestions:
        return Decision("suggested", reason=reason, suggestions=suggestions[:10])
    return Decision("unmatched", reason=reason)
