"""The index of numbered invoices and credit notes that statements are matched against
(``invoice_refs``: structured reference, number, client, total), and the reads the matching needs:
records by id, index rows by a column, what is still open on an invoice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, insert, select, text

from smartdesk.domain.serialize import document_from_dict
from smartdesk.domain.totals import document_total
from smartdesk_server.db import is_sqlite, records
from smartdesk_server.statements.matching import (
    PAYABLE,
    InvoiceRef,
    OpenState,
    normalise_name,
    normalise_number,
)
from smartdesk_server.statements.tables import (
    invoice_refs,
)
from smartdesk_server.statements.writes import CHUNK, gc_paused
from smartdesk_server.store import Record, _row_to_record

ANALYZE_AFTER = 1000


def ref_row(rec: Record | _Numbered) -> dict[str, Any] | None:
    body = rec.body or {}
    number = str(body.get("number") or "")
    if not number:
        return None
    try:
        total = document_total(document_from_dict({**body, "paid_amount": "0"}))
    except Exception:  # noqa: BLE001 - a body that no longer reads is not matched, never a failed import
        return None
    reference = str(body.get("payment_reference") or "")
    digits = "".join(ch for ch in reference if ch.isdigit())
    client_name = ""
    client_id = str(body.get("client_id") or "")
    return {
        "document_id": rec.id,
        "member_id": rec.member_id,
        "kind": rec.kind,
        "ogm": digits if len(digits) == 12 else "",
        "number": normalise_number(number)[:60],
        "client_id": client_id[:36],
        "client_name": client_name,
        "total": format(total, "f"),
        "currency": str(body.get("currency") or "EUR")[:3],
    }


@dataclass(frozen=True)
class _Numbered:
    """What the index needs of a numbered document (no field versions to decode)."""

    id: str
    member_id: str
    kind: str
    body: dict[str, Any] | None


def _numbered(conn: Connection, ids: Sequence[str]) -> list[_Numbered]:
    cols = (records.c.id, records.c.member_id, records.c.kind, records.c.body, records.c.deleted)
    rows = conn.execute(
        select(*cols).where(and_(records.c.type == "document", records.c.id.in_(list(ids))))
    ).all()
    return [
        _Numbered(r.id, r.member_id, r.kind, json.loads(r.body) if r.body else None)
        for r in rows
        if not r.deleted
    ]


def refresh_refs(conn: Connection) -> int:
    """Add to ``invoice_refs`` the invoices and credit notes numbered since the last import."""
    rows = conn.execute(
        select(records.c.id)
        .select_from(records.outerjoin(invoice_refs, invoice_refs.c.document_id == records.c.id))
        .where(
            and_(
                records.c.type == "document",
                records.c.kind.in_(("invoice", "credit-note")),
                records.c.status.notin_(("draft", "submitted", "returned")),
                records.c.deleted.is_(False),
                invoice_refs.c.document_id.is_(None),
            )
        )
    ).all()
    ids = [r.id for r in rows]
    added: list[dict[str, Any]] = []
    client_ids: set[str] = set()
    with gc_paused():
        for start in range(0, len(ids), CHUNK):
            for rec in _numbered(conn, ids[start : start + CHUNK]):
                row = ref_row(rec)
                if row is not None:
                    added.append(row)
                    client_ids.add(row["client_id"])
    names = {
        k: normalise_name(str((v.body or {}).get("name") or ""))
        for k, v in records_by_id(conn, "client", sorted(client_ids - {""})).items()
    }
    for row in added:
        row["client_name"] = names.get(row["client_id"], "")
    for start in range(0, len(added), CHUNK):
        conn.execute(insert(invoice_refs), added[start : start + CHUNK])
    if len(added) > ANALYZE_AFTER:
        analyze(conn, "invoice_refs")
    return len(added)


def analyze(conn: Connection, *tables: str) -> None:
    """Fresh planner statistics on PostgreSQL after a big insert (autovacuum comes later): without them
    the planner takes a just-filled table for empty and scans it once per batch of 500 lookups."""
    if not is_sqlite(conn):
        for table in tables:
            conn.execute(text(f"ANALYZE {table}"))


def records_by_id(
    conn: Connection, type_: str, ids: Sequence[str], *, for_update: bool = False
) -> dict[str, Record]:
    """Records by id, 500 per query (locked on PostgreSQL when ``for_update``)."""
    found: dict[str, Record] = {}
    for start in range(0, len(ids), CHUNK):
        stmt = select(records).where(
            and_(records.c.type == type_, records.c.id.in_(list(ids[start : start + CHUNK])))
        )
        if for_update and not is_sqlite(conn):
            stmt = stmt.order_by(records.c.id).with_for_update()
        for row in conn.execute(stmt).all():
            rec = _row_to_record(row)
            if not rec.deleted:
                found[rec.id] = rec
    return found


def refs_where(conn: Connection, column: Any, values: Iterable[str]) -> list[InvoiceRef]:
    wanted = sorted(set(values) - {""})
    out: list[InvoiceRef] = []
    c = invoice_refs.c
    cols = (
        c.document_id,
        c.member_id,
        c.kind,
        c.ogm,
        c.number,
        c.client_id,
        c.client_name,
        c.total,
        c.currency,
    )
    for start in range(0, len(wanted), CHUNK):
        rows = conn.execute(select(*cols).where(column.in_(wanted[start : start + CHUNK]))).all()
        out.extend(
            InvoiceRef(doc, member, kind, ogm, number, client, name, Decimal(total), currency)
            for doc, member, kind, ogm, number, client, name, total, currency in rows
        )
    return out


def settled(body: dict[str, Any]) -> Decimal:
    """What no longer has to be paid on an invoice: its payments and its validated credit notes."""
    return Decimal(str(body.get("paid_amount") or "0")) + Decimal(str(body.get("credited_amount") or "0"))


def state_of(rec: Record) -> OpenState:
    return OpenState(rec.status, settled(rec.body or {}))


def open_states(conn: Connection, ids: Sequence[str]) -> dict[str, OpenState]:
    """What suggestions need of the invoices of the payers' clients: status and paid amount, without
    building whole records (no field versions). The paid amount only matters to a payable invoice
    (``decide`` passes over the others first), so only their bodies are read."""
    found: dict[str, OpenState] = {}
    cols = (records.c.id, records.c.status, records.c.body, records.c.deleted)
    for start in range(0, len(ids), CHUNK):
        for row in conn.execute(
            select(*cols).where(
                and_(records.c.type == "document", records.c.id.in_(list(ids[start : start + CHUNK])))
            )
        ).all():
            if row.deleted:
                continue
            paid = Decimal(0)
            if row.status in PAYABLE and row.body:
                paid = settled(json.loads(row.body) or {})
            found[row.id] = OpenState(row.status, paid)
    return found
