"""Bank statements and credit notes: what a validated credit note credited is no longer due, so the
payment of what is left settles the invoice and a payment of the full total is an over-payment."""

from __future__ import annotations

import json
from decimal import Decimal

from sqlalchemy import Engine, select, update

from smartdesk_server.db import records, write
from smartdesk_server.statements import service
from smartdesk_server.statements.samples import Movement, coda, seed_invoices
from tests.server.test_statements_match import DAY, _doc, _states, engine  # noqa: F401 - the fixture


def _credit(db: Engine, doc_id: str, amount: Decimal) -> None:
    """The invoice as a validated credit note leaves it (smartdesk_server.credits.apply_credit)."""
    with write(db) as conn:
        body = json.loads(conn.execute(select(records.c.body).where(records.c.id == doc_id)).scalar_one())
        body["credited_amount"] = format(amount, "f")
        conn.execute(update(records).where(records.c.id == doc_id).values(body=json.dumps(body)))


def test_what_is_left_after_a_credit_note_settles_the_invoice(engine: Engine) -> None:  # noqa: F811
    a, b = seed_invoices(engine, 2, members=1)
    _credit(engine, a.id, a.total - Decimal("100.00"))
    _credit(engine, b.id, b.total - Decimal("100.00"))
    movements = [
        Movement(Decimal("100.00"), "C1", DAY, structured=a.ogm),  # exactly what is left
        Movement(b.total, "C2", DAY, structured=b.ogm),  # the full total, though most was credited
    ]
    service.import_files(engine, [("1.cod", coda(movements).encode())])
    states = _states(engine)
    assert states["C1"][0] == "matched" and _doc(engine, a.id)["status"] == "paid"
    assert states["C2"][0] == "overpaid"
    assert f"over-payment of {b.total - Decimal('100.00')}" in states["C2"][1]
