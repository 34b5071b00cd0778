"""Import of bank statements and the staff's queue of movements that found no invoice.

``import_files`` parses every file first (a file that fails imports nothing, and neither do the
others of the same call), then in ONE write transaction: skips movements already recorded (key:
account + bank reference + booking date + amount, so a replayed or overlapping statement changes
nothing), matches the new ones (``matching.decide``) and records each matched payment exactly as an
advisor's payment (``coop.apply_payment``: status, paid amount, follow-up, a ``payment`` record the
member pulls).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from smartdesk_server import coop
from smartdesk_server.db import write
from smartdesk_server.statements import camt, coda
from smartdesk_server.statements.matching import (
    Decision,
    InvoiceRef,
    OpenState,
    decide,
    normalise_name,
    numbers_in_text,
    ogm_in_text,
)
from smartdesk_server.statements.model import Statement, StatementError, Transaction
from smartdesk_server.statements.queue import QUEUE_STATES, assign, ignore, unmatched
from smartdesk_server.statements.refs import (
    ANALYZE_AFTER,
    analyze,
    open_states,
    records_by_id,
    refresh_refs,
    refs_where,
    state_of,
)
from smartdesk_server.statements.tables import (
    invoice_refs,
    statement_allocations,
    statement_imports,
    statement_transactions,
)
from smartdesk_server.statements.writes import CHUNK, Batch, BatchTx, bump_revs, gc_paused, insert_many
from smartdesk_server.store import Record, Tx, now_iso

MAX_FILE_BYTES = camt.MAX_BYTES


def parse_file(name: str, data: bytes) -> list[Statement]:
    """CODA or camt, told apart by the content (not the file name)."""
    try:
        if len(data) > MAX_FILE_BYTES:
            raise StatementError(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        head = data.lstrip()[:200]
        if head.startswith(b"<") or head.startswith(b"\xef\xbb\xbf<"):
            return camt.parse(data)
        if head[:1] == b"0":
            return coda.parse(data)
        raise StatementError("this is neither a CODA file (first record 0) nor a camt XML file")
    except StatementError as exc:
        raise StatementError(exc.message, exc.line, name) from None


def tx_key(tx: Transaction, occurrence: int) -> str:
    raw = "|".join(
        (tx.account, tx.bank_ref, tx.booking_date.isoformat(), format(tx.amount, "f"), str(occurrence))
    )
    return hashlib.sha256(raw.encode()).hexdigest()


# --- import --------------------------------------------------------------------------------------
@dataclass
class ImportReport:
    files: int = 0
    transactions: int = 0
    already_recorded: int = 0
    states: dict[str, int] = field(default_factory=dict)
    import_ids: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "transactions": self.transactions,
            "already_recorded": self.already_recorded,
            "new": self.transactions - self.already_recorded,
            "states": dict(self.states),
            "import_ids": list(self.import_ids),
        }


def import_files(engine: Engine, files: Sequence[tuple[str, bytes]], *, actor: str = "") -> ImportReport:
    """Import statements (all or nothing). Raises StatementError naming the file and line at fault."""
    with gc_paused():
        parsed: list[tuple[str, bytes, list[Statement]]] = [
            (name, data, parse_file(name, data)) for name, data in files
        ]
        report = ImportReport(files=len(files))
        with write(engine) as conn:
            refresh_refs(conn)
            for name, data, statements in parsed:
                _import_one(conn, name, data, statements, actor, report)
    return report


def _suggestion_refs(
    conn: Connection, txs: list[Transaction]
) -> tuple[dict[str, list[InvoiceRef]], dict[str, list[InvoiceRef]]]:
    """Invoices of the clients named like the payers, and of the clients who paid before from their IBANs."""
    by_name: dict[str, list[InvoiceRef]] = {}
    names = {normalise_name(tx.counterparty_name) for tx in txs if tx.counterparty_name}
    for r in refs_where(conn, invoice_refs.c.client_name, names):
        by_name.setdefault(r.client_name, []).append(r)
    ibans = sorted({tx.counterparty_iban for tx in txs} - {""})
    iban_clients: dict[str, set[str]] = {}
    for start in range(0, len(ibans), CHUNK):
        rows = conn.execute(
            select(statement_transactions.c.counterparty_iban, invoice_refs.c.client_id)
            .join(statement_allocations, statement_allocations.c.tx_id == statement_transactions.c.id)
            .join(invoice_refs, invoice_refs.c.document_id == statement_allocations.c.document_id)
            .where(statement_transactions.c.counterparty_iban.in_(ibans[start : start + CHUNK]))
        ).all()
        for row in rows:
            iban_clients.setdefault(row.counterparty_iban, set()).add(row.client_id)
    by_client: dict[str, list[InvoiceRef]] = {}
    for r in refs_where(conn, invoice_refs.c.client_id, {c for cs in iban_clients.values() for c in cs}):
        by_client.setdefault(r.client_id, []).append(r)
    by_iban = {
        iban: [r for c in sorted(clients) for r in by_client.get(c, [])]
        for iban, clients in iban_clients.items()
    }
    return by_name, by_iban


def _import_one(
    conn: Connection, name: str, data: bytes, statements: list[Statement], actor: str, report: ImportReport
) -> None:
    at = now_iso()
    import_id = str(uuid.uuid4())
    report.import_ids.append(import_id)
    keyed: list[tuple[str, Transaction]] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    for st in statements:
        for tx in st.transactions:
            base = (tx.account, tx.bank_ref, tx.booking_date.isoformat(), format(tx.amount, "f"))
            seen[base] = seen.get(base, -1) + 1
            keyed.append((tx_key(tx, seen[base]), tx))
    report.transactions += len(keyed)
    existing: set[str] = set()
    keys = [k for k, _ in keyed]
    for start in range(0, len(keys), CHUNK):
        existing.update(
            r.key
            for r in conn.execute(
                select(statement_transactions.c.key).where(
                    statement_transactions.c.key.in_(keys[start : start + CHUNK])
                )
            ).all()
        )
    new = [(k, tx) for k, tx in keyed if k not in existing]
    report.already_recorded += len(keyed) - len(new)
    credits = [tx for _, tx in new if tx.amount > 0]
    ogms = {tx.structured or ogm_in_text(tx.free_text) for tx in credits}
    numbers = {n for tx in credits for n in numbers_in_text(tx.free_text)}
    by_ogm = {r.ogm: r for r in refs_where(conn, invoice_refs.c.ogm, ogms)}
    by_number = {r.number: r for r in refs_where(conn, invoice_refs.c.number, numbers)}
    direct = {r.document_id: r for r in [*by_ogm.values(), *by_number.values()]}
    # members' revisions first, then their invoices, locked until commit: the house lock order (a
    # member whose invoice finally takes no payment just gets a revision with no change in it)
    revs = bump_revs(conn, {r.member_id for r in direct.values()})
    loaded = records_by_id(conn, "document", sorted(direct), for_update=True)
    states = {doc_id: state_of(rec) for doc_id, rec in loaded.items()}
    # first pass: decisions, each expected payment counted so the next movement sees what is left due
    decided: list[tuple[str, Transaction, str, Decision]] = []
    for key, tx in new:
        decision = decide(tx, by_ogm=by_ogm, by_number=by_number, states=states, candidates=[])
        if decision.state in ("matched", "overpaid"):
            ref = direct[decision.document_id]
            open_state = states[ref.document_id]
            paid = open_state.paid + decision.amount
            states[ref.document_id] = OpenState("paid" if paid >= ref.total else "partially_paid", paid)
        decided.append((key, tx, str(uuid.uuid4()), decision))
    # what found nothing: suggestions from the same client name, or a client that paid from this IBAN
    lost = [
        i
        for i, (_, tx, _, d) in enumerate(decided)
        if d.state == "unmatched" and not d.suggestions and tx.amount > 0
    ]
    by_name, by_iban = _suggestion_refs(conn, [decided[i][1] for i in lost])
    others = {
        r.document_id: r
        for v in [*by_name.values(), *by_iban.values()]
        for r in v
        if r.document_id not in direct
    }
    states.update(open_states(conn, sorted(others)))
    for i in lost:
        key, tx, tx_id, _ = decided[i]
        candidates = [
            *by_name.get(normalise_name(tx.counterparty_name), []),
            *by_iban.get(tx.counterparty_iban, []),
        ]
        if candidates:
            decided[i] = (
                key,
                tx,
                tx_id,
                decide(tx, by_ogm=by_ogm, by_number=by_number, states=states, candidates=candidates),
            )
    all_refs = direct
    # second pass: record the payments
    all_refs.update(others)
    batch = Batch()
    member_tx = {m: BatchTx(conn, m, rev, at, batch) for m, rev in revs.items()}
    txs: list[dict[str, Any]] = []
    allocations: list[dict[str, Any]] = []
    for key, tx, tx_id, decision in decided:
        if decision.state in ("matched", "overpaid"):
            ref = all_refs[decision.document_id]
            rec = batch.latest("document", ref.document_id) or loaded.get(ref.document_id)
            if rec is None and ref.document_id in others:  # a suggestion's invoice: only its state was read
                loaded.update(records_by_id(conn, "document", [ref.document_id], for_update=True))
                rec = loaded.get(ref.document_id)
            decision = _pay(member_tx[ref.member_id], rec, ref, tx, tx_id, decision)
            if decision.state in ("matched", "overpaid"):
                allocations.append(
                    {
                        "tx_id": tx_id,
                        "document_id": ref.document_id,
                        "amount": format(decision.amount, "f"),
                        "how": decision.how,
                        "at": at,
                    }
                )
        report.states[decision.state] = report.states.get(decision.state, 0) + 1
        txs.append(_tx_row(tx_id, key, import_id, tx, decision, at))
    batch.flush(conn)
    insert_many(conn, statement_transactions, txs)
    insert_many(conn, statement_allocations, allocations)
    if len(txs) > ANALYZE_AFTER:
        analyze(conn, "statement_transactions", "statement_allocations")
    conn.execute(
        insert(statement_imports).values(
            id=import_id,
            format=statements[0].format if statements else "",
            file_name=name[-300:],
            sha256=hashlib.sha256(data).hexdigest(),
            account=(statements[0].account if statements else "")[:40],
            transactions=len(keyed),
            new=len(new),
            imported_by=actor[:36],
            imported_at=at,
        )
    )


def _tx_row(tx_id: str, key: str, import_id: str, tx: Transaction, d: Decision, at: str) -> dict[str, Any]:
    return {
        "id": tx_id,
        "key": key,
        "import_id": import_id,
        "account": tx.account[:40],
        "bank_ref": tx.bank_ref[:100],
        "booking_date": tx.booking_date.isoformat(),
        "value_date": tx.value_date.isoformat() if tx.value_date else "",
        "amount": format(tx.amount, "f"),
        "currency": tx.currency[:3],
        "structured": tx.structured[:12],
        "creditor_ref": tx.creditor_ref[:40],
        "free_text": tx.free_text[:2000],
        "counterparty_name": tx.counterparty_name[:200],
        "counterparty_iban": tx.counterparty_iban[:40],
        "state": d.state,
        "reason": d.reason[:2000],
        "suggestions": json.dumps(d.suggestions, ensure_ascii=False) if d.suggestions else "[]",
        "note": "",
        "created_at": at,
        "resolved_by": "",
        "resolved_at": "",
    }


def _pay(
    tx_: Tx, rec: Record | None, ref: InvoiceRef, tx: Transaction, tx_id: str, decision: Decision
) -> Decision:
    """Record the payment as an advisor's (``coop.apply_payment``); a refused transition leaves the
    movement in the queue with the reason instead of failing the import."""
    from smartdesk.errors import TransitionError

    if rec is None:
        return Decision("unmatched", reason=f"invoice {ref.number} no longer exists")
    try:
        coop.apply_payment(
            tx_,
            rec,
            decision.amount,
            how=decision.how,
            on=tx.booking_date,
            payment_id=tx_id,
            total=ref.total,
            details={"counterparty": tx.counterparty_name[:200]},
        )
    except TransitionError as exc:
        return Decision(
            "unmatched",
            reason=f"invoice {ref.number}: {exc.message}",
            suggestions=[{"document_id": ref.document_id, "number": ref.number, "why": decision.how}],
        )
    return decision


# the staff's queue and the index, importable from here as before the split (issue 15)
__all__ = [
    "QUEUE_STATES",
    "ImportReport",
    "assign",
    "ignore",
    "import_files",
    "parse_file",
    "refresh_refs",
    "tx_key",
    "unmatched",
]
