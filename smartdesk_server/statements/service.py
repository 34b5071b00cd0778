"""Import of bank statements and the staff's queue of movements that found no invoice.

``import_files`` parses every file first (a file that fails imports nothing, and neither do the
others of the same call), then in ONE write transaction: skips movements already recorded (key:
account + bank reference + booking date + amount, so a replayed or overlapping statement changes
nothing), matches the new ones (``matching.decide``) and records each matched payment exactly as an
advisor's payment (``coop.apply_payment``: status, paid amount, follow-up, a ``payment`` record the
member pulls).
"""

from __future__ import annotations

import gc
import hashlib
import json
import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, Table, and_, insert, select, text, update

from smartdesk.domain.serialize import document_from_dict
from smartdesk.domain.totals import document_total
from smartdesk_server import coop
from smartdesk_server.db import is_sqlite, member_revs, read, records, write
from smartdesk_server.errors import ApiError
from smartdesk_server.statements import camt, coda
from smartdesk_server.statements.matching import (
    PAYABLE,
    Decision,
    InvoiceRef,
    OpenState,
    decide,
    normalise_name,
    normalise_number,
    numbers_in_text,
    ogm_in_text,
)
from smartdesk_server.statements.model import Statement, StatementError, Transaction
from smartdesk_server.statements.tables import (
    invoice_refs,
    statement_allocations,
    statement_imports,
    statement_transactions,
)
from smartdesk_server.store import _INSERT, _UPDATE, Record, Tx, _row_to_record, get_record, now_iso

CHUNK = 500
ANALYZE_AFTER = 1000
QUEUE_STATES = ("unmatched", "suggested", "overpaid", "partly_assigned")
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


# --- invoice references --------------------------------------------------------------------------
def _ref_row(rec: Record | _Numbered) -> dict[str, Any] | None:
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
    with _gc_paused():
        for start in range(0, len(ids), CHUNK):
            for rec in _numbered(conn, ids[start : start + CHUNK]):
                row = _ref_row(rec)
                if row is not None:
                    added.append(row)
                    client_ids.add(row["client_id"])
    names = {
        k: normalise_name(str((v.body or {}).get("name") or ""))
        for k, v in _records(conn, "client", sorted(client_ids - {""})).items()
    }
    for row in added:
        row["client_name"] = names.get(row["client_id"], "")
    for start in range(0, len(added), CHUNK):
        conn.execute(insert(invoice_refs), added[start : start + CHUNK])
    if len(added) > ANALYZE_AFTER:
        _analyze(conn, "invoice_refs")
    return len(added)


def _analyze(conn: Connection, *tables: str) -> None:
    """Fresh planner statistics on PostgreSQL after a big insert (autovacuum comes later): without them
    the planner takes a just-filled table for empty and scans it once per batch of 500 lookups."""
    if not is_sqlite(conn):
        for table in tables:
            conn.execute(text(f"ANALYZE {table}"))


def _records(
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


def _refs_where(conn: Connection, column: Any, values: Iterable[str]) -> list[InvoiceRef]:
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


def _settled(body: dict[str, Any]) -> Decimal:
    """What no longer has to be paid on an invoice: its payments and its validated credit notes."""
    return Decimal(str(body.get("paid_amount") or "0")) + Decimal(str(body.get("credited_amount") or "0"))


def _state(rec: Record) -> OpenState:
    return OpenState(rec.status, _settled(rec.body or {}))


def _open_states(conn: Connection, ids: Sequence[str]) -> dict[str, OpenState]:
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
                paid = _settled(json.loads(row.body) or {})
            found[row.id] = OpenState(row.status, paid)
    return found


class _Batch:
    """The writes of one import, kept in memory and sent in a few ``executemany`` calls at the end."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], tuple[bool, dict[str, Any]]] = {}
        self.bodies: dict[tuple[str, str], dict[str, Any]] = {}

    def add(self, values: dict[str, Any], body: dict[str, Any], insert_row: bool) -> None:
        key = (values["type"], values["id"])
        first_insert = self.rows[key][0] if key in self.rows else insert_row
        self.rows[key] = (first_insert, values)
        self.bodies[key] = body

    def latest(self, type_: str, id_: str) -> Record | None:
        """The record as this batch left it (a second payment of the same invoice in one import)."""
        if (type_, id_) not in self.rows:
            return None
        v = self.rows[(type_, id_)][1]
        return Record(
            v["type"],
            v["id"],
            v["member_id"],
            v["version"],
            v["rev"],
            False,
            self.bodies[(type_, id_)],
            json.loads(v["field_versions"]),
            v["status"],
            v["kind"],
            v["activity_id"],
        )

    def flush(self, conn: Connection) -> None:
        inserts = [v for ins, v in self.rows.values() if ins]
        updates = [v for ins, v in self.rows.values() if not ins]
        if not is_sqlite(conn):
            _update_many_pg(conn, updates)
            _insert_many_pg(conn, "records", inserts)
            return
        for sql, rows in ((_UPDATE, updates), (_INSERT, inserts)):
            # the same plain statements as ``Tx.put``, handed to the driver's executemany directly
            # (their parameters are plain values: nothing for SQLAlchemy to convert, row by row)
            driver_sql = _driver_sql(conn, sql.text)
            for start in range(0, len(rows), CHUNK):
                conn.exec_driver_sql(driver_sql, rows[start : start + CHUNK])


def _insert_many(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Rows of plain text and numbers (every column given) inserted through the driver's executemany."""
    if not rows:
        return
    if not is_sqlite(conn):
        _insert_many_pg(conn, table.name, rows)
        return
    quote = conn.dialect.identifier_preparer.quote
    names = list(rows[0])
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
        f"VALUES ({', '.join(':' + n for n in names)})"
    )
    driver_sql = _driver_sql(conn, sql)
    for start in range(0, len(rows), CHUNK):
        conn.exec_driver_sql(driver_sql, rows[start : start + CHUNK])


_RECORD_COLUMNS = (
    "type",
    "id",
    "member_id",
    "version",
    "rev",
    "deleted",
    "body",
    "field_versions",
    "status",
    "kind",
    "activity_id",
    "updated_at",
)


def _insert_many_pg(conn: Connection, table: str, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: the rows streamed by one ``COPY ... FROM STDIN`` (psycopg's ``Copy``: one statement,
    no parameter limit, no per-row round trip) in the import's transaction."""
    if not rows:
        return
    quote = conn.dialect.identifier_preparer.quote
    names = list(rows[0])
    sql = f"COPY {quote(table)} ({', '.join(quote(n) for n in names)}) FROM STDIN"
    dbapi: Any = conn.connection.dbapi_connection
    with dbapi.cursor() as cur, cur.copy(sql) as copy:
        for row in rows:
            copy.write_row([row[n] for n in names])


def _update_many_pg(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: the records of ``rows`` (every column given, one row per (type, id)) copied into a
    temporary table (``COPY``) and rewritten by one ``UPDATE ... FROM``; the same columns as
    ``store._UPDATE``. The table lives until the commit (several files of one import share it, hence
    the ``TRUNCATE``); ``ANALYZE`` gives the planner its size (else it guesses and may scan ``records``)."""
    if not rows:
        return
    conn.exec_driver_sql("CREATE TEMPORARY TABLE IF NOT EXISTS records_batch (LIKE records) ON COMMIT DROP")
    _insert_many_pg(conn, "records_batch", rows)
    conn.exec_driver_sql("ANALYZE records_batch")
    sets = ", ".join(f"{n} = v.{n}" for n in _RECORD_COLUMNS if n not in ("type", "id"))
    conn.exec_driver_sql(
        f"UPDATE records SET {sets} FROM records_batch AS v WHERE records.type = v.type AND records.id = v.id"
    )
    conn.exec_driver_sql("TRUNCATE records_batch")


def _driver_sql(conn: Connection, sql: str) -> str:
    """A statement written with ``:name`` parameters in the driver's own parameter style."""
    style = conn.dialect.paramstyle
    if style == "named" or is_sqlite(
        conn
    ):  # the sqlite3 module takes :name with a mapping whatever its default
        return sql
    if style == "pyformat":
        return _PARAM_RE.sub(r"%(\1)s", sql)
    raise NotImplementedError(f"parameter style {style}")  # pragma: no cover - SQLite and psycopg only


_PARAM_RE = re.compile(r"(?<![:\w]):(\w+)")


class _BatchTx(Tx):
    """A member's ``Tx`` whose writes go to a ``_Batch`` (the revision is bumped for many members at once)."""

    def __init__(self, conn: Connection, member_id: str, rev: int, at: str, batch: _Batch) -> None:
        self.conn, self.member_id, self.rev, self.at, self.batch = conn, member_id, rev, at, batch
        self._entity = None  # Tx.entity reads the member's entity once, on first use

    def write_row(
        self, values: dict[str, Any], type_: str, id_: str, body: dict[str, Any], *, is_new: bool
    ) -> None:
        self.batch.add(values, body, is_new and (type_, id_) not in self.batch.rows)


def _bump_revs(conn: Connection, members: Iterable[str]) -> dict[str, int]:
    """Next revision of each member (row locks in member order, before any record: the house lock order)."""
    wanted = sorted(set(members))
    revs: dict[str, int] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        rows = conn.execute(
            update(member_revs)
            .where(member_revs.c.member_id.in_(chunk))
            .values(rev=member_revs.c.rev + 1)
            .returning(member_revs.c.member_id, member_revs.c.rev)
        ).all()
        revs.update({r.member_id: int(r.rev) for r in rows})
    missing = [m for m in wanted if m not in revs]
    if missing:
        conn.execute(insert(member_revs), [{"member_id": m, "rev": 1} for m in missing])
        revs.update({m: 1 for m in missing})
    return revs


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
    with _gc_paused():
        parsed: list[tuple[str, bytes, list[Statement]]] = [
            (name, data, parse_file(name, data)) for name, data in files
        ]
        report = ImportReport(files=len(files))
        with write(engine) as conn:
            refresh_refs(conn)
            for name, data, statements in parsed:
                _import_one(conn, name, data, statements, actor, report)
    return report


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while an import builds its tens of thousands of short-lived objects
    (records read, rows to write; none of them in cycles): the collector would walk them again and
    again, a sixth of the import's time. Reference counting still frees them; the collector runs again
    at the end (docs/decisions/0018-statement-import-batch.md)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _suggestion_refs(
    conn: Connection, txs: list[Transaction]
) -> tuple[dict[str, list[InvoiceRef]], dict[str, list[InvoiceRef]]]:
    """Invoices of the clients named like the payers, and of the clients who paid before from their IBANs."""
    by_name: dict[str, list[InvoiceRef]] = {}
    names = {normalise_name(tx.counterparty_name) for tx in txs if tx.counterparty_name}
    for r in _refs_where(conn, invoice_refs.c.client_name, names):
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
    for r in _refs_where(conn, invoice_refs.c.client_id, {c for cs in iban_clients.values() for c in cs}):
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
    by_ogm = {r.ogm: r for r in _refs_where(conn, invoice_refs.c.ogm, ogms)}
    by_number = {r.number: r for r in _refs_where(conn, invoice_refs.c.number, numbers)}
    direct = {r.document_id: r for r in [*by_ogm.values(), *by_number.values()]}
    # members' revisions first, then their invoices, locked until commit: the house lock order (a
    # member whose invoice finally takes no payment just gets a revision with no change in it)
    revs = _bump_revs(conn, {r.member_id for r in direct.values()})
    loaded = _records(conn, "document", sorted(direct), for_update=True)
    states = {doc_id: _state(rec) for doc_id, rec in loaded.items()}
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
    states.update(_open_states(conn, sorted(others)))
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
    batch = _Batch()
    member_tx = {m: _BatchTx(conn, m, rev, at, batch) for m, rev in revs.items()}
    txs: list[dict[str, Any]] = []
    allocations: list[dict[str, Any]] = []
    for key, tx, tx_id, decision in decided:
        if decision.state in ("matched", "overpaid"):
            ref = all_refs[decision.document_id]
            rec = batch.latest("document", ref.document_id) or loaded.get(ref.document_id)
            if rec is None and ref.document_id in others:  # a suggestion's invoice: only its state was read
                loaded.update(_records(conn, "document", [ref.document_id], for_update=True))
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
    _insert_many(conn, statement_transactions, txs)
    _insert_many(conn, statement_allocations, allocations)
    if len(txs) > ANALYZE_AFTER:
        _analyze(conn, "statement_transactions", "statement_allocations")
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


# --- the staff's queue ---------------------------------------------------------------------------
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
