"""The staff's queue of bank movements that found no invoice (unmatched, suggested, over-paid, partly
assigned): the list, a movement (or a part of it) given to an invoice, a movement ignored.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, and_, insert, select, update

from smartdesk_server import coop
from smartdesk_server.db import read, write
from smartdesk_server.errors import ApiError
from smartdesk_server.statements.tables import (
    statement_allocations,
    statement_transactions,
)
from smartdesk_server.store import Tx, get_record, now_iso

QUEUE_STATES = ("unmatched", "suggested", "overpaid", "partly_assigned")


def _tx_dict(r: Any, allocated: Decimal | None = None) -> dict[str, Any]:
    out = {
        "id": r.id,
        "account": r.account,
        "bank_ref": r.bank_ref,
        "booking_date": r.booking_date,
        "amount": r.amount,
        "currency": r.currency,
        "structured": r.structured,
        "free_text": r.free_text,
        "counterparty_name": r.counterparty_name,
        "counterparty_iban": r.counterparty_iban,
        "state": r.state,
        "reason": r.reason,
        "suggestions": json.loads(r.suggestions or "[]"),
        "note": r.note,
    }
    if allocated is not None:
        out["allocated"] = format(allocated, "f")
    return out


def _allocated(conn: Connection, tx_id: str) -> Decimal:
    rows = conn.execute(
        select(statement_allocations.c.amount).where(statement_allocations.c.tx_id == tx_id)
    ).all()
    return sum((Decimal(r.amount) for r in rows), Decimal(0))


def unmatched(engine: Engine, limit: int = 500) -> list[dict[str, Any]]:
    """Movements waiting for the staff (unmatched, suggested, over-paid, partly assigned), oldest first."""
    with read(engine) as conn:
        rows = conn.execute(
            select(statement_transactions)
            .where(statement_transactions.c.state.in_(QUEUE_STATES))
            .order_by(statement_transactions.c.booking_date, statement_transactions.c.id)
            .limit(max(1, min(limit, 5000)))
        ).all()
        return [_tx_dict(r, _allocated(conn, r.id)) for r in rows]


def _get_tx(conn: Connection, tx_id: str) -> Any:
    row = conn.execute(
        select(statement_transactions).where(statement_transactions.c.id == tx_id[:36])
    ).first()
    if row is None:
        raise ApiError(404, "not_found", "No bank movement with this id (see `payments unmatched`).")
    return row


def assign(
    engine: Engine,
    tx_id: str,
    document_id: str,
    amount: str | None = None,
    *,
    actor: str = "",
    advisor_id: str | None = None,
) -> dict[str, Any]:
    """Give a movement (or a part of it: one payment for several invoices) to an invoice. An advisor
    (``advisor_id``) only reaches invoices of the activities they follow; the command line reaches all."""
    from smartdesk.errors import TransitionError

    with write(engine) as conn:
        row = _get_tx(conn, tx_id)
        if row.state not in QUEUE_STATES:
            raise ApiError(
                409, "invalid_transition", f"This movement is {row.state}: nothing left to assign."
            )
        total = Decimal(row.amount)
        left = total - _allocated(conn, row.id)
        value = coop._amount(amount) if amount is not None else left
        if value > left:
            raise ApiError(
                409, "invalid_request", f"Only {left} {row.currency} of this movement is left to assign."
            )
        # house lock order: the member's revision first, then the invoice
        first = coop._visible(conn, advisor_id, get_record(conn, "document", document_id[:64]))
        member_tx = Tx(conn, first.member_id)
        rec = coop._visible(conn, advisor_id, get_record(conn, "document", first.id, for_update=True))
        if rec.kind != "invoice":
            raise ApiError(
                409, "invalid_request", "A payment goes to an invoice, not to a credit note or a quote."
            )
        if str((rec.body or {}).get("currency") or "EUR") != row.currency:
            raise ApiError(409, "invalid_request", f"The invoice is not in {row.currency}, the payment is.")
        if conn.execute(
            select(statement_allocations.c.tx_id).where(
                and_(statement_allocations.c.tx_id == row.id, statement_allocations.c.document_id == rec.id)
            )
        ).first():
            raise ApiError(409, "invalid_request", "A part of this movement already went to this invoice.")
        try:
            body = coop.apply_payment(
                member_tx,
                rec,
                value,
                how="staff",
                on=date.fromisoformat(row.booking_date),
                payment_id=row.id,
                details={"counterparty": row.counterparty_name},
            )
        except TransitionError as exc:
            raise ApiError(409, "invalid_transition", exc.message) from None
        at = now_iso()
        conn.execute(
            insert(statement_allocations).values(
                tx_id=row.id, document_id=rec.id, amount=format(value, "f"), how="staff", at=at
            )
        )
        state = "assigned" if value == left else "partly_assigned"
        conn.execute(
            update(statement_transactions)
            .where(statement_transactions.c.id == row.id)
            .values(state=state, resolved_by=actor[:36], resolved_at=at)
        )
    return {
        "id": row.id,
        "state": state,
        "document_id": rec.id,
        "amount": format(value, "f"),
        "left": format(left - value, "f"),
        "invoice_status": body["status"],
        "paid_amount": body["paid_amount"],
    }


def ignore(engine: Engine, tx_id: str, reason: str, *, actor: str = "") -> dict[str, Any]:
    if not reason.strip():
        raise ApiError(400, "invalid_request", "Write why this movement is ignored (e.g. “bank fees”).")
    with write(engine) as conn:
        row = _get_tx(conn, tx_id)
        if row.state == "ignored":  # ignoring twice is harmless: the first reason stays
            return {"id": row.id, "state": "ignored", "note": row.note}
        if row.state not in QUEUE_STATES:
            raise ApiError(
                409, "invalid_transition", f"This movement is {row.state}: it is not in the queue."
            )
        conn.execute(
            update(statement_transactions)
            .where(statement_transactions.c.id == row.id)
            .values(state="ignored", note=reason[:2000], resolved_by=actor[:36], resolved_at=now_iso())
        )
    return {"id": row.id, "state": "ignored", "note": reason[:2000]}
