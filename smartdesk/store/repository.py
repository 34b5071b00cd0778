"""All SQL of the local store. Callers get domain dataclasses or plain row dataclasses, never ORM objects.

Every write runs in one ``BEGIN IMMEDIATE`` transaction that also appends its outbox entry
(mutation name, arguments, base version), so a crash keeps both or neither.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from smartdesk.domain.documents import Activity, Client, Document, DocumentKind
from smartdesk.domain.lifecycle import is_editable, kind_word, status_label
from smartdesk.domain.money import cents
from smartdesk.domain.serialize import (
    COOPERATIVE_ACTIVITY_FIELDS,
    COOPERATIVE_CLIENT_FIELDS,
    MEMBER_DOCUMENT_FIELDS,
    activity_from_dict,
    activity_to_dict,
    client_from_dict,
    client_to_dict,
    document_from_dict,
    document_to_dict,
)
from smartdesk.domain.totals import document_total
from smartdesk.errors import Message, NotFoundError, TransitionError
from smartdesk.store import database
from smartdesk.store.connection import Connection

SCHEMA_VERSION = 1  # of the records' JSON form, told to the server (the file's own revision is Alembic's)


def _money(total_cents: int) -> Decimal:
    return Decimal(int(total_cents)).scaleb(-2)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class DocumentQuery:
    kind: DocumentKind | None = None
    status: str | None = None
    activity_id: str | None = None
    client_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""
    sort: str = "issue_date"
    descending: bool = True
    offset: int = 0
    limit: int = 100


@dataclass(frozen=True)
class DocumentRow:
    id: str
    kind: DocumentKind
    status: str
    number: str
    title: str
    client_name: str
    activity_name: str
    issue_date: date | None
    due_date: date | None
    total_incl: Decimal
    currency: str
    updated_at: str


@dataclass(frozen=True)
class Page:
    rows: list[DocumentRow]
    total: int


@dataclass(frozen=True)
class ClientRow:
    id: str
    name: str
    country: str
    vat_number: str
    email: str
    language: str
    open_amount: Decimal
    document_count: int


@dataclass(frozen=True)
class ActivitySummary:
    id: str
    name: str
    code: str
    entity: str
    document_count: int
    quotes_total: Decimal
    invoiced_total: Decimal
    paid_total: Decimal
    expenses_total: Decimal


@dataclass(frozen=True)
class OutboxEntry:
    mutation_id: int
    name: str
    entity_id: str
    args: dict[str, Any]
    base_version: int
    created_at: str


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "document" or "client"
    id: str
    title: str
    snippet: str


@dataclass
class Snippet:
    id: str
    kind: str  # "line" or "text"
    title: str
    body: dict[str, Any] = field(default_factory=dict)


# what each sort key of a list orders by (SQL expressions of the list query below)
SORT_COLUMNS: dict[str, str] = {
    "issue_date": "d.issue_date",
    "due_date": "d.due_date",
    "number": "d.number",
    "title": "d.title",
    "status": "d.status",
    "total": "d.total_cents",
    "client": "c.name",
    "activity": "a.name",
    "updated_at": "d.updated_at",
    "kind": "d.kind",
}

_DOC_COLUMNS = ("kind", "status", "number", "title", "client_id", "activity_id", "issue_date", "due_date",
                "currency", "total_incl", "total_cents", "paid_amount", "version", "updated_at")
_SQL_DOC_CURRENT = ("SELECT b.body, d.server_version, d.version, d.rowid FROM documents d "
                    "JOIN document_bodies b ON b.id = d.id WHERE d.id = ?")
_SQL_BODY_UPSERT = ("INSERT INTO document_bodies (id, body) VALUES (?, ?) "
                    "ON CONFLICT(id) DO UPDATE SET body = excluded.body")
_SQL_DOC_UPDATE = f"UPDATE documents SET {', '.join(c + ' = ?' for c in _DOC_COLUMNS)} WHERE id = ?"
_SQL_DOC_INSERT = (f"INSERT INTO documents (id, created_at, server_version, {', '.join(_DOC_COLUMNS)}) "
                   f"VALUES (?, ?, 0, {', '.join('?' for _ in _DOC_COLUMNS)})")
SQL_FTS_DELETE = "DELETE FROM documents_fts WHERE rowid = ?"
_SQL_FTS_INSERT = "INSERT INTO documents_fts(rowid, title, body) VALUES (?, ?, ?)"
_SQL_FTS_INSERT_BY_ID = ("INSERT INTO documents_fts(rowid, title, body) "
                         "VALUES ((SELECT rowid FROM documents WHERE id = ?), ?, ?)")
_SQL_LIST = ("SELECT d.id, d.kind, d.status, d.number, d.title, c.name, a.name, d.issue_date, d.due_date, "
             "d.total_incl, d.currency, d.updated_at FROM documents d "
             "LEFT JOIN clients c ON c.id = d.client_id LEFT JOIN activities a ON a.id = d.activity_id")
_SQL_OUTBOX_COLUMNS = "mutation_id, name, entity_id, args, base_version, created_at"
_SQL_OUTBOX_INSERT = "INSERT INTO outbox (name, entity_id, args, base_version, created_at) VALUES (?, ?, ?, ?, ?)"


def sql_value(value: Any) -> Any:
    """A value as the documents table stores it: money (Decimal) as exact decimal text."""
    return format(value, "f") if isinstance(value, Decimal) else value

OPEN_STATUSES = ("validated", "sent", "awaiting_payment", "reminder_1", "reminder_2", "formal_notice",
                 "litigation", "partially_paid")

_OPEN_IN = ", ".join(f"'{s}'" for s in OPEN_STATUSES)
_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


def fts_query(text_in: str) -> str | None:
    """Turn what a person types into an FTS5 query: every word must match, as a prefix."""
    tokens = _TOKEN_RE.findall(text_in)
    if not tokens:
        return None
    return " AND ".join(f'"{t}"*' for t in tokens[:12])


def _document_search_text(doc: Document, client_name: str) -> str:
    parts = [doc.number, doc.reference, client_name, doc.intro_text, doc.closing_text]
    parts.extend(line.description for line in doc.lines)
    for e in doc.expense_lines:
        parts.extend((e.supplier, e.description, e.category))
    return "\n".join(p for p in parts if p)


class Store:
    """The local SQLite store of one data folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.db, self._backup = database.open_database(folder)
        self.path = self.db.path

    def close(self) -> None:
        if self._backup is not None:
            self._backup.join()
        self.db.close()  # the last connection to close folds the WAL back into the file
        database.mark_clean_close(self.path)

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One ``BEGIN IMMEDIATE`` transaction: committed at the end of the block, rolled back on error."""
        with self.db.write() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """One snapshot of the file for the statements of the block."""
        with self.db.read() as conn:
            yield conn

    # --- outbox ------------------------------------------------------------------------------
    @staticmethod
    def _enqueue(conn: Connection, name: str, entity_id: str, args: dict[str, Any], base_version: int) -> int:
        result = conn.execute(_SQL_OUTBOX_INSERT, (
            name, entity_id, json.dumps(args, ensure_ascii=False, separators=(",", ":")), base_version, now_iso()))
        return int(result.lastrowid)

    def outbox_entries(self, limit: int = 1000, after: int = 0) -> list[OutboxEntry]:
        with self.read() as conn:
            rows = conn.execute(f"SELECT {_SQL_OUTBOX_COLUMNS} FROM outbox WHERE mutation_id > ? "
                                "ORDER BY mutation_id LIMIT ?", (after, limit)).tuples()
        return [OutboxEntry(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5]) for r in rows]

    def outbox_count(self) -> int:
        """Mutations not yet acknowledged by the server (one per saved edit)."""
        with self.read() as conn:
            return int(conn.execute("SELECT COUNT(*) FROM outbox").scalar_one())

    def outbox_head(self) -> int:
        """The id of the newest unsent mutation (0 when none): instant, unlike counting what waits."""
        with self.read() as conn:
            return int(conn.execute("SELECT COALESCE(MAX(mutation_id), 0) FROM outbox").scalar_one())

    def pending_records(self) -> int:
        """Records (documents, clients...) with changes not yet sent: what a member calls "changes
        waiting" (ten keystrokes in one title are one change)."""
        with self.read() as conn:
            return int(conn.execute("SELECT COUNT(DISTINCT entity_id) FROM outbox").scalar_one())

    def drop_acknowledged(self, conn: Connection, last_mutation_id: int) -> None:
        conn.execute("DELETE FROM outbox WHERE mutation_id <= ?", (last_mutation_id,))

    # --- sync state / settings ---------------------------------------------------------------
    def get_state(self, key: str, default: Any = None) -> Any:
        with self.read() as conn:
            value = conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).scalar()
        return default if value is None else json.loads(value)

    def set_state(self, conn: Connection, key: str, value: Any) -> None:
        conn.execute("INSERT INTO sync_state (key, value) VALUES (?, ?) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, json.dumps(value)))

    def get_setting(self, key: str) -> Any:
        with self.read() as conn:
            value = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).scalar()
        return None if value is None else json.loads(value)

    def set_setting(self, key: str, value: Any) -> None:
        with self.write() as conn:
            put_setting(conn, key, json.dumps(value))

    # --- activities --------------------------------------------------------------------------
    def put_activity(self, activity: Activity, *, enqueue: bool = True) -> Activity:
        with self.write() as conn:
            return self._put_activity(conn, activity, enqueue)

    def _put_activity(self, conn: Connection, activity: Activity, enqueue: bool) -> Activity:
        existing = conn.execute("SELECT server_version, body FROM activities WHERE id = ?", (activity.id,)).first()
        if enqueue:
            # a member's edit: the cooperative's monthly figures stay as the server sent them
            stored = activity_from_dict(json.loads(existing.body)) if existing and existing.body else None
            activity.monthly = stored.monthly if stored else []
        body = activity_to_dict(activity)
        values = (activity.name, activity.code, activity.entity, json.dumps(body, ensure_ascii=False), now_iso())
        if existing:
            conn.execute("UPDATE activities SET name = ?, code = ?, entity = ?, body = ?, updated_at = ? "
                         "WHERE id = ?", (*values, activity.id))
        else:
            conn.execute("INSERT INTO activities (id, name, code, entity, body, updated_at, server_version) "
                         "VALUES (?, ?, ?, ?, ?, ?, 0)", (activity.id, *values))
        if enqueue:
            sent = {k: v for k, v in body.items() if k not in COOPERATIVE_ACTIVITY_FIELDS}
            self._enqueue(conn, "activity.put", activity.id, {"activity": sent},
                          existing.server_version if existing else 0)
        return activity

    def get_activity(self, activity_id: str) -> Activity:
        with self.read() as conn:
            body = conn.execute("SELECT body FROM activities WHERE id = ?", (activity_id,)).scalar()
        if body is None:
            raise NotFoundError.of("No activity with id {id}.", id=activity_id)
        return activity_from_dict(json.loads(body))

    def list_activities(self) -> list[ActivitySummary]:
        sql = ("SELECT a.id, a.name, a.code, a.entity, COUNT(d.id), "
               "COALESCE(SUM(d.total_cents) FILTER (WHERE d.kind = 'quote'), 0), "
               "COALESCE(SUM(d.total_cents) FILTER (WHERE d.kind = 'invoice' AND d.number != ''), 0), "
               "COALESCE(SUM(d.total_cents) FILTER (WHERE d.kind = 'invoice' AND d.status = 'paid'), 0), "
               "COALESCE(SUM(d.total_cents) FILTER (WHERE d.kind = 'expense-note'), 0) "
               "FROM activities a LEFT JOIN documents d ON d.activity_id = a.id GROUP BY a.id ORDER BY a.name")
        with self.read() as conn:
            rows = conn.execute(sql).tuples()
            # what partly paid invoices received already counts as paid too (exact decimal text, summed here)
            partial: dict[str, Decimal] = {}
            for activity_id, paid in conn.execute("SELECT activity_id, paid_amount FROM documents WHERE kind = "
                                                  "'invoice' AND status != 'paid' AND paid_amount NOT IN "
                                                  "('0', '0.00', '')").tuples():
                partial[activity_id] = partial.get(activity_id, Decimal(0)) + Decimal(paid)
        return [ActivitySummary(r[0], r[1], r[2], r[3], int(r[4]), _money(r[5]), _money(r[6]),
                                _money(r[7]) + partial.get(r[0], Decimal(0)), _money(r[8])) for r in rows]

    def filter_choices(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """(id, name) of every activity and every client, by name: what list filters offer. No sums
        over documents, so it stays instant on a big store (``list_activities`` adds the figures)."""
        with self.read() as conn:
            acts = conn.execute("SELECT id, name FROM activities ORDER BY name").tuples()
            cls = conn.execute("SELECT id, name FROM clients WHERE deleted = 0 ORDER BY lower(name)").tuples()
        return [(r[0], r[1]) for r in acts], [(r[0], r[1]) for r in cls]

    # --- clients -----------------------------------------------------------------------------
    @staticmethod
    def _client_values(client: Client) -> tuple[Any, ...]:
        """name, country, vat_number, email, language, body, updated_at"""
        return (client.name, client.address.country, client.vat_number, client.email, client.language,
                json.dumps(client_to_dict(client), ensure_ascii=False), now_iso())

    def put_client(self, client: Client, *, enqueue: bool = True) -> Client:
        with self.write() as conn:
            return self._put_client(conn, client, enqueue)

    def _put_client(self, conn: Connection, client: Client, enqueue: bool) -> Client:
        row = conn.execute("SELECT body, server_version, rowid FROM clients WHERE id = ?", (client.id,)).first()
        if enqueue:
            # a member's edit: the cooperative's payment flag stays as the server sent it
            client.payment_flag = str(json.loads(row.body).get("payment_flag") or "") if row else ""
        new_body = client_to_dict(client)
        values = self._client_values(client)
        if row:
            old = json.loads(row.body)
            changed = [k for k in new_body if k != "id" and old.get(k) != new_body[k]]
            conn.execute("UPDATE clients SET name = ?, country = ?, vat_number = ?, email = ?, language = ?, "
                         "body = ?, updated_at = ?, deleted = 0 WHERE id = ?", (*values, client.id))
            rowid = row.rowid
            base = row.server_version
        else:
            changed = [k for k in new_body if k != "id"]
            rowid = conn.execute("INSERT INTO clients (id, name, country, vat_number, email, language, body, "
                                 "updated_at, deleted, server_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0)",
                                 (client.id, *values)).lastrowid
            base = 0
        conn.execute("DELETE FROM clients_fts WHERE rowid = ?", (rowid,))
        conn.execute("INSERT INTO clients_fts(rowid, name, body) VALUES (?, ?, ?)",
                     (rowid, client.name, " ".join((client.vat_number, client.email, client.address.city))))
        if enqueue:
            changed = [k for k in changed if k not in COOPERATIVE_CLIENT_FIELDS]
            sent = {k: v for k, v in new_body.items() if k not in COOPERATIVE_CLIENT_FIELDS}
            args: dict[str, Any] = {"client": sent, "changed": changed}
            if row:
                args["before"] = {k: old.get(k) for k in changed}
            self._enqueue(conn, "client.put", client.id, args, base)
        client.version += 1
        return client

    def get_client(self, client_id: str) -> Client:
        with self.read() as conn:
            row = conn.execute("SELECT body, server_version FROM clients WHERE id = ?", (client_id,)).first()
        if row is None:
            raise NotFoundError.of("No client with id {id}.", id=client_id)
        client = client_from_dict(json.loads(row.body))
        client.version = row.server_version
        return client

    def delete_client(self, client_id: str) -> None:
        """Mark a client deleted (its documents keep pointing to it)."""
        with self.write() as conn:
            row = conn.execute("SELECT server_version, rowid FROM clients WHERE id = ?", (client_id,)).first()
            if row is None:
                raise NotFoundError.of("No client with id {id}.", id=client_id)
            conn.execute("UPDATE clients SET deleted = 1, updated_at = ? WHERE id = ?", (now_iso(), client_id))
            conn.execute("DELETE FROM clients_fts WHERE rowid = ?", (row.rowid,))
            self._enqueue(conn, "client.delete", client_id, {"id": client_id}, row.server_version)

    def list_clients(self, text_filter: str = "") -> list[ClientRow]:
        query = fts_query(text_filter)
        sql = ("SELECT c.id, c.name, c.country, c.vat_number, c.email, c.language, "
               f"COALESCE(SUM(d.total_cents) FILTER (WHERE d.kind = 'invoice' AND d.status IN ({_OPEN_IN})), 0), "
               "COUNT(d.id) FROM clients c LEFT JOIN documents d ON d.client_id = c.id WHERE c.deleted = 0"
               + (" AND c.rowid IN (SELECT rowid FROM clients_fts WHERE clients_fts MATCH ?)" if query else "")
               + " GROUP BY c.id ORDER BY lower(c.name)")
        with self.read() as conn:
            rows = conn.execute(sql, (query,) if query else ()).tuples()
        return [ClientRow(r[0], r[1], r[2], r[3], r[4], r[5], _money(r[6]), int(r[7])) for r in rows]

    # --- documents ---------------------------------------------------------------------------
    def _document_values(self, conn: Connection, doc: Document,
                         client_names: dict[str, str] | None = None) -> tuple[dict[str, Any], str]:
        total = document_total(doc)
        client_name = ""
        if doc.client_id:
            if client_names is not None and doc.client_id in client_names:
                client_name = client_names[doc.client_id]
            else:
                client_name = conn.execute("SELECT name FROM clients WHERE id = ?", (doc.client_id,)).scalar() or ""
        body = document_to_dict(doc)
        body["version"] = doc.version
        values = dict(
            kind=doc.kind.value, status=doc.status, number=doc.number, title=doc.title,
            client_id=doc.client_id or None, activity_id=doc.activity_id or None,
            issue_date=doc.issue_date.isoformat() if doc.issue_date else None,
            due_date=doc.due_date.isoformat() if doc.due_date else None,
            currency=doc.currency, total_incl=total, total_cents=cents(total), paid_amount=doc.paid_amount,
            body=json.dumps(body, ensure_ascii=False, separators=(",", ":")), version=doc.version,
            updated_at=doc.updated_at,
        )
        return values, _document_search_text(doc, client_name)

    def put_document(self, doc: Document, *, enqueue: bool = True, mutation: str = "document.put",
                     member_edit: bool = False) -> Document:
        """Insert or update a document and append its outbox entry, in one transaction.

        ``member_edit``: a change of content by the member. It is refused (TransitionError) when the
        stored document is no longer editable, and the cooperative-owned fields are kept as stored.
        """
        with self.write() as conn:
            return self._put_document(conn, doc, enqueue, mutation, member_edit)

    def _put_document(self, conn: Connection, doc: Document, enqueue: bool, mutation: str,
                      member_edit: bool = False) -> Document:
        doc.updated_at = now_iso()
        row = conn.execute(_SQL_DOC_CURRENT, (doc.id,)).first()
        old = json.loads(row.body) if row else None
        if member_edit and old is not None:
            if not is_editable(old["status"]):
                raise TransitionError.of(
                    "This {kind} is “{status}”: it can no longer be changed. Duplicate it to make a new draft.",
                    kind=kind_word(DocumentKind(old["kind"])), status=Message(status_label(old["status"])))
            if (doc.status, doc.number, doc.remarks) != (old["status"], old["number"], old["remarks"]) or \
                    doc.paid_amount != Decimal(old["paid_amount"]) or len(doc.timeline) != len(old["timeline"]):
                stored = document_from_dict(old)
                doc.status, doc.number, doc.paid_amount = stored.status, stored.number, stored.paid_amount
                doc.remarks, doc.timeline = stored.remarks, stored.timeline
        doc.version = (row.version if row else 0) + 1
        if not doc.created_at:
            doc.created_at = doc.updated_at
        values, search_text = self._document_values(conn, doc)
        params = tuple(sql_value(values[c]) for c in _DOC_COLUMNS)
        if row:
            conn.execute(_SQL_DOC_UPDATE, (*params, doc.id))
            rowid, base = row.rowid, row.server_version
            conn.execute(SQL_FTS_DELETE, (rowid,))
        else:
            rowid = conn.execute(_SQL_DOC_INSERT, (doc.id, doc.created_at, *params)).lastrowid
            base = 0
        write_body_and_index(conn, doc, rowid, values["body"], search_text)
        if enqueue:
            new_body = json.loads(values["body"])
            new_body.pop("version", None)
            args: dict[str, Any] = {"document": new_body}
            if old is not None:
                changed = [k for k in MEMBER_DOCUMENT_FIELDS if old.get(k) != new_body.get(k)]
                # the values this edit started from: the server tells a later edit of this same device
                # (still based on the same server version) from a real same-field conflict
                args["before"] = {k: old.get(k) for k in changed}
            else:
                changed = list(MEMBER_DOCUMENT_FIELDS)
            args["changed"] = changed
            self._enqueue(conn, mutation, doc.id, args, base)
        return doc

    def import_all(self, activity_list: Sequence[Activity], client_list: Sequence[Client],
                   document_list: Sequence[Document]) -> None:
        """Everything or nothing: one transaction for a whole import file."""
        with self.write() as conn:
            for a in activity_list:
                self._put_activity(conn, a, True)
            for c in client_list:
                self._put_client(conn, c, True)
            for d in document_list:
                self._put_document(conn, d, True, "document.put")

    def ids_present(self, table: str, ids: set[str]) -> set[str]:
        if table not in ("clients", "activities", "documents"):
            raise ValueError(f"unknown table {table}")
        wanted = list(ids)
        found: set[str] = set()
        with self.read() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                found.update(r[0] for r in conn.execute(
                    f"SELECT id FROM {table} WHERE id IN ({', '.join('?' for _ in chunk)})", chunk).tuples())
        return found

    def bulk_put_documents(self, docs: Sequence[Document]) -> None:
        """Insert many documents in one transaction without outbox entries (demo data, first pull)."""
        stamp = now_iso()
        with self.write() as conn:
            names = dict(conn.execute("SELECT id, name FROM clients").tuples())
            rows: list[tuple[Any, ...]] = []
            bodies: list[tuple[str, str]] = []
            fts: list[tuple[str, str, str]] = []
            for doc in docs:
                doc.updated_at = doc.updated_at or stamp
                doc.created_at = doc.created_at or stamp
                doc.version = doc.version or 1
                values, search_text = self._document_values(conn, doc, names)
                bodies.append((doc.id, values["body"]))
                rows.append((doc.id, doc.created_at, *(sql_value(values[c]) for c in _DOC_COLUMNS)))
                fts.append((doc.id, doc.title, search_text))
            if rows:
                conn.executemany(_SQL_DOC_INSERT, rows)
                conn.executemany("INSERT INTO document_bodies (id, body) VALUES (?, ?)", bodies)
                conn.executemany(_SQL_FTS_INSERT_BY_ID, fts)

    def get_document(self, doc_id: str) -> Document:
        with self.read() as conn:
            row = conn.execute("SELECT b.body, d.version, d.created_at, d.updated_at FROM documents d "
                               "JOIN document_bodies b ON b.id = d.id WHERE d.id = ?", (doc_id,)).first()
        if row is None:
            raise NotFoundError.of("No document with id {id}. It may have been deleted.", id=doc_id)
        doc = document_from_dict(json.loads(row.body))
        doc.version, doc.created_at, doc.updated_at = row.version, row.created_at, row.updated_at
        return doc

    def server_version(self, doc_id: str) -> int:
        with self.read() as conn:
            return int(conn.execute("SELECT server_version FROM documents WHERE id = ?", (doc_id,)).scalar() or 0)

    def delete_document(self, doc_id: str) -> None:
        with self.write() as conn:
            row = conn.execute("SELECT server_version, rowid FROM documents WHERE id = ?", (doc_id,)).first()
            if row is None:
                raise NotFoundError.of("No document with id {id}.", id=doc_id)
            remove_document_rows(conn, doc_id, row.rowid)
            self._enqueue(conn, "document.delete", doc_id, {"id": doc_id}, row.server_version)

    def transition_document(self, doc: Document, target: str) -> Document:
        """Record a member transition locally and queue it (the server re-checks it)."""
        doc.status = target
        doc.updated_at = now_iso()
        with self.write() as conn:
            row = conn.execute("SELECT server_version, version FROM documents WHERE id = ?", (doc.id,)).first()
            if row is None:
                raise NotFoundError.of("No document with id {id}.", id=doc.id)
            doc.version = row.version + 1
            values, _ = self._document_values(conn, doc)
            conn.execute(_SQL_BODY_UPSERT, (doc.id, values["body"]))
            conn.execute(_SQL_DOC_UPDATE, (*(sql_value(values[c]) for c in _DOC_COLUMNS), doc.id))
            self._enqueue(conn, "document.transition", doc.id, {"id": doc.id, "to": target}, row.server_version)
        return doc

    @staticmethod
    def _filters(q: DocumentQuery) -> tuple[str, list[Any]]:
        """The WHERE clause of a list query (empty when nothing filters) and its parameters."""
        conds: list[str] = []
        params: list[Any] = []
        for sql, value in (("d.kind = ?", q.kind.value if q.kind is not None else None),
                           ("d.status = ?", q.status or None),
                           ("d.activity_id = ?", q.activity_id or None),
                           ("d.client_id = ?", q.client_id or None),
                           ("d.issue_date >= ?", q.date_from.isoformat() if q.date_from else None),
                           ("d.issue_date <= ?", q.date_to.isoformat() if q.date_to else None),
                           ("d.rowid IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)",
                            fts_query(q.text))):
            if value is not None:
                conds.append(sql)
                params.append(value)
        return (" WHERE " + " AND ".join(conds)) if conds else "", params

    def list_documents(self, q: DocumentQuery, with_total: bool = True) -> Page:
        """One page of the list. ``with_total=False`` skips counting every match (the costly part of a
        word search on a big store): ``total`` is then only what this page proves, ``offset + rows``."""
        where, params = self._filters(q)
        direction = "DESC" if q.descending else "ASC"
        sql = (f"{_SQL_LIST}{where} ORDER BY {SORT_COLUMNS.get(q.sort, 'd.issue_date')} {direction}, "
               f"d.id {direction} LIMIT ? OFFSET ?")
        with self.read() as conn:
            rows = conn.execute(sql, (*params, q.limit, q.offset)).tuples()
            total = self._count(conn, where, params) if with_total else q.offset + len(rows)
        return Page(rows=[DocumentRow(
            id=r[0], kind=DocumentKind(r[1]), status=r[2], number=r[3], title=r[4], client_name=r[5] or "",
            activity_name=r[6] or "", issue_date=date.fromisoformat(r[7]) if r[7] else None,
            due_date=date.fromisoformat(r[8]) if r[8] else None, total_incl=Decimal(r[9]), currency=r[10],
            updated_at=r[11]) for r in rows], total=total)

    @staticmethod
    def _count(conn: Connection, where: str, params: Sequence[Any]) -> int:
        return int(conn.execute(f"SELECT COUNT(*) FROM documents d{where}", params).scalar_one())

    def count_documents(self, q: DocumentQuery) -> int:
        with self.read() as conn:
            return self._count(conn, *self._filters(q))

    def search(self, text_in: str, limit: int = 20) -> list[SearchHit]:
        query = fts_query(text_in)
        if not query:
            return []
        with self.read() as conn:
            docs = conn.execute(
                "SELECT d.id, d.kind, d.number, d.title, snippet(documents_fts, 1, '[', ']', '…', 8) "
                "FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid "
                "WHERE documents_fts MATCH ? ORDER BY documents_fts.rowid DESC LIMIT ?", (query, limit)).tuples()
            cls = conn.execute(
                "SELECT c.id, c.name, snippet(clients_fts, 1, '[', ']', '…', 8) "
                "FROM clients_fts JOIN clients c ON c.rowid = clients_fts.rowid "
                "WHERE clients_fts MATCH ? AND c.deleted = 0 ORDER BY rank LIMIT ?", (query, limit)).tuples()
        hits = [SearchHit("client", r[0], r[1], r[2]) for r in cls]
        hits += [SearchHit("document", r[0], r[3] or r[2] or r[1], r[4]) for r in docs]
        return hits[:limit]

    # --- attachments metadata, snippets --------------------------------------------------------
    def record_attachment(self, sha256: str, media_type: str, size: int, filename: str = "") -> None:
        with self.write() as conn:
            conn.execute("INSERT INTO attachments (sha256, media_type, size, filename, uploaded, created_at) "
                         "VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT(sha256) DO NOTHING",
                         (sha256, media_type, size, filename, now_iso()))

    def forget_attachments(self, hashes: Sequence[str]) -> None:
        """Drop the metadata rows of attachment files that were removed (see services.cleanup)."""
        with self.write() as conn:
            for start in range(0, len(hashes), 500):
                chunk = list(hashes[start:start + 500])
                conn.execute(f"DELETE FROM attachments WHERE sha256 IN ({', '.join('?' for _ in chunk)})", chunk)

    def documents_with_receipt(self, sha256: str) -> list[str]:
        """Ids of expense notes that already carry this receipt (duplicate detection)."""
        with self.read() as conn:
            rows = conn.execute("SELECT d.id FROM documents d JOIN document_bodies b ON b.id = d.id "
                                "WHERE d.kind = 'expense-note' AND instr(b.body, ?) > 0", (sha256,)).tuples()
        return [r[0] for r in rows]

    def list_snippets(self, kind: str | None = None) -> list[Snippet]:
        with self.read() as conn:
            rows = conn.execute("SELECT id, kind, title, body FROM snippets"
                                + (" WHERE kind = ?" if kind else "") + " ORDER BY title",
                                (kind,) if kind else ()).tuples()
        return [Snippet(r[0], r[1], r[2], json.loads(r[3])) for r in rows]

    def put_snippet(self, snippet: Snippet) -> Snippet:
        with self.write() as conn:
            conn.execute("DELETE FROM snippets WHERE id = ?", (snippet.id,))
            conn.execute("INSERT INTO snippets (id, kind, title, body, updated_at) VALUES (?, ?, ?, ?, ?)",
                         (snippet.id, snippet.kind, snippet.title, json.dumps(snippet.body, ensure_ascii=False),
                          now_iso()))
        return snippet

    def delete_snippet(self, snippet_id: str) -> None:
        with self.write() as conn:
            conn.execute("DELETE FROM snippets WHERE id = ?", (snippet_id,))

    # --- support requests (no table of their own: the outbox row is the pending copy) ---------------
    def enqueue_member_message(self, name: str, entity_id: str, args: dict[str, Any]) -> int:
        """Queue a mutation that only the server applies (``request.open`` / ``request.reply``), in
        one transaction. Until a pull brings the server's version back (in the same transaction that
        drops this row), the outbox row is what the member sees of it."""
        with self.write() as conn:
            return self._enqueue(conn, name, entity_id, args, 0)

    def outbox_entries_named(self, names: Sequence[str]) -> list[OutboxEntry]:
        """Unsent mutations with one of these names, oldest first."""
        with self.read() as conn:
            rows = conn.execute(f"SELECT {_SQL_OUTBOX_COLUMNS} FROM outbox WHERE name IN "
                                f"({', '.join('?' for _ in names)}) ORDER BY mutation_id", tuple(names)).tuples()
        return [OutboxEntry(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5]) for r in rows]


def write_body_and_index(conn: Connection, doc: Document, rowid: int, body: str, search_text: str) -> None:
    """The document's JSON body and its full-text entry (the old entry, if any, already removed), after
    its list row was written: by a member's edit and by a pulled change alike."""
    conn.execute(_SQL_BODY_UPSERT, (doc.id, body))
    conn.execute(_SQL_FTS_INSERT, (rowid, doc.title, search_text))


def remove_document_rows(conn: Connection, doc_id: str, rowid: int) -> None:
    """A document's list row, body and full-text entry: gone, by a member's deletion or a pulled one."""
    conn.execute(SQL_FTS_DELETE, (rowid,))
    conn.execute("DELETE FROM document_bodies WHERE id = ?", (doc_id,))
    conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))


def put_setting(conn: Connection, key: str, data: str) -> None:
    conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 (key, data))


def profile_to_dict(p: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(p)


def put_profile(store: Store, profile: Any) -> None:
    """Save the member profile and queue it, in one transaction."""
    body = profile_to_dict(profile)
    data = json.dumps(body, ensure_ascii=False)
    with store.write() as conn:
        put_setting(conn, "profile", data)
        Store._enqueue(conn, "profile.put", body["id"], {"profile": body}, 0)
