"""Credit notes at validation: the server's own check of the invoice a credit note corrects, and the
invoice's new state once the credit note is validated (smartdesk.domain.credits has the rules).

Everything here runs inside the advisor's validation transaction, with the invoice's row locked
(member revision first, then the credit note, then the invoice: the lock order of ``coop._run``), so
two credit notes of one invoice validated at the same time are counted one after the other and can
never credit more than the invoice together.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from smartdesk.domain import lifecycle
from smartdesk.domain.credits import CREDITABLE_STATUSES, status_after_credit
from smartdesk.domain.documents import DocumentKind
from smartdesk.domain.lifecycle import Actor
from smartdesk.domain.serialize import document_from_dict
from smartdesk.domain.totals import document_total
from smartdesk_server.errors import Rejection
from smartdesk_server.store import Record, Tx, get_record, member_documents


@dataclass(frozen=True)
class CreditTarget:
    invoice: Record
    number: str
    issue_date: str | None
    total: Decimal  # the invoice's total incl. VAT
    credited_before: Decimal  # its credit notes validated before this one
    amount: Decimal  # this credit note's total incl. VAT


def _find_invoice(tx: Tx, rec: Record) -> Record | None:
    body = rec.body or {}
    if body.get("corrects_id"):
        return get_record(tx.conn, "document", str(body["corrects_id"]), for_update=True)
    wanted = str(body.get("corrects_number") or "")
    if not wanted:
        return None
    for doc_id, _status, inv in member_documents(tx.conn, rec.member_id, "invoice"):
        if inv.get("number") == wanted:
            return get_record(tx.conn, "document", doc_id, for_update=True)
    return None


def check_credit(tx: Tx, rec: Record, entity: str) -> CreditTarget:
    """The validated invoice of the same member and entity that this credit note corrects, or a
    Rejection that says what is wrong. Never trusts the pushed number, date or amounts of the invoice."""
    body = rec.body or {}
    if not (body.get("corrects_id") or body.get("corrects_number")):
        raise Rejection(
            "invalid",
            "This credit note names no invoice: a credit note corrects a validated invoice. "
            "Return it to the member.",
        )
    target = _find_invoice(tx, rec)
    if target is None or target.deleted or target.member_id != rec.member_id or target.body is None:
        raise Rejection(
            "invalid",
            "The invoice this credit note corrects is not one of this member's invoices. Return it to the member.",
        )
    inv = target.body
    number = str(inv.get("number") or "")
    if target.kind != "invoice" or not number or target.status not in CREDITABLE_STATUSES:
        raise Rejection(
            "invalid",
            f"A credit note corrects a validated invoice; {number or 'this document'} is "
            f"“{target.status}”. Return it to the member.",
        )
    if str(inv.get("entity") or "") != entity:
        raise Rejection(
            "invalid",
            f"Invoice {number} was issued by another entity ({str(inv.get('entity'))[:8]}): a credit note "
            "is issued by the entity of its invoice. Return it to the member.",
        )
    if body.get("client_id") and inv.get("client_id") and body["client_id"] != inv["client_id"]:
        raise Rejection(
            "invalid",
            f"Invoice {number} is for another client than this credit note. Return it to the member.",
        )
    total = document_total(document_from_dict({**inv, "paid_amount": "0", "credited_amount": "0"}))
    before = Decimal(str(inv.get("credited_amount") or "0"))
    amount = document_total(document_from_dict({**body, "paid_amount": "0", "credited_amount": "0"}))
    if amount <= 0:
        raise Rejection("invalid", "A credit note credits an amount above zero. Return it to the member.")
    if before + amount > total:
        raise Rejection(
            "over_credit",
            f"This credit note ({amount}) and the ones validated before ({before}) credit more than "
            f"invoice {number} ({total}): at most {max(total - before, Decimal(0))} is left to credit. "
            "Return it to the member.",
        )
    return CreditTarget(target, number, inv.get("issue_date"), total, before, amount)


def note_fields(target: CreditTarget) -> dict[str, Any]:
    """The credit note's reference to its invoice, from the server's records (printed on it)."""
    return {
        "corrects_id": target.invoice.id,
        "corrects_number": target.number,
        "corrects_date": target.issue_date,
    }


def apply_credit(tx: Tx, target: CreditTarget, note_number: str) -> None:
    """Take the validated credit note off the invoice: credited amount, and the invoice closed
    (cancelled: out of the follow-up) when credited in full, or paid when payments cover the rest."""
    from smartdesk_server.mutations import set_status

    inv = target.invoice
    body = inv.body or {}
    credited = target.credited_before + target.amount
    paid = Decimal(str(body.get("paid_amount") or "0"))
    extra = {"credited_amount": format(credited, "f")}
    status = status_after_credit(inv.status, target.total, paid, credited)
    if status == "cancelled" and inv.status == "paid":
        status = "paid"  # a refund of a paid invoice: it stays paid
    note = f"credit note {note_number}: {target.amount} credited"
    if body.get("archive_sha256") and body.get("issuer"):
        # the invoice's PDF asks for what is still due (amount and scan-to-pay code): issued again
        from smartdesk_server import archive

        extra["archive_sha256"] = archive.reissue(tx, inv.id, inv.member_id, {**body, **extra})
    if status != inv.status:
        lifecycle.check_transition(DocumentKind.INVOICE, inv.status, status, Actor.COOPERATIVE)
        set_status(tx, inv, status, "cooperative", note, extra)
        return
    new_body = {**body, **extra}
    new_body["timeline"] = [
        *body.get("timeline", []),
        {"at": tx.at, "status": inv.status, "actor": "cooperative", "note": note},
    ]
    tx.put(
        "document",
        inv.id,
        new_body,
        existing=inv,
        changed=[*extra, "timeline"],
        status=inv.status,
        kind=inv.kind,
        activity_id=inv.activity_id,
    )
